package dev.ecsbluegreen.analysis.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.InconclusivePolicy;
import dev.ecsbluegreen.analysis.Measurement;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.Phase;
import dev.ecsbluegreen.analysis.ProviderSpec.Condition;
import dev.ecsbluegreen.analysis.ProviderSpec.Operator;
import dev.ecsbluegreen.analysis.ProviderSpec.PresetKind;
import dev.ecsbluegreen.analysis.ProviderSpec;
import dev.ecsbluegreen.analysis.Subject;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each provider over in-memory sources: what it asks CloudWatch, and what it makes of the answer. */
class ProvidersTest {
    static final String LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188";
    static final String GREEN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-green/6d0ecf831eec9f09";
    static final String BLUE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-blue/943f017f100becff";
    static final Subject SUBJECT = new Subject(LB, GREEN, BLUE, 50.0);
    static final Instant NOW = Instant.parse("2026-03-02T10:15:00Z");
    static final Instant WINDOW_START = NOW.minusSeconds(300);

    /** Alarms and metric data as a test sets them; records what was asked. */
    static final class FakeCloudWatch implements AlarmSource, MetricDataSource {
        final List<AlarmState> alarms = new ArrayList<>();
        final Map<String, List<Double>> values = new HashMap<>();
        final List<List<ProviderSpec.Query>> queries = new ArrayList<>();
        final List<Instant[]> windows = new ArrayList<>();
        RuntimeException failure;

        @Override
        public List<AlarmState> alarms(List<String> names, String namePrefix, Deadline deadline) {
            if (failure != null) {
                throw failure;
            }
            return alarms.stream().filter(a -> names.contains(a.name())
                    || (namePrefix != null && a.name().startsWith(namePrefix))).toList();
        }

        @Override
        public Map<String, List<Double>> query(List<ProviderSpec.Query> queries, Instant start, Instant end,
                                               Deadline deadline) {
            this.queries.add(queries);
            windows.add(new Instant[] {start, end});
            if (failure != null) {
                throw failure;
            }
            return values;
        }
    }

    final FakeCloudWatch cloudWatch = new FakeCloudWatch();
    final Providers providers = new Providers(cloudWatch, cloudWatch);

    static MetricSpec spec(String name, ProviderSpec provider) {
        return new MetricSpec(name, provider, Duration.ofSeconds(60), 3, 0, 4, 0, InconclusivePolicy.FAIL);
    }

    Measurement measure(ProviderSpec provider, Subject subject) {
        return providers.forSpec(provider).measure(spec("m", provider), subject, WINDOW_START, NOW,
                Deadline.after(Duration.ofSeconds(30)));
    }

    // ------------------------------------------------------------------ alarms

    static Stream<Arguments> alarmCases() {
        var ok = new AlarmSource.AlarmState("shop-5xx", "OK", "fine");
        var latency = new AlarmSource.AlarmState("shop-latency", "OK", null);
        var firing = new AlarmSource.AlarmState("shop-cpu", "ALARM",
                "Threshold Crossed: 1 out of the last 1 datapoints [93.1 (02/03/26 10:14:00)] was greater than the threshold (80.0).");
        var unsure = new AlarmSource.AlarmState("shop-queue", "INSUFFICIENT_DATA", "no data");
        return Stream.of(
                Arguments.of(List.of(ok, latency), List.of("shop-5xx", "shop-latency"), null, Phase.SUCCESSFUL,
                        "2 alarms OK"),
                Arguments.of(List.of(ok), List.of(), "shop-", Phase.SUCCESSFUL, "1 alarm OK"),
                Arguments.of(List.of(ok, firing, unsure), List.of(), "shop-", Phase.FAILED,
                        "1 of 3 alarms in ALARM: shop-cpu (Threshold Crossed: 1 out of the last 1 datapoints [93.1 "
                                + "(02/03/26 10:14:00)] was greater than the threshold (80.0).)"),
                // an alarm that fires is the signal that matters, even when another is missing
                Arguments.of(List.of(firing), List.of("shop-cpu", "shop-gone"), null, Phase.FAILED,
                        "1 of 1 alarms in ALARM: shop-cpu (Threshold Crossed: 1 out of the last 1 datapoints [93.1 "
                                + "(02/03/26 10:14:00)] was greater than the threshold (80.0).)"),
                Arguments.of(List.of(ok, unsure), List.of("shop-5xx", "shop-queue"), null, Phase.INCONCLUSIVE,
                        "1 of 2 alarms in INSUFFICIENT_DATA: shop-queue"),
                // a missing alarm is a gate that watches less than the operator meant: an error, before inconclusive
                Arguments.of(List.of(unsure), List.of("shop-queue", "shop-gone"), null, Phase.ERROR,
                        "alarm shop-gone does not exist"),
                Arguments.of(List.of(), List.of("a", "b"), null, Phase.ERROR, "alarms a, b do not exist"),
                Arguments.of(List.of(ok), List.of("shop-5xx"), "orders-", Phase.ERROR,
                        "no alarm's name starts with 'orders-'"));
    }

    @ParameterizedTest(name = "{4}")
    @MethodSource("alarmCases")
    void alarmsGate(List<AlarmSource.AlarmState> alarms, List<String> names, String prefix, Phase phase,
                    String summary) {
        cloudWatch.alarms.addAll(alarms);

        Measurement measurement = measure(new ProviderSpec.Alarms(names, prefix), SUBJECT);

        assertEquals(phase, measurement.phase());
        assertEquals(summary, measurement.summary());
        assertEquals("m", measurement.metric());
        assertEquals(NOW, measurement.at());
    }

    @Test
    void aLongAlarmReasonIsShortened() {
        cloudWatch.alarms.add(new AlarmSource.AlarmState("shop-cpu", "ALARM", "x".repeat(500)));

        Measurement measurement = measure(new ProviderSpec.Alarms(List.of("shop-cpu"), null), SUBJECT);

        assertEquals("1 of 1 alarms in ALARM: shop-cpu (" + "x".repeat(Providers.REASON_CHARACTERS - 1) + "…)",
                measurement.summary());
    }

    // ------------------------------------------------------------------ failures are data

    @Test
    void aFailedCallIsAnErrorMeasurementWithItsMessage() {
        cloudWatch.failure = new AwsCallException("cloudwatch:GetMetricData", AwsCallException.Kind.PERMISSION_DENIED,
                "AccessDenied", "the function's role is not allowed to call cloudwatch:GetMetricData", null);

        Measurement measurement = measure(preset(PresetKind.GREEN_5XX_RATIO, Operator.LESS_THAN_OR_EQUAL, 0.01), SUBJECT);

        assertEquals(Phase.ERROR, measurement.phase());
        assertEquals("the function's role is not allowed to call cloudwatch:GetMetricData", measurement.summary());
    }

    @Test
    void anyOtherFailureIsAnErrorMeasurementToo() {
        cloudWatch.failure = new IllegalStateException("the source broke its promise");

        Measurement measurement = measure(new ProviderSpec.Alarms(List.of("a"), null), SUBJECT);

        assertEquals(Phase.ERROR, measurement.phase());
        assertEquals("the measurement failed unexpectedly: java.lang.IllegalStateException: the source broke its promise",
                measurement.summary());
    }

    // ------------------------------------------------------------------ metric queries

    static ProviderSpec.MetricQuery errorRateQuery(ProviderSpec.Fold fold) {
        return new ProviderSpec.MetricQuery(List.of(
                new ProviderSpec.Query("errors", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
                        Map.of("TargetGroup", Placeholder.GREEN_TARGET_GROUP, "LoadBalancer", Placeholder.LOAD_BALANCER),
                        60, "Sum", null, false),
                new ProviderSpec.Query("rate", null, null, null, null, null, "errors / 60", true)),
                "rate", fold, new Condition(Operator.LESS_THAN, 0.5));
    }

    @Test
    void aMetricQueryReadsTheLastIntervalWithThePlaceholdersResolved() {
        cloudWatch.values.put("rate", List.of(0.1, 0.3, 0.2));

        Measurement measurement = measure(errorRateQuery(ProviderSpec.Fold.AVERAGE), SUBJECT);

        assertEquals(Phase.SUCCESSFUL, measurement.phase());
        assertEquals("rate average 0.2 (3 datapoints in the last 60 s) < 0.5", measurement.summary());
        assertEquals(Map.of("value", 0.2, "datapoints", 3.0), Map.of("value",
                Math.round(measurement.figures().get("value") * 1000) / 1000.0, "datapoints",
                measurement.figures().get("datapoints")));
        assertEquals(Map.of("TargetGroup", "targetgroup/shop-green/6d0ecf831eec9f09",
                "LoadBalancer", "app/shop/50dc6c495c0c9188"), cloudWatch.queries.get(0).get(0).dimensions());
        assertEquals(NOW.minusSeconds(60), cloudWatch.windows.get(0)[0]);
        assertEquals(NOW, cloudWatch.windows.get(0)[1]);
    }

    static Stream<Arguments> folds() {
        return Stream.of(
                Arguments.of(ProviderSpec.Fold.SUM, Phase.FAILED, "rate sum 0.9 (3 datapoints in the last 60 s) >= 0.5"),
                Arguments.of(ProviderSpec.Fold.MAXIMUM, Phase.SUCCESSFUL, "rate maximum 0.4 (3 datapoints in the last 60 s) < 0.5"),
                Arguments.of(ProviderSpec.Fold.MINIMUM, Phase.SUCCESSFUL, "rate minimum 0.1 (3 datapoints in the last 60 s) < 0.5"),
                Arguments.of(ProviderSpec.Fold.LAST, Phase.SUCCESSFUL, "rate last 0.4 (3 datapoints in the last 60 s) < 0.5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folds")
    void theResultsValuesAreFoldedThenCompared(ProviderSpec.Fold fold, Phase phase, String summary) {
        cloudWatch.values.put("rate", List.of(0.1, 0.4, 0.4));

        Measurement measurement = measure(errorRateQuery(fold), SUBJECT);

        assertEquals(phase, measurement.phase());
        assertEquals(summary, measurement.summary());
    }

    @Test
    void aMetricQueryWithoutDatapointsIsInconclusive() {
        Measurement measurement = measure(errorRateQuery(ProviderSpec.Fold.SUM), SUBJECT);

        assertEquals(Phase.INCONCLUSIVE, measurement.phase());
        assertEquals("rate: no datapoints in the last 60 s", measurement.summary());
    }

    @Test
    void aPlaceholderTheDeploymentDidNotResolveIsAnErrorNamingWhatIsMissing() {
        Measurement measurement = measure(errorRateQuery(ProviderSpec.Fold.SUM), new Subject(null, GREEN, BLUE, null));

        assertEquals(Phase.ERROR, measurement.phase());
        assertEquals("query errors dimension LoadBalancer is ${loadBalancer}, but the load balancer is not known from "
                + "the deployment", measurement.summary());
        assertEquals(List.of(), cloudWatch.queries, "nothing is asked with a placeholder left in it");
    }

    // ------------------------------------------------------------------ presets

    static ProviderSpec.Preset preset(PresetKind kind, Operator operator, double threshold) {
        return new ProviderSpec.Preset(kind, new Condition(operator, threshold), 20);
    }

    @Test
    void theFiveXxRatioAddsUpBothSumsOverTheWholeWindow() {
        cloudWatch.values.put("greenRequests", List.of(200.0, 300.0));
        cloudWatch.values.put("green5xx", List.of(1.0));

        Measurement measurement = measure(preset(PresetKind.GREEN_5XX_RATIO, Operator.LESS_THAN_OR_EQUAL, 0.01), SUBJECT);

        assertEquals(Phase.SUCCESSFUL, measurement.phase());
        assertEquals("green 5xx ratio 0.2 % (1 of 500 requests) <= 1 %", measurement.summary());
        assertEquals(Map.of("greenRequests", 500.0, "green5xx", 1.0, "greenErrorRatio", 0.002), measurement.figures());
        assertEquals(WINDOW_START, cloudWatch.windows.get(0)[0]);
        List<ProviderSpec.Query> queries = cloudWatch.queries.get(0);
        assertEquals(List.of("RequestCount", "HTTPCode_Target_5XX_Count"),
                queries.stream().map(ProviderSpec.Query::metricName).toList());
        for (ProviderSpec.Query query : queries) {
            assertEquals("AWS/ApplicationELB", query.namespace());
            assertEquals("Sum", query.stat());
            assertEquals(60, query.periodSeconds());
            assertEquals(null, query.expression(), "metric stats, not an expression");
            assertEquals(Map.of("TargetGroup", "targetgroup/shop-green/6d0ecf831eec9f09",
                    "LoadBalancer", "app/shop/50dc6c495c0c9188"), query.dimensions());
        }
    }

    @Test
    void noFiveXxDatapointsWhileRequestsWereServedMeansNoErrors() {
        cloudWatch.values.put("greenRequests", List.of(40.0));

        Measurement measurement = measure(preset(PresetKind.GREEN_5XX_RATIO, Operator.LESS_THAN_OR_EQUAL, 0.01), SUBJECT);

        assertEquals(Phase.SUCCESSFUL, measurement.phase());
        assertEquals("green 5xx ratio 0 % (0 of 40 requests) <= 1 %", measurement.summary());
    }

    @Test
    void theFiveXxRatioFailsAboveItsMaximum() {
        cloudWatch.values.put("greenRequests", List.of(500.0));
        cloudWatch.values.put("green5xx", List.of(31.0));

        Measurement measurement = measure(preset(PresetKind.GREEN_5XX_RATIO, Operator.LESS_THAN_OR_EQUAL, 0.01), SUBJECT);

        assertEquals(Phase.FAILED, measurement.phase());
        assertEquals("green 5xx ratio 6.2 % (31 of 500 requests) > 1 %", measurement.summary());
    }

    @Test
    void fewerRequestsThanMinRequestsIsInconclusive() {
        cloudWatch.values.put("greenRequests", List.of(12.0));
        cloudWatch.values.put("green5xx", List.of(12.0));

        Measurement measurement = measure(preset(PresetKind.GREEN_5XX_RATIO, Operator.LESS_THAN_OR_EQUAL, 0.01), SUBJECT);

        assertEquals(Phase.INCONCLUSIVE, measurement.phase());
        assertEquals("green served 12 requests in the last 300 s: fewer than minRequests 20", measurement.summary());
    }

    @Test
    void noRequestsAtAllIsInconclusiveAndSaysWhenTheLoadBalancerIsUnknown() {
        Measurement measurement = measure(new ProviderSpec.Preset(PresetKind.GREEN_5XX_RATIO,
                new Condition(Operator.LESS_THAN_OR_EQUAL, 0.01), 0), new Subject(null, GREEN, null, null));

        assertEquals(Phase.INCONCLUSIVE, measurement.phase());
        assertEquals("green served 0 requests in the last 300 s (the load balancer is not known: CloudWatch publishes "
                + "target group metrics with it): no requests on green", measurement.summary());
        assertEquals(Map.of("TargetGroup", "targetgroup/shop-green/6d0ecf831eec9f09"),
                cloudWatch.queries.get(0).get(0).dimensions());
    }

    @Test
    void aPresetWithoutGreensTargetGroupIsAnError() {
        Measurement measurement = measure(preset(PresetKind.GREEN_P95_LATENCY, Operator.LESS_THAN_OR_EQUAL, 1),
                new Subject(LB, null, BLUE, null));

        assertEquals(Phase.ERROR, measurement.phase());
        assertEquals("green's target group is not known from the deployment: green-p95-latency cannot be measured",
                measurement.summary());
    }

    @Test
    void latencyIsTheWorstPeriodAtThePresetsPercentile() {
        cloudWatch.values.put("greenLatency", List.of(0.2, 1.4, 0.3));

        Measurement measurement = measure(preset(PresetKind.GREEN_P99_LATENCY, Operator.LESS_THAN_OR_EQUAL, 2), SUBJECT);

        assertEquals(Phase.SUCCESSFUL, measurement.phase());
        assertEquals("green p99 latency 1.4 s (worst of 3 one-minute periods in the last 300 s) <= 2 s",
                measurement.summary());
        ProviderSpec.Query query = cloudWatch.queries.get(0).get(0);
        assertEquals("TargetResponseTime", query.metricName());
        assertEquals("p99", query.stat());
    }

    @Test
    void latencyWithoutDatapointsIsInconclusive() {
        Measurement measurement = measure(preset(PresetKind.GREEN_P95_LATENCY, Operator.LESS_THAN_OR_EQUAL, 1), SUBJECT);

        assertEquals(Phase.INCONCLUSIVE, measurement.phase());
        assertEquals("no TargetResponseTime p95 datapoints for green in the last 300 s", measurement.summary());
    }

    @Test
    void unhealthyHostsIsTheWindowsMaximum() {
        cloudWatch.values.put("greenUnhealthyHosts", List.of(0.0, 1.0, 0.0));

        Measurement measurement = measure(preset(PresetKind.GREEN_UNHEALTHY_HOSTS, Operator.LESS_THAN_OR_EQUAL, 0),
                SUBJECT);

        assertEquals(Phase.FAILED, measurement.phase());
        assertEquals("green unhealthy hosts 1 (maximum in the last 300 s) > 0", measurement.summary());
        assertEquals("Maximum", cloudWatch.queries.get(0).get(0).stat());
    }

    // ------------------------------------------------------------------ green versus blue

    static final ProviderSpec.GreenVersusBlue COMPARISON = new ProviderSpec.GreenVersusBlue(0.01, "p95", 0.2, 50);

    void traffic(double greenRequests, double green5xx, double blueRequests, double blue5xx) {
        cloudWatch.values.put("greenRequests", List.of(greenRequests));
        cloudWatch.values.put("green5xx", List.of(green5xx));
        cloudWatch.values.put("blueRequests", List.of(blueRequests));
        cloudWatch.values.put("blue5xx", List.of(blue5xx));
    }

    @Test
    void greenFailsWhenItsErrorRatioExceedsBluesByMoreThanTheMargin() {
        traffic(500, 31, 498, 2);
        cloudWatch.values.put("greenLatency", List.of(0.41));
        cloudWatch.values.put("blueLatency", List.of(0.39));

        Measurement measurement = measure(COMPARISON, SUBJECT);

        assertEquals(Phase.FAILED, measurement.phase());
        assertEquals("green 5xx ratio 6.2 % (31 of 500 requests) > blue 0.402 % (2 of 498 requests) + margin 1 %; "
                + "green p95 latency 0.41 s <= blue 0.39 s × 1.2", measurement.summary());
        assertEquals(java.util.Set.of("greenRequests", "green5xx", "greenErrorRatio", "blueRequests", "blue5xx",
                "blueErrorRatio", "greenLatency", "blueLatency"), measurement.figures().keySet());
        assertEquals(31 / 500.0, measurement.figures().get("greenErrorRatio"));
        assertEquals(1, cloudWatch.queries.size(), "one GetMetricData call for both sides");
        assertEquals(6, cloudWatch.queries.get(0).size());
    }

    @Test
    void greenFailsWhenItsLatencyExceedsBluesByMoreThanTheMargin() {
        traffic(500, 1, 500, 1);
        cloudWatch.values.put("greenLatency", List.of(0.3, 0.5));
        cloudWatch.values.put("blueLatency", List.of(0.4, 0.35));

        Measurement measurement = measure(COMPARISON, SUBJECT);

        assertEquals(Phase.FAILED, measurement.phase());
        assertEquals("green 5xx ratio 0.2 % (1 of 500 requests) <= blue 0.2 % (1 of 500 requests) + margin 1 %; "
                + "green p95 latency 0.5 s > blue 0.4 s × 1.2", measurement.summary());
        assertEquals(0.5, measurement.figures().get("greenLatency"));
        assertEquals(0.4, measurement.figures().get("blueLatency"));
    }

    @Test
    void aGreenLatencyUnderTheFloorPassesHoweverFarAboveBluesAndOneAboveItDoesNot() {
        traffic(500, 1, 500, 1);
        cloudWatch.values.put("greenLatency", List.of(0.006));
        cloudWatch.values.put("blueLatency", List.of(0.0028));
        ProviderSpec.GreenVersusBlue floored = new ProviderSpec.GreenVersusBlue(0.01, "Average", 1.0, 50, 0.05);

        Measurement measurement = measure(floored, SUBJECT);

        assertEquals(Phase.SUCCESSFUL, measurement.phase(), measurement.summary());
        assertEquals("green 5xx ratio 0.2 % (1 of 500 requests) <= blue 0.2 % (1 of 500 requests) + margin 1 %; "
                + "green Average latency 0.006 s > blue 0.0028 s × 2, but <= latencyFloor 0.05 s", measurement.summary());

        cloudWatch.values.put("greenLatency", List.of(0.08));
        assertEquals(Phase.FAILED, measure(floored, SUBJECT).phase());
        assertEquals(Phase.FAILED, measure(new ProviderSpec.GreenVersusBlue(0.01, "Average", 1.0, 50), SUBJECT).phase(),
                "without a floor, 6 ms against 2.8 ms fails");
    }

    @Test
    void greenPassesWithinTheMarginsAndLatencyIsNotComparedWithoutAStatistic() {
        traffic(500, 5, 500, 2);

        Measurement measurement = measure(new ProviderSpec.GreenVersusBlue(0.01, null, 0, 50), SUBJECT);

        assertEquals(Phase.SUCCESSFUL, measurement.phase());
        assertEquals("green 5xx ratio 1 % (5 of 500 requests) <= blue 0.4 % (2 of 500 requests) + margin 1 %",
                measurement.summary());
        assertEquals(4, cloudWatch.queries.get(0).size());
    }

    @Test
    void tooFewRequestsOnEitherSideIsInconclusive() {
        traffic(12, 0, 480, 0);

        Measurement measurement = measure(COMPARISON, SUBJECT);

        assertEquals(Phase.INCONCLUSIVE, measurement.phase());
        assertEquals("green served 12 and blue 480 requests in the last 300 s: fewer than minRequests 50 on green",
                measurement.summary());
        assertEquals(12.0, measurement.figures().get("greenRequests"));
        assertEquals(480.0, measurement.figures().get("blueRequests"));
    }

    @Test
    void nothingToCompareWhenOneSideTakesNoLiveTraffic() {
        Measurement all = measure(COMPARISON, new Subject(LB, GREEN, BLUE, 100.0));
        Measurement none = measure(COMPARISON, new Subject(LB, GREEN, BLUE, 0.0));

        assertEquals(Phase.INCONCLUSIVE, all.phase());
        assertEquals("green takes all live traffic (100 %): blue serves none, nothing to compare", all.summary());
        assertEquals(Phase.INCONCLUSIVE, none.phase());
        assertEquals("green takes no live traffic (0 %): nothing to compare with blue", none.summary());
        assertEquals(List.of(), cloudWatch.queries, "nothing asked when there is nothing to compare");
    }

    @Test
    void missingLatencyDatapointsAreInconclusive() {
        traffic(500, 1, 500, 1);
        cloudWatch.values.put("greenLatency", List.of(0.3));

        Measurement measurement = measure(COMPARISON, SUBJECT);

        assertEquals(Phase.INCONCLUSIVE, measurement.phase());
        assertTrue(measurement.summary().endsWith("; no TargetResponseTime p95 datapoints for blue in the last 300 s"),
                measurement.summary());
    }

    @Test
    void greenVersusBlueNeedsBothTargetGroups() {
        Measurement measurement = measure(COMPARISON, new Subject(LB, GREEN, null, 50.0));

        assertEquals(Phase.ERROR, measurement.phase());
        assertEquals("green versus blue needs both target groups, but blue's is not known from the deployment",
                measurement.summary());
    }
}
