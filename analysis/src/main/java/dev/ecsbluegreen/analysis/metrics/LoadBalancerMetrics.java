package dev.ecsbluegreen.analysis.metrics;

import static dev.ecsbluegreen.analysis.metrics.Providers.measurement;

import dev.ecsbluegreen.analysis.Measurement;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.Phase;
import dev.ecsbluegreen.analysis.ProviderSpec;
import dev.ecsbluegreen.analysis.Subject;
import dev.ecsbluegreen.core.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The presets and green versus blue: Application Load Balancer metrics ({@code AWS/ApplicationELB}, one-minute
 * periods) of the target groups discovered from the deployment, over the whole window [windowStart, now].
 *
 * <p>The 5xx ratio is {@code HTTPCode_Target_5XX_Count} / {@code RequestCount}, both as {@code Sum} metric stats
 * added up client-side, not a metric-math expression: that yields the request count that {@code minRequests} needs
 * in the same call, and a window without any 5xx datapoint while requests were served means no 5xx (CloudWatch
 * publishes no zero for it). Latency is {@code TargetResponseTime} at the configured statistic, the worst one-minute
 * period of the window. Unhealthy hosts is the window's {@code Maximum} of {@code UnHealthyHostCount}.
 *
 * <p>Dimensions: {@code TargetGroup}, with {@code LoadBalancer} when the load balancer is known. CloudWatch publishes
 * these metrics per target group only together with the load balancer, so without it a preset finds no datapoints
 * (inconclusive, and the summary says why).
 */
final class LoadBalancerMetrics {
    static final String NAMESPACE = "AWS/ApplicationELB";
    static final int PERIOD_SECONDS = 60;

    private final MetricDataSource metrics;

    LoadBalancerMetrics(MetricDataSource metrics) {
        this.metrics = metrics;
    }

    /** One target group's traffic in the window. */
    private record Traffic(String side, double requests, double errors) {
        double ratio() {
            return errors / requests;
        }

        String described() {
            return Figures.percent(ratio()) + " (" + Figures.number(errors) + " of " + Figures.number(requests)
                    + " requests)";
        }
    }

    Measurement preset(MetricSpec spec, ProviderSpec.Preset preset, Subject subject, Instant windowStart, Instant now,
                       Deadline deadline) {
        String green = Subject.targetGroupDimension(subject.greenTargetGroupArn());
        if (green == null) {
            return measurement(spec, Phase.ERROR, now, "green's target group is not known from the deployment: "
                    + preset.kind().configName() + " cannot be measured", Map.of());
        }
        Instant start = start(windowStart, now);
        Map<String, String> dimensions = dimensions(green, subject);
        String window = Figures.window(Duration.between(start, now)) + noLoadBalancer(subject);
        ProviderSpec.Condition condition = preset.condition();
        return switch (preset.kind()) {
            case GREEN_5XX_RATIO -> {
                Map<String, List<Double>> values = metrics.query(trafficQueries("green", dimensions), start, now, deadline);
                Traffic traffic = traffic("green", values);
                Map<String, Double> figures = figures(traffic);
                String tooFew = tooFew(List.of(traffic), preset.minRequests(), window);
                if (tooFew != null) {
                    yield measurement(spec, Phase.INCONCLUSIVE, now, tooFew, figures);
                }
                boolean holds = condition.holds(traffic.ratio());
                yield measurement(spec, holds ? Phase.SUCCESSFUL : Phase.FAILED, now, "green 5xx ratio "
                        + traffic.described() + " " + Figures.relation(condition, holds) + " "
                        + Figures.percent(condition.threshold()), figures);
            }
            case GREEN_P95_LATENCY, GREEN_P99_LATENCY -> {
                String stat = preset.kind() == ProviderSpec.PresetKind.GREEN_P95_LATENCY ? "p95" : "p99";
                List<Double> values = metrics.query(List.of(latency("green", dimensions, stat)), start, now, deadline)
                        .getOrDefault("greenLatency", List.of());
                if (values.isEmpty()) {
                    yield measurement(spec, Phase.INCONCLUSIVE, now, "no TargetResponseTime " + stat
                            + " datapoints for green " + window, Map.of("datapoints", 0.0));
                }
                double worst = Figures.max(values);
                boolean holds = condition.holds(worst);
                yield measurement(spec, holds ? Phase.SUCCESSFUL : Phase.FAILED, now, "green " + stat + " latency "
                        + Figures.number(worst) + " s (worst of " + values.size() + " one-minute periods " + window
                        + ") " + Figures.relation(condition, holds) + " " + Figures.number(condition.threshold()) + " s",
                        Map.of("greenLatency", worst, "datapoints", (double) values.size()));
            }
            case GREEN_UNHEALTHY_HOSTS -> {
                List<Double> values = metrics.query(List.of(stat("greenUnhealthyHosts", "UnHealthyHostCount",
                                dimensions, "Maximum")), start, now, deadline)
                        .getOrDefault("greenUnhealthyHosts", List.of());
                if (values.isEmpty()) {
                    yield measurement(spec, Phase.INCONCLUSIVE, now, "no UnHealthyHostCount datapoints for green "
                            + window, Map.of("datapoints", 0.0));
                }
                double most = Figures.max(values);
                boolean holds = condition.holds(most);
                yield measurement(spec, holds ? Phase.SUCCESSFUL : Phase.FAILED, now, "green unhealthy hosts "
                        + Figures.number(most) + " (maximum " + window + ") " + Figures.relation(condition, holds) + " "
                        + Figures.number(condition.threshold()), Map.of("greenUnhealthyHosts", most));
            }
        };
    }

    Measurement greenVersusBlue(MetricSpec spec, ProviderSpec.GreenVersusBlue comparison, Subject subject,
                                Instant windowStart, Instant now, Deadline deadline) {
        String green = Subject.targetGroupDimension(subject.greenTargetGroupArn());
        String blue = Subject.targetGroupDimension(subject.blueTargetGroupArn());
        if (green == null || blue == null) {
            return measurement(spec, Phase.ERROR, now, "green versus blue needs both target groups, but "
                    + (green == null ? "green's" : "blue's") + " is not known from the deployment", Map.of());
        }
        Double greenPercent = subject.greenTrafficPercent();
        if (greenPercent != null && (greenPercent <= 0 || greenPercent >= 100)) {
            return measurement(spec, Phase.INCONCLUSIVE, now, greenPercent <= 0
                    ? "green takes no live traffic (0 %): nothing to compare with blue"
                    : "green takes all live traffic (100 %): blue serves none, nothing to compare", Map.of());
        }
        Instant start = start(windowStart, now);
        String window = Figures.window(Duration.between(start, now)) + noLoadBalancer(subject);
        Map<String, String> greenDimensions = dimensions(green, subject);
        Map<String, String> blueDimensions = dimensions(blue, subject);
        List<ProviderSpec.Query> queries = new ArrayList<>(trafficQueries("green", greenDimensions));
        queries.addAll(trafficQueries("blue", blueDimensions));
        String stat = comparison.latencyStat();
        if (stat != null) {
            queries.add(latency("green", greenDimensions, stat));
            queries.add(latency("blue", blueDimensions, stat));
        }
        Map<String, List<Double>> values = metrics.query(queries, start, now, deadline);
        Traffic greenTraffic = traffic("green", values);
        Traffic blueTraffic = traffic("blue", values);
        Map<String, Double> figures = new LinkedHashMap<>(figures(greenTraffic));
        figures.putAll(figures(blueTraffic));
        String tooFew = tooFew(List.of(greenTraffic, blueTraffic), comparison.minRequests(), window);
        if (tooFew != null) {
            return measurement(spec, Phase.INCONCLUSIVE, now, tooFew, figures);
        }
        double margin = comparison.errorRatioMargin();
        boolean errorsHold = greenTraffic.ratio() <= blueTraffic.ratio() + margin;
        String summary = "green 5xx ratio " + greenTraffic.described() + " " + (errorsHold ? "<=" : ">") + " blue "
                + blueTraffic.described() + " + margin " + Figures.percent(margin);
        boolean latencyHolds = true;
        if (stat != null) {
            List<Double> greenLatency = values.getOrDefault("greenLatency", List.of());
            List<Double> blueLatency = values.getOrDefault("blueLatency", List.of());
            if (greenLatency.isEmpty() || blueLatency.isEmpty()) {
                return measurement(spec, Phase.INCONCLUSIVE, now, summary + "; no TargetResponseTime " + stat
                        + " datapoints for " + (greenLatency.isEmpty() ? "green" : "blue") + " " + window, figures);
            }
            double greenWorst = Figures.max(greenLatency);
            double blueWorst = Figures.max(blueLatency);
            figures.put("greenLatency", greenWorst);
            figures.put("blueLatency", blueWorst);
            double factor = 1 + comparison.latencyMargin();
            boolean withinMargin = greenWorst <= blueWorst * factor;
            boolean underFloor = !withinMargin && greenWorst <= comparison.latencyFloor();
            latencyHolds = withinMargin || underFloor;
            summary += "; green " + stat + " latency " + Figures.number(greenWorst) + " s " + (withinMargin ? "<=" : ">")
                    + " blue " + Figures.number(blueWorst) + " s × " + Figures.number(factor)
                    + (underFloor ? ", but <= latencyFloor " + Figures.number(comparison.latencyFloor()) + " s" : "");
        }
        return measurement(spec, errorsHold && latencyHolds ? Phase.SUCCESSFUL : Phase.FAILED, now, summary, figures);
    }

    /**
     * Null when every side served requests, at least {@code minRequests}; else what is too few, e.g.
     * {@code "green served 12 and blue 480 requests in the last 120 s: fewer than minRequests 50 on green"}.
     */
    private static String tooFew(List<Traffic> sides, long minRequests, String window) {
        List<String> lacking = sides.stream()
                .filter(side -> side.requests() <= 0 || side.requests() < minRequests).map(Traffic::side).toList();
        if (lacking.isEmpty()) {
            return null;
        }
        StringBuilder served = new StringBuilder();
        for (Traffic side : sides) {
            served.append(served.isEmpty() ? side.side() + " served " : " and " + side.side() + " ")
                    .append(Figures.number(side.requests()));
        }
        served.append(" requests ").append(window).append(": ");
        String who = lacking.size() == sides.size() && sides.size() > 1 ? "both sides" : String.join(" and ", lacking);
        return served + (minRequests <= 0 ? "no requests on " + who : "fewer than minRequests " + minRequests
                + (sides.size() > 1 ? " on " + who : ""));
    }

    /** GetMetricData refuses a start that is not before the end; a window just begun reads its first second. */
    private static Instant start(Instant windowStart, Instant now) {
        return windowStart.isBefore(now) ? windowStart : now.minusSeconds(1);
    }

    private static Map<String, String> dimensions(String targetGroup, Subject subject) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("TargetGroup", targetGroup);
        String loadBalancer = subject.loadBalancerDimension();
        if (loadBalancer != null) {
            dimensions.put("LoadBalancer", loadBalancer);
        }
        return dimensions;
    }

    private static String noLoadBalancer(Subject subject) {
        return subject.loadBalancerDimension() == null
                ? " (the load balancer is not known: CloudWatch publishes target group metrics with it)" : "";
    }

    private static ProviderSpec.Query stat(String id, String metricName, Map<String, String> dimensions, String stat) {
        return new ProviderSpec.Query(id, NAMESPACE, metricName, dimensions, PERIOD_SECONDS, stat, null, true);
    }

    private static List<ProviderSpec.Query> trafficQueries(String side, Map<String, String> dimensions) {
        return List.of(stat(side + "Requests", "RequestCount", dimensions, "Sum"),
                stat(side + "5xx", "HTTPCode_Target_5XX_Count", dimensions, "Sum"));
    }

    private static ProviderSpec.Query latency(String side, Map<String, String> dimensions, String stat) {
        return stat(side + "Latency", "TargetResponseTime", dimensions, stat);
    }

    private static Traffic traffic(String side, Map<String, List<Double>> values) {
        List<Double> requests = values.getOrDefault(side + "Requests", List.of());
        return new Traffic(side, Figures.sum(requests), Figures.sum(values.getOrDefault(side + "5xx", List.of())));
    }

    private static Map<String, Double> figures(Traffic traffic) {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(traffic.side() + "Requests", traffic.requests());
        figures.put(traffic.side() + "5xx", traffic.errors());
        if (traffic.requests() > 0) {
            figures.put(traffic.side() + "ErrorRatio", traffic.ratio());
        }
        return figures;
    }
}
