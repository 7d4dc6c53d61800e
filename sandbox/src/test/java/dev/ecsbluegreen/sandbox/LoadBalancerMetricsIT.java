package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ecsbluegreen.core.local.MotoServer;
import dev.ecsbluegreen.sandbox.aws.CloudWatchMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;

/** The data plane's metrics as the hooks read them: published by the publisher, answered by moto's GetMetricData. */
class LoadBalancerMetricsIT {
    private static final String ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188";
    private static final String GREEN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-green/1a2b3c4d5e6f7a8b";
    private static MotoServer moto;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.provision(Map.of());
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @Test
    void sumsAndAveragesOverThePublishedAnswersAreWhatTheDataPlaneSaw() throws Exception {
        Instant start = Instant.now().minusSeconds(120);
        TrafficMetrics metrics = new TrafficMetrics(ALB);
        try (CloudWatchMetrics cloudWatch = new CloudWatchMetrics(moto.endpoint())) {
            MetricsPublisher publisher = new MetricsPublisher(metrics, () -> List.of(new Routing.TargetGroup(GREEN, "app-green",
                    List.of(new Routing.Target("127.0.0.1", 1, true)), "false")), cloudWatch, warning -> { }, Clock.systemUTC());
            for (int i = 0; i < 40; i++) {
                metrics.served(GREEN, i % 20 == 19 ? 500 : 200, Duration.ofMillis(i < 20 ? 100 : 300));
                if (i == 20) {
                    publisher.flush(); // two flushes: the figures add up across PutMetricData calls
                }
            }
            publisher.close();
            Instant end = Instant.now().plusSeconds(120);
            Map<String, String> dimensions = TrafficMetrics.dimensions(ALB, GREEN);

            assertEquals(0, publisher.failures());
            assertEquals(40.0, cloudWatch.sum(TrafficMetrics.NAMESPACE, "RequestCount", dimensions, start, end));
            assertEquals(2.0, cloudWatch.sum(TrafficMetrics.NAMESPACE, "HTTPCode_Target_5XX_Count", dimensions, start, end));
            assertEquals(38.0, cloudWatch.sum(TrafficMetrics.NAMESPACE, "HTTPCode_Target_2XX_Count", dimensions, start, end));
            assertEquals(0.2, statistic("TargetResponseTime", "Average", dimensions, start, end), 1e-9);
            assertEquals(0.3, statistic("TargetResponseTime", "Maximum", dimensions, start, end), 1e-9);
            assertEquals(1.0, statistic("HealthyHostCount", "Maximum", dimensions, start, end), 1e-9);
        }
    }

    /** One statistic over the whole window, through the SDK as the analysis engine queries it. */
    private static double statistic(String metric, String stat, Map<String, String> dimensions, Instant start, Instant end) {
        try (CloudWatchClient client = CloudWatchClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
            List<Double> values = client.getMetricData(b -> b.startTime(start).endTime(end).metricDataQueries(q -> q.id("m")
                    .metricStat(s -> s.period(3600).stat(stat).metric(m -> m.namespace(TrafficMetrics.NAMESPACE).metricName(metric)
                            .dimensions(dimensions.entrySet().stream().map(e -> Dimension.builder().name(e.getKey())
                                    .value(e.getValue()).build()).toList()))))).metricDataResults().get(0).values();
            assertEquals(1, values.size(), metric + " " + stat + ": one hour-long period holds every point: " + values);
            return values.get(0);
        }
    }
}
