package dev.ecsbluegreen.analysis.aws;

import dev.ecsbluegreen.analysis.ProviderSpec;
import dev.ecsbluegreen.analysis.metrics.AlarmSource;
import dev.ecsbluegreen.analysis.metrics.MetricDataSource;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.AwsClients;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * {@link AlarmSource} and {@link MetricDataSource} over CloudWatch: {@code DescribeAlarms} (metric and composite
 * alarms) and {@code GetMetricData}, every page of each, every call bounded by the deadline.
 */
public final class CloudWatchSource implements AlarmSource, MetricDataSource {
    private final CloudWatchClient cloudWatch;

    public CloudWatchSource(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** A client configured as everywhere in this project; endpoint, region and credentials from the environment. */
    public static CloudWatchSource create() {
        return new CloudWatchSource(AwsClients.configure(CloudWatchClient.builder()).build());
    }

    @Override
    public List<AlarmState> alarms(List<String> names, String namePrefix, Deadline deadline) {
        List<AlarmState> found = new ArrayList<>();
        if (!names.isEmpty()) {
            // DescribeAlarms takes at most 100 names per call
            for (int from = 0; from < names.size(); from += 100) {
                List<String> batch = names.subList(from, Math.min(names.size(), from + 100));
                describe(deadline, found, batch, null);
            }
        }
        if (namePrefix != null) {
            describe(deadline, found, List.of(), namePrefix);
        }
        return found;
    }

    private void describe(Deadline deadline, List<AlarmState> found, List<String> names, String prefix) {
        String token = null;
        do {
            String page = token;
            DescribeAlarmsResponse response = AwsCalls.call("cloudwatch:DescribeAlarms", deadline,
                    timeouts -> cloudWatch.describeAlarms(r -> {
                        r.alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM).nextToken(page)
                                .overrideConfiguration(timeouts);
                        if (prefix != null) {
                            r.alarmNamePrefix(prefix);
                        } else {
                            r.alarmNames(names);
                        }
                    }));
            response.metricAlarms().forEach(alarm -> found.add(
                    new AlarmState(alarm.alarmName(), alarm.stateValueAsString(), alarm.stateReason())));
            response.compositeAlarms().forEach(alarm -> found.add(
                    new AlarmState(alarm.alarmName(), alarm.stateValueAsString(), alarm.stateReason())));
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
    }

    @Override
    public Map<String, List<Double>> query(List<ProviderSpec.Query> queries, Instant start, Instant end,
                                           Deadline deadline) {
        List<MetricDataQuery> wire = queries.stream().map(CloudWatchSource::wire).toList();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        String token = null;
        do {
            String page = token;
            GetMetricDataResponse response = AwsCalls.call("cloudwatch:GetMetricData", deadline,
                    timeouts -> cloudWatch.getMetricData(r -> r.metricDataQueries(wire).startTime(start).endTime(end)
                            .scanBy(ScanBy.TIMESTAMP_ASCENDING).nextToken(page).overrideConfiguration(timeouts)));
            for (MetricDataResult result : response.metricDataResults()) {
                values.computeIfAbsent(result.id(), id -> new ArrayList<>()).addAll(result.values());
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return values;
    }

    private static MetricDataQuery wire(ProviderSpec.Query query) {
        MetricDataQuery.Builder builder = MetricDataQuery.builder().id(query.id()).returnData(query.returnData());
        if (query.expression() != null) {
            return builder.expression(query.expression())
                    .period(query.periodSeconds()).build();
        }
        List<Dimension> dimensions = query.dimensions().entrySet().stream()
                .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build()).toList();
        return builder.metricStat(stat -> stat
                        .metric(metric -> metric.namespace(query.namespace()).metricName(query.metricName())
                                .dimensions(dimensions))
                        .period(query.periodSeconds() == null ? 60 : query.periodSeconds())
                        .stat(query.stat()))
                .build();
    }
}
