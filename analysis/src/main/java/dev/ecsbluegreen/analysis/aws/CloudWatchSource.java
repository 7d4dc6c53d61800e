package dev.ecsbluegreen.analysis.aws;

import dev.ecsbluegreen.analysis.ProviderSpec;
import dev.ecsbluegreen.analysis.metrics.AlarmSource;
import dev.ecsbluegreen.analysis.metrics.MetricDataSource;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.AwsClients;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.CompositeAlarm;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * {@link AlarmSource} and {@link MetricDataSource} over CloudWatch: {@code cloudwatch:DescribeAlarms} (metric and
 * composite alarms, by names and by prefix, every page) and {@code cloudwatch:GetMetricData} (every page, oldest
 * datapoint first). Neither action supports resource-level IAM permissions. Every call is bounded by the deadline
 * ({@link AwsCalls#call(String, Deadline, java.util.function.Function)}); failures are {@link AwsCallException}s.
 * Thread-safe (the SDK client is).
 *
 * <p>A metric's dimensions are sent sorted by name. CloudWatch does not mind their order; moto 5.2 finds a metric
 * only when they come in the order they were put (its {@code Dimension} ordering is broken), so whatever publishes
 * metrics into moto (tests, the sandbox) puts them sorted by name too: {@code LoadBalancer}, then {@code TargetGroup}.
 */
public final class CloudWatchSource implements AlarmSource, MetricDataSource {
    static final String DESCRIBE_ALARMS = "cloudwatch:DescribeAlarms";
    static final String GET_METRIC_DATA = "cloudwatch:GetMetricData";
    /** DescribeAlarms takes at most 100 names, and answers at most 100 alarms a page. */
    private static final int NAMES_PER_CALL = 100;

    private final Supplier<CloudWatchClient> client;

    public CloudWatchSource(CloudWatchClient cloudWatch) {
        this.client = () -> cloudWatch;
    }

    private CloudWatchSource(Supplier<CloudWatchClient> client) {
        this.client = client;
    }

    /** Over a client configured as every client of this project ({@link AwsClients}). */
    public static CloudWatchSource create() {
        return new CloudWatchSource(AwsClients.configure(CloudWatchClient.builder()).build());
    }

    /**
     * {@link #create()}, with the client built at the first call rather than now: a function that usually runs no
     * analysis does not pay for a CloudWatch client at its cold start. Thread-safe.
     */
    public static CloudWatchSource onFirstUse() {
        return new CloudWatchSource(new Supplier<>() {
            private CloudWatchClient built;

            @Override
            public synchronized CloudWatchClient get() {
                if (built == null) {
                    built = AwsClients.configure(CloudWatchClient.builder()).build();
                }
                return built;
            }
        });
    }

    @Override
    public List<AlarmState> alarms(List<String> names, String namePrefix, Deadline deadline) {
        Map<String, AlarmState> found = new LinkedHashMap<>();
        for (int from = 0; from < names.size(); from += NAMES_PER_CALL) {
            List<String> some = names.subList(from, Math.min(names.size(), from + NAMES_PER_CALL));
            describe(DescribeAlarmsRequest.builder().alarmNames(some), deadline, found);
        }
        if (namePrefix != null) {
            describe(DescribeAlarmsRequest.builder().alarmNamePrefix(namePrefix), deadline, found);
        }
        return List.copyOf(found.values());
    }

    private void describe(DescribeAlarmsRequest.Builder request, Deadline deadline, Map<String, AlarmState> found) {
        request.alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM).maxRecords(NAMES_PER_CALL);
        String token = null;
        do {
            String page = token;
            DescribeAlarmsResponse response = AwsCalls.call(DESCRIBE_ALARMS, deadline, timeouts ->
                    client.get().describeAlarms(request.nextToken(page).overrideConfiguration(timeouts).build()));
            for (MetricAlarm alarm : response.metricAlarms()) {
                found.putIfAbsent(alarm.alarmName(),
                        new AlarmState(alarm.alarmName(), alarm.stateValueAsString(), alarm.stateReason()));
            }
            for (CompositeAlarm alarm : response.compositeAlarms()) {
                found.putIfAbsent(alarm.alarmName(),
                        new AlarmState(alarm.alarmName(), alarm.stateValueAsString(), alarm.stateReason()));
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
    }

    @Override
    public Map<String, List<Double>> query(List<ProviderSpec.Query> queries, Instant start, Instant end,
                                           Deadline deadline) {
        List<MetricDataQuery> request = queries.stream().map(CloudWatchSource::query).toList();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        String token = null;
        do {
            String page = token;
            GetMetricDataResponse response = AwsCalls.call(GET_METRIC_DATA, deadline, timeouts ->
                    client.get().getMetricData(r -> r.metricDataQueries(request).startTime(start).endTime(end)
                            .scanBy(ScanBy.TIMESTAMP_ASCENDING).nextToken(page).overrideConfiguration(timeouts)));
            for (MetricDataResult result : response.metricDataResults()) {
                refuseFailed(result);
                values.computeIfAbsent(result.id(), id -> new ArrayList<>()).addAll(result.values());
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        values.replaceAll((id, list) -> List.copyOf(list));
        return values;
    }

    /** A result CloudWatch could not compute (a bad expression, a metric the role may not read) fails the call. */
    private static void refuseFailed(MetricDataResult result) {
        StatusCode status = result.statusCode();
        if (status != StatusCode.INTERNAL_ERROR && status != StatusCode.FORBIDDEN) {
            return;
        }
        String messages = result.messages().stream().map(m -> m.code() + ": " + m.value())
                .collect(Collectors.joining("; "));
        throw new AwsCallException(GET_METRIC_DATA, status == StatusCode.FORBIDDEN
                ? AwsCallException.Kind.PERMISSION_DENIED : AwsCallException.Kind.UNAVAILABLE, status.toString(),
                GET_METRIC_DATA + " could not compute query " + result.id() + " (" + status
                        + (messages.isEmpty() ? "" : ": " + messages) + ")", null);
    }

    private static MetricDataQuery query(ProviderSpec.Query query) {
        MetricDataQuery.Builder built = MetricDataQuery.builder().id(query.id()).returnData(query.returnData());
        if (query.expression() != null) {
            return built.expression(query.expression()).build();
        }
        return built.metricStat(stat -> stat
                .metric(metric -> metric.namespace(query.namespace()).metricName(query.metricName())
                        .dimensions(query.dimensions().entrySet().stream().sorted(Map.Entry.comparingByKey())
                                .map(d -> Dimension.builder().name(d.getKey()).value(d.getValue()).build()).toList()))
                .period(query.periodSeconds() == null ? 60 : query.periodSeconds())
                .stat(query.stat())).build();
    }
}
