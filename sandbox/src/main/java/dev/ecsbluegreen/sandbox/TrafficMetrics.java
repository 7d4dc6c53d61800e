package dev.ecsbluegreen.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an Application Load Balancer publishes to CloudWatch, aggregated from the answers the {@link DataPlane}
 * proxied: per target group, namespace {@value #NAMESPACE}, dimensions {@code LoadBalancer} = {@code app/<name>/<id>}
 * and {@code TargetGroup} = {@code targetgroup/<name>/<id>}, metrics {@code RequestCount},
 * {@code HTTPCode_Target_2XX/4XX/5XX_Count}, {@code TargetResponseTime} (seconds, as values with counts, so that
 * Average, Maximum and percentiles work), and {@code HealthyHostCount}/{@code UnHealthyHostCount}. Each
 * {@link #drain} hands over what was recorded since the last one. Pure and thread-safe.
 *
 * <p>Unlike an ALB, a target group that served requests in a window also gets its zero response-code counts, so a
 * ratio such as 5xx / requests has both figures.
 */
public final class TrafficMetrics implements TrafficObserver {
    public static final String NAMESPACE = "AWS/ApplicationELB";
    /** PutMetricData takes at most this many distinct values in one datum. */
    static final int MAX_VALUES_PER_DATUM = 150;

    /**
     * One MetricDatum: either one {@code value} ({@code values} holding it, {@code counts} null) or values with
     * counts.
     *
     * @param dimensions {@code LoadBalancer} then {@code TargetGroup} (sorted by name)
     * @param unit       CloudWatch's unit name: {@code Count} or {@code Seconds}
     */
    public record Datum(String metricName, Map<String, String> dimensions, List<Double> values, List<Double> counts,
                        String unit, Instant timestamp) {
        public Datum {
            dimensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
            values = List.copyOf(values);
            counts = counts == null ? null : List.copyOf(counts);
        }
    }

    private static final class Window {
        long requests;
        long code2xx;
        long code4xx;
        long code5xx;
        /** latency in whole milliseconds → how many answers took it */
        final TreeMap<Long, Long> latencies = new TreeMap<>();
    }

    private final String loadBalancerArn;
    private final Map<String, Window> windows = new LinkedHashMap<>();

    /** @param loadBalancerArn the ALB's ARN ({@code …:loadbalancer/app/<name>/<id>}) */
    public TrafficMetrics(String loadBalancerArn) {
        this.loadBalancerArn = loadBalancerArn;
    }

    @Override
    public synchronized void served(String targetGroupArn, int status, Duration responseTime) {
        Window window = windows.computeIfAbsent(targetGroupArn, arn -> new Window());
        window.requests++;
        switch (status / 100) {
            case 2 -> window.code2xx++;
            case 4 -> window.code4xx++;
            case 5 -> window.code5xx++;
            default -> { }
        }
        window.latencies.merge(Math.max(0, responseTime.toMillis()), 1L, Long::sum);
    }

    /**
     * The data for everything recorded since the last drain, stamped {@code timestamp}, plus the host counts of
     * {@code targetGroups} (omitted when null).
     */
    public List<Datum> drain(Instant timestamp, List<Routing.TargetGroup> targetGroups) {
        Map<String, Window> drained;
        synchronized (this) {
            drained = new LinkedHashMap<>(windows);
            windows.clear();
        }
        List<Datum> data = new ArrayList<>();
        drained.forEach((arn, window) -> {
            Map<String, String> dimensions = dimensions(loadBalancerArn, arn);
            data.add(count("RequestCount", dimensions, window.requests, timestamp));
            data.add(count("HTTPCode_Target_2XX_Count", dimensions, window.code2xx, timestamp));
            data.add(count("HTTPCode_Target_4XX_Count", dimensions, window.code4xx, timestamp));
            data.add(count("HTTPCode_Target_5XX_Count", dimensions, window.code5xx, timestamp));
            List<Map.Entry<Long, Long>> latencies = new ArrayList<>(window.latencies.entrySet());
            for (int from = 0; from < latencies.size(); from += MAX_VALUES_PER_DATUM) {
                List<Map.Entry<Long, Long>> chunk = latencies.subList(from, Math.min(latencies.size(), from + MAX_VALUES_PER_DATUM));
                data.add(new Datum("TargetResponseTime", dimensions,
                        chunk.stream().map(e -> e.getKey() / 1000.0).toList(),
                        chunk.stream().map(e -> (double) e.getValue()).toList(), "Seconds", timestamp));
            }
        });
        if (targetGroups != null) {
            for (Routing.TargetGroup group : targetGroups) {
                long healthy = group.targets().stream().filter(Routing.Target::healthy).count();
                Map<String, String> dimensions = dimensions(loadBalancerArn, group.arn());
                data.add(count("HealthyHostCount", dimensions, healthy, timestamp));
                data.add(count("UnHealthyHostCount", dimensions, group.targets().size() - healthy, timestamp));
            }
        }
        return data;
    }

    /**
     * A target group's dimensions, sorted by name: {@code LoadBalancer} = {@code app/<name>/<id>}, then
     * {@code TargetGroup} = {@code targetgroup/<name>/<id>}. The order matters to moto 5.2 alone: its GetMetricData
     * matches only dimensions listed in the order PutMetricData listed them (its Dimension ordering is broken), and
     * the analysis engine's CloudWatch adapter sends a query's dimensions sorted by name.
     */
    public static Map<String, String> dimensions(String loadBalancerArn, String targetGroupArn) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("LoadBalancer", dimension(loadBalancerArn, "loadbalancer/"));
        dimensions.put("TargetGroup", dimension(targetGroupArn, ""));
        return dimensions;
    }

    private static Datum count(String name, Map<String, String> dimensions, long value, Instant timestamp) {
        return new Datum(name, dimensions, List.of((double) value), null, "Count", timestamp);
    }

    /**
     * The part of an ELB ARN that CloudWatch's dimensions use: after {@code prefix} in the resource part
     * ({@code arn:aws:elasticloadbalancing:r:a:loadbalancer/app/n/id} → {@code app/n/id} for "loadbalancer/";
     * {@code …:targetgroup/n/id} → {@code targetgroup/n/id} for "").
     */
    static String dimension(String arn, String prefix) {
        String resource = arn.substring(arn.lastIndexOf(':') + 1);
        return resource.startsWith(prefix) ? resource.substring(prefix.length()) : resource;
    }
}
