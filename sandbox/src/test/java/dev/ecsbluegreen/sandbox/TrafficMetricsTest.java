package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The load balancer's metrics as data: what one flush publishes, and a publisher whose calls fail. */
class TrafficMetricsTest {
    private static final String ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188";
    private static final String BLUE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-blue/6d0ecf831eec9f09";
    private static final String GREEN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-green/1a2b3c4d5e6f7a8b";
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void aFlushHoldsEachTargetGroupsCountsAndItsResponseTimesAsValuesWithCounts() {
        TrafficMetrics metrics = new TrafficMetrics(ALB);
        for (int i = 0; i < 18; i++) {
            metrics.served(GREEN, 200, Duration.ofMillis(i % 2 == 0 ? 12 : 30));
        }
        metrics.served(GREEN, 500, Duration.ofMillis(30));
        metrics.served(GREEN, 404, Duration.ofMillis(12));
        metrics.served(BLUE, 200, Duration.ofMillis(7));

        Map<String, TrafficMetrics.Datum> green = byName(metrics.drain(NOW, null), "targetgroup/app-green/1a2b3c4d5e6f7a8b");

        assertEquals(List.of(20.0), green.get("RequestCount").values());
        assertEquals(List.of(18.0), green.get("HTTPCode_Target_2XX_Count").values());
        assertEquals(List.of(1.0), green.get("HTTPCode_Target_4XX_Count").values());
        assertEquals(List.of(1.0), green.get("HTTPCode_Target_5XX_Count").values());
        TrafficMetrics.Datum latency = green.get("TargetResponseTime");
        assertEquals(List.of(0.012, 0.030), latency.values());
        assertEquals(List.of(10.0, 10.0), latency.counts());
        assertEquals("Seconds", latency.unit());
        assertEquals(Map.of("TargetGroup", "targetgroup/app-green/1a2b3c4d5e6f7a8b", "LoadBalancer", "app/app-alb/50dc6c495c0c9188"),
                latency.dimensions());
        assertEquals(List.of("LoadBalancer", "TargetGroup"), List.copyOf(latency.dimensions().keySet()),
                "sorted by name, the order in which the analysis queries them: moto's GetMetricData needs it repeated");
        assertEquals(NOW, latency.timestamp());
        assertNull(green.get("RequestCount").counts(), "a count is one value");
    }

    @Test
    void aTargetGroupWithNoAnswersSinceTheLastFlushPublishesNoTrafficAndZeroCodesOnlyWithTraffic() {
        TrafficMetrics metrics = new TrafficMetrics(ALB);
        metrics.served(BLUE, 200, Duration.ofMillis(5));
        Map<String, TrafficMetrics.Datum> blue = byName(metrics.drain(NOW, null), "targetgroup/app-blue/6d0ecf831eec9f09");
        assertEquals(List.of(0.0), blue.get("HTTPCode_Target_5XX_Count").values(), "a ratio over the window has both figures");

        assertEquals(List.of(), metrics.drain(NOW.plusSeconds(1), null), "the window was handed over");
    }

    @Test
    void moreThan150DistinctResponseTimesAreSplitOverDatumsOfTheSameMetric() {
        TrafficMetrics metrics = new TrafficMetrics(ALB);
        for (int millis = 0; millis < 320; millis++) {
            metrics.served(GREEN, 200, Duration.ofMillis(millis));
        }
        List<TrafficMetrics.Datum> latencies = metrics.drain(NOW, null).stream()
                .filter(d -> d.metricName().equals("TargetResponseTime")).toList();
        assertEquals(List.of(150, 150, 20), latencies.stream().map(d -> d.values().size()).toList());
        assertEquals(320.0, latencies.stream().flatMap(d -> d.counts().stream()).mapToDouble(Double::doubleValue).sum());
    }

    @Test
    void hostCountsComeFromEveryTargetGroupsTargetHealth() {
        TrafficMetrics metrics = new TrafficMetrics(ALB);
        List<Routing.TargetGroup> groups = List.of(
                new Routing.TargetGroup(BLUE, "app-blue", List.of(new Routing.Target("127.0.0.1", 1, true)), "true"),
                new Routing.TargetGroup(GREEN, "app-green", List.of(new Routing.Target("127.0.0.1", 2, true),
                        new Routing.Target("127.0.0.1", 3, false)), "false"));

        List<TrafficMetrics.Datum> data = metrics.drain(NOW, groups);

        Map<String, TrafficMetrics.Datum> green = byName(data, "targetgroup/app-green/1a2b3c4d5e6f7a8b");
        assertEquals(List.of(1.0), green.get("HealthyHostCount").values());
        assertEquals(List.of(1.0), green.get("UnHealthyHostCount").values());
        assertEquals(List.of(0.0), byName(data, "targetgroup/app-blue/6d0ecf831eec9f09").get("UnHealthyHostCount").values());
        assertEquals(4, data.size(), "no traffic, so host counts only");
    }

    @Test
    void aFailingPutMetricDataIsCountedToldOnceAndNeverThrown() {
        TrafficMetrics metrics = new TrafficMetrics(ALB);
        List<String> warnings = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        MetricsSink refusing = (namespace, data) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("moto is gone");
        };
        MetricsPublisher publisher = new MetricsPublisher(metrics, () -> {
            throw new IllegalStateException("no routing");
        }, refusing, warnings::add, java.time.Clock.systemUTC());

        metrics.served(GREEN, 200, Duration.ofMillis(3));
        publisher.flush();
        metrics.served(GREEN, 200, Duration.ofMillis(3));
        publisher.close();

        assertTrue(calls.get() >= 2, "each flush with data calls once: " + calls);
        assertEquals(calls.get(), publisher.failures());
        assertTrue(warnings.get(0).contains("moto is gone") && warnings.get(0).contains("requests are not affected"), warnings::toString);
        assertEquals(1, warnings.stream().filter(w -> w.contains("moto is gone")).count(), warnings::toString);
    }

    @Test
    void aFlushBeyondPutMetricDatasLimitIsSplitIntoCallsOfAtMost1000() {
        TrafficMetrics metrics = new TrafficMetrics(ALB);
        for (int group = 0; group < 201; group++) {
            metrics.served(BLUE + group, 200, Duration.ofMillis(1)); // 5 data per target group
        }
        List<Integer> batches = new ArrayList<>();
        MetricsPublisher publisher = new MetricsPublisher(metrics, List::of, (namespace, data) -> batches.add(data.size()),
                warning -> { }, java.time.Clock.systemUTC());
        publisher.flush();
        publisher.close();

        assertEquals(List.of(1000, 5), batches);
        assertEquals(1005, publisher.published());
    }

    private static Map<String, TrafficMetrics.Datum> byName(List<TrafficMetrics.Datum> data, String targetGroup) {
        return data.stream().filter(d -> d.dimensions().get("TargetGroup").equals(targetGroup))
                .collect(Collectors.toMap(TrafficMetrics.Datum::metricName, d -> d));
    }
}
