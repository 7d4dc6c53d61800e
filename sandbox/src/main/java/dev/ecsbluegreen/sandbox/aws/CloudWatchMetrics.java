package dev.ecsbluegreen.sandbox.aws;

import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.sandbox.MetricsSink;
import dev.ecsbluegreen.sandbox.TrafficMetrics;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * The emulator's CloudWatch: where the data plane's load balancer metrics go ({@code PutMetricData}), and where the
 * sandbox reads them back ({@code GetMetricData}) to show what the hooks can see. Thread-safe.
 */
public final class CloudWatchMetrics implements MetricsSink, AutoCloseable {
    private final CloudWatchClient cloudWatch;

    public CloudWatchMetrics(URI endpoint) {
        this.cloudWatch = Emulator.client(CloudWatchClient.builder(), endpoint);
    }

    @Override
    public void put(String namespace, List<TrafficMetrics.Datum> data) {
        List<MetricDatum> datums = data.stream().map(CloudWatchMetrics::datum).toList();
        AwsCalls.call("cloudwatch:PutMetricData", () -> cloudWatch.putMetricData(b -> b.namespace(namespace).metricData(datums)));
    }

    private static MetricDatum datum(TrafficMetrics.Datum datum) {
        MetricDatum.Builder builder = MetricDatum.builder().metricName(datum.metricName())
                .dimensions(dimensions(datum.dimensions()))
                .unit(StandardUnit.fromValue(datum.unit())).timestamp(datum.timestamp());
        if (datum.counts() == null) {
            builder.value(datum.values().get(0));
        } else {
            builder.values(datum.values()).counts(datum.counts());
        }
        return builder.build();
    }

    private static List<Dimension> dimensions(Map<String, String> dimensions) {
        return dimensions.entrySet().stream()
                .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build()).toList();
    }

    /**
     * The {@code Sum} of one metric between {@code start} and {@code end} (60 s periods, added up, every page
     * read); null when there is no data point.
     */
    public Double sum(String namespace, String metricName, Map<String, String> dimensions, Instant start, Instant end) {
        double sum = 0;
        boolean any = false;
        String token = null;
        do {
            String page = token;
            GetMetricDataResponse response = AwsCalls.call("cloudwatch:GetMetricData", () -> cloudWatch.getMetricData(b -> b
                    .startTime(start).endTime(end).nextToken(page)
                    .metricDataQueries(q -> q.id("m").returnData(true).metricStat(s -> s.period(60).stat("Sum")
                            .metric(m -> m.namespace(namespace).metricName(metricName).dimensions(dimensions(dimensions)))))));
            for (MetricDataResult result : response.metricDataResults()) {
                for (Double value : result.values()) {
                    sum += value;
                    any = true;
                }
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return any ? sum : null;
    }

    @Override
    public void close() {
        cloudWatch.close();
    }
}
