package dev.ecsbluegreen.analysis.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.AnalysisVerdict;
import dev.ecsbluegreen.analysis.InconclusivePolicy;
import dev.ecsbluegreen.analysis.Measurement;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.Phase;
import dev.ecsbluegreen.analysis.ProviderSpec.Condition;
import dev.ecsbluegreen.analysis.ProviderSpec.Operator;
import dev.ecsbluegreen.analysis.ProviderSpec.PresetKind;
import dev.ecsbluegreen.analysis.ProviderSpec;
import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.analysis.Status;
import dev.ecsbluegreen.analysis.Subject;
import dev.ecsbluegreen.analysis.metrics.AlarmSource;
import dev.ecsbluegreen.analysis.metrics.Placeholder;
import dev.ecsbluegreen.analysis.metrics.Providers;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.testing.FaultInjectingProxy;
import dev.ecsbluegreen.testing.Moto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The providers and the runner through the real SDK against moto's CloudWatch: ALB-style metrics put for two target
 * groups, alarms set from another thread, and faults on the wire. Where moto 5.2 departs from CloudWatch the test
 * says so and asserts what moto makes possible.
 */
class CloudWatchProvidersIT {
    @RegisterExtension
    static final Moto moto = new Moto();

    static final String LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188";
    static final String GREEN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-green/6d0ecf831eec9f09";
    static final String BLUE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-blue/943f017f100becff";
    static final Subject SUBJECT = new Subject(LB, GREEN, BLUE, 50.0);

    private final CloudWatchClient cloudWatch = moto.client(CloudWatchClient.builder());
    private final Instant now = Instant.now();
    private final Instant windowStart = now.minusSeconds(300);

    private static MetricSpec spec(String name, ProviderSpec provider, int intervalSeconds, int count,
                                   int consecutiveErrorLimit, InconclusivePolicy policy) {
        return new MetricSpec(name, provider, Duration.ofSeconds(intervalSeconds), count, 0, consecutiveErrorLimit, 0,
                policy);
    }

    private static MetricSpec spec(String name, ProviderSpec provider) {
        return spec(name, provider, 60, 3, 4, InconclusivePolicy.FAIL);
    }

    /**
     * One datapoint of an ALB target group metric, as the load balancer publishes it (both dimensions, sorted by name:
     * moto matches them in the order {@link CloudWatchSource} sends them).
     */
    private void put(String targetGroupArn, String metricName, double value, Instant at) {
        cloudWatch.putMetricData(r -> r.namespace("AWS/ApplicationELB").metricData(MetricDatum.builder()
                .metricName(metricName).timestamp(at).value(value)
                .unit(metricName.equals("TargetResponseTime") ? StandardUnit.SECONDS : StandardUnit.COUNT)
                .dimensions(Dimension.builder().name("LoadBalancer").value("app/shop/50dc6c495c0c9188").build(),
                        Dimension.builder().name("TargetGroup").value(Subject.targetGroupDimension(targetGroupArn)).build())
                .build()));
    }

    private void traffic(String targetGroupArn, double requests, double errors, double latency) {
        // two one-minute periods of the window, so that the sums add up datapoints
        put(targetGroupArn, "RequestCount", requests / 2, now.minusSeconds(150));
        put(targetGroupArn, "RequestCount", requests / 2, now.minusSeconds(30));
        if (errors > 0) {
            put(targetGroupArn, "HTTPCode_Target_5XX_Count", errors, now.minusSeconds(30));
        }
        put(targetGroupArn, "TargetResponseTime", latency, now.minusSeconds(30));
    }

    private Measurement measure(CloudWatchClient client, MetricSpec spec, Subject subject, Deadline deadline) {
        return new Providers(new CloudWatchSource(client), new CloudWatchSource(client)).forSpec(spec.provider())
                .measure(spec, subject, windowStart, now, deadline);
    }

    private Measurement measure(MetricSpec spec) {
        return measure(cloudWatch, spec, SUBJECT, Deadline.after(Duration.ofSeconds(20)));
    }

    private void alarm(String name, StateValue state) {
        putAlarm(name);
        // moto starts an alarm in OK (CloudWatch in INSUFFICIENT_DATA): the test sets the state it means
        cloudWatch.setAlarmState(r -> r.alarmName(name).stateValue(state).stateReason("set by the test: " + state));
    }

    private void putAlarm(String name) {
        cloudWatch.putMetricAlarm(r -> r.alarmName(name).namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count").statistic(Statistic.SUM).period(60).evaluationPeriods(1)
                .threshold(5.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
    }

    // ------------------------------------------------------------------ presets

    @Test
    void greensFiveXxRatioPassesWithinItsMaximumAndFailsAboveIt() {
        traffic(GREEN, 500, 1, 0.2);
        traffic(BLUE, 500, 40, 0.2);
        ProviderSpec.Preset ratio = new ProviderSpec.Preset(PresetKind.GREEN_5XX_RATIO,
                new Condition(Operator.LESS_THAN_OR_EQUAL, 0.01), 20);

        Measurement green = measure(spec("green 5xx", ratio));
        // the same preset judging blue's target group as if it were green
        Measurement blueAsGreen = measure(cloudWatch, spec("green 5xx", ratio), new Subject(LB, BLUE, null, null),
                Deadline.after(Duration.ofSeconds(20)));

        assertEquals(Phase.SUCCESSFUL, green.phase(), green.summary());
        assertEquals("green 5xx ratio 0.2 % (1 of 500 requests) <= 1 %", green.summary());
        assertEquals(Phase.FAILED, blueAsGreen.phase(), blueAsGreen.summary());
        assertEquals("green 5xx ratio 8 % (40 of 500 requests) > 1 %", blueAsGreen.summary());
    }

    @Test
    void greenWithoutFiveXxDatapointsServedNoErrorsAndTooFewRequestsAreInconclusive() {
        traffic(GREEN, 500, 0, 0.2);

        Measurement clean = measure(spec("green 5xx", new ProviderSpec.Preset(PresetKind.GREEN_5XX_RATIO,
                new Condition(Operator.LESS_THAN_OR_EQUAL, 0.01), 20)));
        Measurement tooFew = measure(spec("green 5xx", new ProviderSpec.Preset(PresetKind.GREEN_5XX_RATIO,
                new Condition(Operator.LESS_THAN_OR_EQUAL, 0.01), 1000)));

        assertEquals("green 5xx ratio 0 % (0 of 500 requests) <= 1 %", clean.summary());
        assertEquals(Phase.INCONCLUSIVE, tooFew.phase());
        assertEquals("green served 500 requests in the last 300 s: fewer than minRequests 1000", tooFew.summary());
    }

    @Test
    void unhealthyHostsIsTheMaximumOfTheWindow() {
        put(GREEN, "UnHealthyHostCount", 0, now.minusSeconds(150));
        put(GREEN, "UnHealthyHostCount", 2, now.minusSeconds(90));
        put(GREEN, "UnHealthyHostCount", 0, now.minusSeconds(30));

        Measurement measurement = measure(spec("hosts", new ProviderSpec.Preset(PresetKind.GREEN_UNHEALTHY_HOSTS,
                new Condition(Operator.LESS_THAN_OR_EQUAL, 0), 0)));

        assertEquals(Phase.FAILED, measurement.phase());
        assertEquals("green unhealthy hosts 2 (maximum in the last 300 s) > 0", measurement.summary());
    }

    @Test
    void aPercentileMotoCannotComputeIsAnErrorMeasurementNotACrash() {
        traffic(GREEN, 500, 0, 0.2);

        Measurement measurement = measure(spec("green p95", new ProviderSpec.Preset(PresetKind.GREEN_P95_LATENCY,
                new Condition(Operator.LESS_THAN_OR_EQUAL, 1.0), 0)));

        // CloudWatch answers p95 of TargetResponseTime; moto 5.2.1 answers HTTP 500 for any percentile statistic
        assertEquals(Phase.ERROR, measurement.phase());
        assertTrue(measurement.summary().startsWith("cloudwatch:GetMetricData failed ("), measurement.summary());
    }

    // ------------------------------------------------------------------ green versus blue

    @Test
    void greenVersusBluePassesWhenGreenIsAsGoodAsBlueInOneCall() throws Exception {
        traffic(GREEN, 500, 2, 0.21);
        traffic(BLUE, 498, 2, 0.20);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            CloudWatchClient watched = moto.client(CloudWatchClient.builder(), proxy.endpoint());
            // Average: moto computes no percentile (see aPercentileMotoCannotCompute...); CloudWatch takes p95 alike
            Measurement measurement = measure(watched, spec("green vs blue",
                    new ProviderSpec.GreenVersusBlue(0.01, "Average", 0.2, 50)), SUBJECT,
                    Deadline.after(Duration.ofSeconds(20)));

            assertEquals(Phase.SUCCESSFUL, measurement.phase(), measurement.summary());
            assertEquals("green 5xx ratio 0.4 % (2 of 500 requests) <= blue 0.402 % (2 of 498 requests) + margin 1 %; "
                    + "green Average latency 0.21 s <= blue 0.2 s × 1.2", measurement.summary());
            assertEquals(500.0, measurement.figures().get("greenRequests"));
            assertEquals(498.0, measurement.figures().get("blueRequests"));
            assertEquals(0.21, measurement.figures().get("greenLatency"), 1e-9);
            assertEquals(List.of("GetMetricData"), proxy.actions(), "both sides in one call");
        }
    }

    @Test
    void greenVersusBlueFailsAGreenWhoseErrorsOrLatencyExceedBluesByTheMargin() {
        traffic(GREEN, 500, 31, 0.5);
        traffic(BLUE, 500, 2, 0.2);

        Measurement errors = measure(spec("green vs blue", new ProviderSpec.GreenVersusBlue(0.01, null, 0, 50)));
        Measurement latency = measure(spec("green vs blue", new ProviderSpec.GreenVersusBlue(0.1, "Average", 0.2, 50)));

        assertEquals(Phase.FAILED, errors.phase());
        assertEquals("green 5xx ratio 6.2 % (31 of 500 requests) > blue 0.4 % (2 of 500 requests) + margin 1 %",
                errors.summary());
        assertEquals(Phase.FAILED, latency.phase());
        assertTrue(latency.summary().endsWith("; green Average latency 0.5 s > blue 0.2 s × 1.2"), latency.summary());
    }

    @Test
    void greenVersusBlueIsInconclusiveWhenBlueServesTooFew() {
        traffic(GREEN, 500, 0, 0.2);
        traffic(BLUE, 10, 0, 0.2);

        Measurement measurement = measure(spec("green vs blue", new ProviderSpec.GreenVersusBlue(0.01, null, 0, 50)));

        assertEquals(Phase.INCONCLUSIVE, measurement.phase());
        assertEquals("green served 500 and blue 10 requests in the last 300 s: fewer than minRequests 50 on blue",
                measurement.summary());
    }

    // ------------------------------------------------------------------ metric queries

    @Test
    void aMetricQueryReadsTheLastIntervalThroughResolvedPlaceholders() {
        traffic(GREEN, 500, 31, 0.2);
        ProviderSpec.Query errors = new ProviderSpec.Query("errors", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
                Map.of("TargetGroup", Placeholder.GREEN_TARGET_GROUP, "LoadBalancer", Placeholder.LOAD_BALANCER), 60,
                "Sum", null, true);

        Measurement measurement = measure(spec("green errors", new ProviderSpec.MetricQuery(List.of(errors), "errors",
                ProviderSpec.Fold.SUM, new Condition(Operator.LESS_THAN, 10))));

        assertEquals(Phase.FAILED, measurement.phase());
        assertEquals("errors sum 31 (1 datapoint in the last 60 s) >= 10", measurement.summary());
    }

    @Test
    void anExpressionMotoDoesNotComputeIsInconclusive() {
        traffic(GREEN, 500, 31, 0.2);
        ProviderSpec.Query errors = new ProviderSpec.Query("errors", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
                Map.of("TargetGroup", Placeholder.GREEN_TARGET_GROUP, "LoadBalancer", Placeholder.LOAD_BALANCER), 60,
                "Sum", null, false);
        ProviderSpec.Query rate = new ProviderSpec.Query("rate", null, null, null, null, null, "errors / 60", true);

        Measurement measurement = measure(spec("green error rate", new ProviderSpec.MetricQuery(List.of(errors, rate),
                "rate", ProviderSpec.Fold.MAXIMUM, new Condition(Operator.LESS_THAN, 1))));

        // CloudWatch answers 31 / 60 here; moto 5.2.1 computes no metric math (it returns no values)
        assertEquals(Phase.INCONCLUSIVE, measurement.phase());
        assertEquals("rate: no datapoints in the last 60 s", measurement.summary());
    }

    // ------------------------------------------------------------------ alarms

    @Test
    void anAlarmThatFiresMidWindowFailsTheAnalysisAtTheNextMeasurement() {
        alarm("shop-5xx", StateValue.OK);
        alarm("shop-latency", StateValue.OK);
        MetricSpec gate = spec("alarms", new ProviderSpec.Alarms(List.of("shop-5xx"), "shop-"), 1, 10, 4,
                InconclusivePolicy.FAIL);
        List<Measurement> measurements = new ArrayList<>();
        Analysis analysis = new Analysis(new Providers(new CloudWatchSource(cloudWatch), new CloudWatchSource(cloudWatch)),
                Sleeper.THREAD, Clock.systemUTC());

        AnalysisVerdict verdict = analysis.runToVerdict(List.of(gate), SUBJECT, Instant.now(),
                Deadline.after(Duration.ofSeconds(20)), measurement -> {
                    measurements.add(measurement);
                    if (measurements.size() == 1) {
                        Thread firing = new Thread(() -> cloudWatch.setAlarmState(r -> r.alarmName("shop-5xx")
                                .stateValue(StateValue.ALARM).stateReason("Threshold Crossed: 12 > 5.0")));
                        firing.start();
                        join(firing);
                    }
                });

        assertEquals(List.of(Phase.SUCCESSFUL, Phase.FAILED), measurements.stream().map(Measurement::phase).toList());
        assertEquals("2 alarms OK", measurements.get(0).summary());
        assertEquals(Status.FAILED, verdict.status());
        assertEquals("alarms: failed 1 of 2 (failureLimit 0): 1 of 2 alarms in ALARM: shop-5xx (Threshold Crossed: "
                + "12 > 5.0)", verdict.reason());
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void insufficientDataFailsUnderFailAndWaitsUnderWait() {
        alarm("shop-5xx", StateValue.INSUFFICIENT_DATA);
        Providers providers = new Providers(new CloudWatchSource(cloudWatch), new CloudWatchSource(cloudWatch));
        Analysis analysis = new Analysis(providers, Sleeper.THREAD, Clock.systemUTC());
        ProviderSpec.Alarms gate = new ProviderSpec.Alarms(List.of("shop-5xx"), null);

        AnalysisVerdict failing = analysis.runToVerdict(List.of(spec("alarms", gate, 1, 3, 4, InconclusivePolicy.FAIL)),
                SUBJECT, Instant.now().minusSeconds(1), Deadline.after(Duration.ofSeconds(10)), m -> { });
        Analysis.Round waiting = analysis.measureOnce(List.of(spec("alarms", gate, 1, 3, 4, InconclusivePolicy.WAIT)),
                SUBJECT, Map.of(), Instant.now(), Deadline.after(Duration.ofSeconds(10)), m -> { });

        assertEquals(Status.FAILED, failing.status());
        assertEquals("alarms: inconclusive 1 of 1 (inconclusiveLimit 0): 1 of 1 alarms in INSUFFICIENT_DATA: shop-5xx",
                failing.reason());
        assertEquals(Status.PENDING, waiting.verdict().status());
        assertEquals(1, waiting.tallies().get("alarms").inconclusive());
    }

    @Test
    void aMissingAlarmAndAnEmptyPrefixAreErrors() {
        alarm("shop-5xx", StateValue.OK);

        Measurement missing = measure(spec("alarms", new ProviderSpec.Alarms(List.of("shop-5xx", "shop-gone"), null)));
        Measurement empty = measure(spec("alarms", new ProviderSpec.Alarms(List.of(), "orders-")));

        assertEquals(Phase.ERROR, missing.phase());
        assertEquals("alarm shop-gone does not exist", missing.summary());
        assertEquals(Phase.ERROR, empty.phase());
        assertEquals("no alarm's name starts with 'orders-'", empty.summary());
    }

    @Test
    void moreNamesThanOneDescribeAlarmsCallTakesAreAskedInChunks() throws Exception {
        List<String> names = IntStream.range(0, 120).mapToObj(i -> "shop-%03d".formatted(i)).toList();
        names.forEach(this::putAlarm);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            CloudWatchSource source = new CloudWatchSource(moto.client(CloudWatchClient.builder(), proxy.endpoint()));

            List<AlarmSource.AlarmState> found = source.alarms(names, "shop-", Deadline.after(Duration.ofSeconds(20)));

            assertEquals(120, found.size());
            // 100 names, 20 names, the prefix; moto 5.2 answers every alarm in one page (no NextToken), so paging by
            // NextToken is exercised only against CloudWatch itself
            assertEquals(3, proxy.count("DescribeAlarms"));
        }
    }

    // ------------------------------------------------------------------ faults on the wire

    @Test
    void aDeniedGetMetricDataIsAnErrorMeasurementThenTheConsecutiveErrorLimitFails() throws Exception {
        traffic(GREEN, 500, 0, 0.2);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            proxy.on("GetMetricData").fail(403, "AccessDenied", "User is not authorized to perform: cloudwatch:GetMetricData");
            CloudWatchClient denied = moto.client(CloudWatchClient.builder(), proxy.endpoint());
            Providers providers = new Providers(new CloudWatchSource(denied), new CloudWatchSource(denied));
            MetricSpec ratio = spec("green 5xx", new ProviderSpec.Preset(PresetKind.GREEN_5XX_RATIO,
                    new Condition(Operator.LESS_THAN_OR_EQUAL, 0.01), 20), 1, 3, 1, InconclusivePolicy.FAIL);
            List<Measurement> measurements = new ArrayList<>();

            AnalysisVerdict verdict = new Analysis(providers, Sleeper.THREAD, Clock.systemUTC()).runToVerdict(
                    List.of(ratio), SUBJECT, windowStart, Deadline.after(Duration.ofSeconds(20)), measurements::add);

            assertEquals(List.of(Phase.ERROR, Phase.ERROR), measurements.stream().map(Measurement::phase).toList());
            assertEquals("the function's role is not allowed to call cloudwatch:GetMetricData (AccessDenied: User is "
                    + "not authorized to perform: cloudwatch:GetMetricData)", measurements.get(0).summary());
            assertEquals(Status.FAILED, verdict.status());
            assertTrue(verdict.reason().startsWith("green 5xx: provider failed 2 times in a row (consecutiveErrorLimit 1)"),
                    verdict.reason());
        }
    }

    @Test
    void aThrottledGetMetricDataIsAnErrorAndTheNextMeasurementStartsTheRunOfErrorsAgain() throws Exception {
        traffic(GREEN, 500, 0, 0.2);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            // the SDK makes 3 attempts of a throttled call: all three throttled, then the call goes through
            proxy.on("GetMetricData").times(3).fail(400, "Throttling", "Rate exceeded");
            CloudWatchClient throttled = moto.client(CloudWatchClient.builder(), proxy.endpoint());
            Providers providers = new Providers(new CloudWatchSource(throttled), new CloudWatchSource(throttled));
            MetricSpec ratio = spec("green 5xx", new ProviderSpec.Preset(PresetKind.GREEN_5XX_RATIO,
                    new Condition(Operator.LESS_THAN_OR_EQUAL, 0.01), 20), 1, 2, 1, InconclusivePolicy.FAIL);
            List<Measurement> measurements = new ArrayList<>();

            AnalysisVerdict verdict = new Analysis(providers, Sleeper.THREAD, Clock.systemUTC()).runToVerdict(
                    List.of(ratio), SUBJECT, windowStart, Deadline.after(Duration.ofSeconds(20)), measurements::add);

            assertEquals(List.of(Phase.ERROR, Phase.SUCCESSFUL, Phase.SUCCESSFUL),
                    measurements.stream().map(Measurement::phase).toList());
            assertEquals("cloudwatch:GetMetricData failed (Throttling: Rate exceeded)", measurements.get(0).summary());
            assertEquals(Status.PASSED, verdict.status(), verdict.reason());
            assertEquals(5, proxy.count("GetMetricData"));
        }
    }

    @Test
    void aGetMetricDataThatDoesNotAnswerIsBoundedByTheDeadline() throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            proxy.on("GetMetricData").delay(Duration.ofSeconds(5));
            CloudWatchClient slow = moto.client(CloudWatchClient.builder(), proxy.endpoint());
            long started = System.nanoTime();

            Measurement measurement = measure(slow, spec("green 5xx", new ProviderSpec.Preset(PresetKind.GREEN_5XX_RATIO,
                    new Condition(Operator.LESS_THAN_OR_EQUAL, 0.01), 20)), SUBJECT, Deadline.after(Duration.ofSeconds(1)));

            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertEquals(Phase.ERROR, measurement.phase());
            assertTrue(measurement.summary().startsWith("cloudwatch:GetMetricData did not get an answer"),
                    measurement.summary());
            assertTrue(took.compareTo(Duration.ofMillis(2500)) < 0, "took " + took);
        }
    }
}
