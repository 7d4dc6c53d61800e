package dev.ecsbluegreen.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ecsbluegreen.analysis.ProviderSpec.Condition;
import dev.ecsbluegreen.analysis.ProviderSpec.Operator;
import dev.ecsbluegreen.analysis.ProviderSpec.PresetKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnalysisParserTest {
    /** The example of the class's documentation, which docs/hooks.md quotes. */
    static final String EXAMPLE = """
            {
              "interval": 60, "count": 3, "failureLimit": 0, "consecutiveErrorLimit": 4, "inconclusiveLimit": 0,
              "inconclusive": "fail",
              "metrics": [
                {"name": "alarms", "alarms": {"names": ["shop-5xx", "shop-latency"], "prefix": "shop-"}},
                {"name": "green 5xx", "preset": "green-5xx-ratio", "max": 0.01, "minRequests": 20},
                {"name": "green p95", "preset": "green-p95-latency", "max": 0.8, "interval": 120},
                {"name": "green vs blue", "greenVersusBlue": {"errorRatioMargin": 0.01, "latencyStat": "p95",
                                                              "latencyMargin": 0.2, "minRequests": 50,
                                                              "latencyFloor": 0.05}},
                {"name": "orders 5xx rate", "queries": [
                    {"id": "errors", "namespace": "AWS/ApplicationELB", "metricName": "HTTPCode_Target_5XX_Count",
                     "dimensions": {"TargetGroup": "${greenTargetGroup}", "LoadBalancer": "${loadBalancer}"},
                     "period": 60, "stat": "Sum"},
                    {"id": "rate", "expression": "errors / 60"}],
                 "resultId": "rate", "fold": "maximum", "condition": {"operator": "<=", "threshold": 0.5}}
              ]
            }""";

    @Test
    void readsTheDocumentedExample() {
        List<MetricSpec> metrics = AnalysisParser.parse(EXAMPLE);

        Duration minute = Duration.ofSeconds(60);
        assertEquals(List.of(
                new MetricSpec("alarms", new ProviderSpec.Alarms(List.of("shop-5xx", "shop-latency"), "shop-"), minute,
                        3, 0, 4, 0, InconclusivePolicy.FAIL),
                new MetricSpec("green 5xx", new ProviderSpec.Preset(PresetKind.GREEN_5XX_RATIO,
                        new Condition(Operator.LESS_THAN_OR_EQUAL, 0.01), 20), minute, 3, 0, 4, 0, InconclusivePolicy.FAIL),
                new MetricSpec("green p95", new ProviderSpec.Preset(PresetKind.GREEN_P95_LATENCY,
                        new Condition(Operator.LESS_THAN_OR_EQUAL, 0.8), 0), Duration.ofSeconds(120), 3, 0, 4, 0,
                        InconclusivePolicy.FAIL),
                new MetricSpec("green vs blue", new ProviderSpec.GreenVersusBlue(0.01, "p95", 0.2, 50, 0.05), minute, 3, 0, 4,
                        0, InconclusivePolicy.FAIL),
                new MetricSpec("orders 5xx rate", new ProviderSpec.MetricQuery(List.of(
                        new ProviderSpec.Query("errors", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
                                Map.of("TargetGroup", "${greenTargetGroup}", "LoadBalancer", "${loadBalancer}"), 60,
                                "Sum", null, false),
                        new ProviderSpec.Query("rate", null, null, Map.of(), null, null, "errors / 60", true)),
                        "rate", ProviderSpec.Fold.MAXIMUM, new Condition(Operator.LESS_THAN_OR_EQUAL, 0.5)),
                        minute, 3, 0, 4, 0, InconclusivePolicy.FAIL)), metrics);
    }

    @Test
    void fillsEachPresetsDefaultsAndLetsAMetricOverrideTheTopLevel() {
        List<MetricSpec> metrics = AnalysisParser.parse("""
                {"interval": 30, "count": 5, "inconclusive": "wait", "metrics": [
                  {"name": "a", "preset": "green-5xx-ratio"},
                  {"name": "b", "preset": "green-p95-latency"},
                  {"name": "c", "preset": "green-p99-latency", "count": 1, "failureLimit": 2, "inconclusive": "fail"},
                  {"name": "d", "preset": "green-unhealthy-hosts", "consecutiveErrorLimit": 0, "inconclusiveLimit": 7},
                  {"name": "e", "preset": "green-5xx-ratio", "min": 0},
                  {"name": "f", "greenVersusBlue": {}}]}""");

        assertEquals(new ProviderSpec.Preset(PresetKind.GREEN_5XX_RATIO, new Condition(Operator.LESS_THAN_OR_EQUAL, 0.01),
                20), metrics.get(0).provider());
        assertEquals(new Condition(Operator.LESS_THAN_OR_EQUAL, 1.0), ((ProviderSpec.Preset) metrics.get(1).provider()).condition());
        assertEquals(new Condition(Operator.LESS_THAN_OR_EQUAL, 2.0), ((ProviderSpec.Preset) metrics.get(2).provider()).condition());
        assertEquals(new Condition(Operator.LESS_THAN_OR_EQUAL, 0.0), ((ProviderSpec.Preset) metrics.get(3).provider()).condition());
        assertEquals(new Condition(Operator.GREATER_THAN_OR_EQUAL, 0.0), ((ProviderSpec.Preset) metrics.get(4).provider()).condition());
        assertEquals(new ProviderSpec.GreenVersusBlue(0.01, null, 0.2, 50), metrics.get(5).provider());
        assertEquals(new MetricSpec("a", metrics.get(0).provider(), Duration.ofSeconds(30), 5, 0, 4, 0,
                InconclusivePolicy.WAIT), metrics.get(0));
        assertEquals(new MetricSpec("c", metrics.get(2).provider(), Duration.ofSeconds(30), 1, 2, 4, 0,
                InconclusivePolicy.FAIL), metrics.get(2));
        assertEquals(new MetricSpec("d", metrics.get(3).provider(), Duration.ofSeconds(30), 5, 0, 0, 7,
                InconclusivePolicy.WAIT), metrics.get(3));
    }

    @Test
    void aSingleQueryIsItsOwnResult() {
        ProviderSpec.MetricQuery query = (ProviderSpec.MetricQuery) AnalysisParser.parse("""
                {"metrics": [{"name": "q", "queries": [{"id": "m1", "namespace": "Shop", "metricName": "Orders",
                  "stat": "Sum"}], "fold": "sum", "condition": {"operator": ">", "threshold": 0}}]}""")
                .get(0).provider();

        assertEquals("m1", query.resultId());
        assertEquals(60, query.queries().get(0).periodSeconds());
        assertEquals(true, query.queries().get(0).returnData());
        assertEquals(Map.of(), query.queries().get(0).dimensions());
    }

    static Stream<Arguments> refusals() {
        String preset = "{\"metrics\": [{\"name\": \"g\", \"preset\": \"green-5xx-ratio\"}, {\"name\": \"h\", %s}]}";
        String query = "{\"metrics\": [{\"name\": \"q\", \"fold\": \"sum\", \"condition\": {\"operator\": \"<\", "
                + "\"threshold\": 1}, \"queries\": [%s]}]}";
        String stat = "{\"id\": \"m1\", \"namespace\": \"N\", \"metricName\": \"M\", \"stat\": \"Sum\"";
        return Stream.of(
                Arguments.of("", "ANALYSIS is blank: leave it unset for no analysis"),
                Arguments.of("{", "ANALYSIS is not valid JSON: "),
                Arguments.of("[]", "ANALYSIS must be a JSON object with a metrics array"),
                Arguments.of("{\"metrics\": []}", "ANALYSIS metrics: must be a non-empty array of metrics"),
                Arguments.of("{\"metric\": []}", "ANALYSIS: unknown field 'metric' (known: consecutiveErrorLimit, count, "
                        + "failureLimit, inconclusive, inconclusiveLimit, interval, metrics)"),
                Arguments.of("{\"interval\": 0, \"metrics\": [{}]}",
                        "ANALYSIS interval: must be a whole number of seconds from 1 to 3600"),
                Arguments.of("{\"interval\": 60.5, \"metrics\": [{}]}",
                        "ANALYSIS interval: must be a whole number of seconds from 1 to 3600"),
                Arguments.of("{\"count\": 101, \"metrics\": [{}]}", "ANALYSIS count: must be a whole number from 1 to 100"),
                Arguments.of("{\"failureLimit\": -1, \"metrics\": [{}]}",
                        "ANALYSIS failureLimit: must be a whole number from 0 to 100"),
                Arguments.of("{\"inconclusive\": \"pause\", \"metrics\": [{}]}",
                        "ANALYSIS inconclusive: 'pause' is not one of fail, wait"),
                Arguments.of("{\"metrics\": [7]}", "ANALYSIS metrics[0]: must be an object"),
                Arguments.of("{\"metrics\": [{\"name\": \"x\"}]}",
                        "ANALYSIS metrics[0]: needs one of alarms, preset, greenVersusBlue, queries"),
                Arguments.of(preset.formatted("\"preset\": \"green-5xx\""), "ANALYSIS metrics[1].preset: 'green-5xx' "
                        + "is not one of green-5xx-ratio, green-p95-latency, green-p99-latency, green-unhealthy-hosts"),
                Arguments.of(preset.formatted("\"preset\": \"green-5xx-ratio\", \"alarms\": {}"),
                        "ANALYSIS metrics[1]: alarms and preset exclude each other: give one"),
                Arguments.of(preset.formatted("\"preset\": \"green-5xx-ratio\", \"threshold\": 1"),
                        "ANALYSIS metrics[1]: unknown field 'threshold' (known: consecutiveErrorLimit, count, "
                                + "failureLimit, inconclusive, inconclusiveLimit, interval, max, min, minRequests, name, preset)"),
                Arguments.of(preset.formatted("\"preset\": \"green-5xx-ratio\", \"max\": 5"),
                        "ANALYSIS metrics[1].max: must be a ratio from 0 to 1 (0.01 is 1 %)"),
                Arguments.of(preset.formatted("\"preset\": \"green-p95-latency\", \"max\": \"1s\""),
                        "ANALYSIS metrics[1].max: must be seconds, at least 0"),
                Arguments.of(preset.formatted("\"preset\": \"green-unhealthy-hosts\", \"min\": -1"),
                        "ANALYSIS metrics[1].min: must be a number of hosts of at least 0"),
                Arguments.of(preset.formatted("\"preset\": \"green-5xx-ratio\", \"max\": 0.1, \"min\": 0"),
                        "ANALYSIS metrics[1]: max and min exclude each other: give one"),
                Arguments.of(preset.formatted("\"preset\": \"green-p99-latency\", \"minRequests\": 10"),
                        "ANALYSIS metrics[1].minRequests: applies to green-5xx-ratio only"),
                Arguments.of(preset.formatted("\"preset\": \"green-5xx-ratio\", \"minRequests\": 1e3"),
                        "ANALYSIS metrics[1].minRequests: must be a whole number from 0 to 1000000000"),
                Arguments.of(preset.formatted("\"preset\": \"green-5xx-ratio\", \"interval\": 3601"),
                        "ANALYSIS metrics[1].interval: must be a whole number of seconds from 1 to 3600"),
                Arguments.of(preset.formatted("\"preset\": \"green-5xx-ratio\", \"inconclusive\": true"),
                        "ANALYSIS metrics[1].inconclusive: true is not one of fail, wait"),
                Arguments.of("{\"metrics\": [{\"preset\": \"green-5xx-ratio\"}]}", "ANALYSIS metrics[0].name: must be a string"),
                Arguments.of("{\"metrics\": [{\"name\": \" \", \"preset\": \"green-5xx-ratio\"}]}",
                        "ANALYSIS metrics[0].name: must be a non-blank string of at most 100 characters"),
                Arguments.of(preset.formatted("\"name\": \"g\", \"preset\": \"green-5xx-ratio\"").replace(
                        "\"name\": \"h\", ", ""), "ANALYSIS metrics[1].name: 'g' is already the name of metrics[0]"),
                Arguments.of("{\"metrics\": [{\"name\": \"a\", \"alarms\": {}}]}",
                        "ANALYSIS metrics[0].alarms: needs names or a prefix"),
                Arguments.of("{\"metrics\": [{\"name\": \"a\", \"alarms\": []}]}", "ANALYSIS metrics[0].alarms: must be an object"),
                Arguments.of("{\"metrics\": [{\"name\": \"a\", \"alarms\": {\"names\": \"x\"}}]}",
                        "ANALYSIS metrics[0].alarms.names: must be an array of alarm names"),
                Arguments.of("{\"metrics\": [{\"name\": \"a\", \"alarms\": {\"names\": [\"x\", \"\"]}}]}",
                        "ANALYSIS metrics[0].alarms.names[1]: must be a non-blank string"),
                Arguments.of("{\"metrics\": [{\"name\": \"a\", \"alarms\": {\"prefix\": \"\"}}]}",
                        "ANALYSIS metrics[0].alarms.prefix: must be a non-blank string"),
                Arguments.of("{\"metrics\": [{\"name\": \"a\", \"alarms\": {\"name\": [\"x\"]}}]}",
                        "ANALYSIS metrics[0].alarms: unknown field 'name' (known: names, prefix)"),
                Arguments.of("{\"metrics\": [{\"name\": \"v\", \"greenVersusBlue\": {\"latencyStat\": \"p95x\"}}]}",
                        "ANALYSIS metrics[0].greenVersusBlue.latencyStat: 'p95x' is not a statistic: Average, Minimum, "
                                + "Maximum or a percentile like p95 or p99.9"),
                Arguments.of("{\"metrics\": [{\"name\": \"v\", \"greenVersusBlue\": {\"latencyMargin\": 0.1}}]}",
                        "ANALYSIS metrics[0].greenVersusBlue.latencyMargin: needs latencyStat (the latency to compare)"),
                Arguments.of("{\"metrics\": [{\"name\": \"v\", \"greenVersusBlue\": {\"latencyFloor\": 0.05}}]}",
                        "ANALYSIS metrics[0].greenVersusBlue.latencyFloor: needs latencyStat (the latency to compare)"),
                Arguments.of("{\"metrics\": [{\"name\": \"v\", \"greenVersusBlue\": {\"latencyStat\": \"p95\", \"latencyFloor\": 61}}]}",
                        "ANALYSIS metrics[0].greenVersusBlue.latencyFloor: must be seconds from 0 to 60 (0.05 is 50 ms)"),
                Arguments.of("{\"metrics\": [{\"name\": \"v\", \"greenVersusBlue\": {\"errorRatioMargin\": \"NaN\"}}]}",
                        "ANALYSIS metrics[0].greenVersusBlue.errorRatioMargin: must be a ratio from 0 to 1 (0.01 is one "
                                + "percentage point)"),
                Arguments.of("{\"metrics\": [{\"name\": \"v\", \"greenVersusBlue\": {\"minRequests\": -5}}]}",
                        "ANALYSIS metrics[0].greenVersusBlue.minRequests: must be a whole number from 0 to 1000000000"),
                Arguments.of("{\"metrics\": [{\"name\": \"v\", \"greenVersusBlue\": {\"margin\": 1}}]}",
                        "ANALYSIS metrics[0].greenVersusBlue: unknown field 'margin' (known: errorRatioMargin, "
                                + "latencyFloor, latencyMargin, latencyStat, minRequests)"),
                Arguments.of(query.formatted(""), "ANALYSIS metrics[0].queries: must be an array of 1 to 20 queries"),
                Arguments.of(query.formatted("{\"id\": \"M1\", \"expression\": \"1\"}"), "ANALYSIS metrics[0].queries[0].id: "
                        + "'M1' must start with a lowercase letter, then letters, digits and underscores"),
                Arguments.of(query.formatted(stat + "}, " + stat + "}"),
                        "ANALYSIS metrics[0].queries[1].id: 'm1' is already the id of queries[0]"),
                Arguments.of(query.formatted(stat + ", \"expression\": \"m1\"}"),
                        "ANALYSIS metrics[0].queries[0]: expression and namespace exclude each other (an expression or "
                                + "a metric stat)"),
                Arguments.of(query.formatted("{\"id\": \"m1\", \"namespace\": \"N\", \"stat\": \"Sum\"}"),
                        "ANALYSIS metrics[0].queries[0].metricName: must be a string"),
                Arguments.of(query.formatted(stat + ", \"period\": 45}"),
                        "ANALYSIS metrics[0].queries[0].period: 45 is not 1, 5, 10, 30 or a multiple of 60 seconds"),
                Arguments.of(query.formatted(stat + ", \"dimensions\": {\"TargetGroup\": \"${green}\"}}"),
                        "ANALYSIS metrics[0].queries[0].dimensions.TargetGroup: '${green}' is not one of "
                                + "${greenTargetGroup}, ${blueTargetGroup}, ${loadBalancer}"),
                Arguments.of(query.formatted(stat + ", \"dimensions\": {\"TargetGroup\": 7}}"),
                        "ANALYSIS metrics[0].queries[0].dimensions.TargetGroup: a dimension needs a name and a non-blank "
                                + "string value"),
                Arguments.of(query.formatted(stat + ", \"unit\": \"Count\"}"),
                        "ANALYSIS metrics[0].queries[0]: unknown field 'unit' (known: dimensions, expression, id, "
                                + "metricName, namespace, period, stat)"),
                Arguments.of(query.formatted(stat + "}, {\"id\": \"e1\", \"expression\": \"m1 * 2\"}"),
                        "ANALYSIS metrics[0].resultId: names the query whose values are judged: needed with more than "
                                + "one query"),
                Arguments.of(query.formatted(stat + "}").replace("\"fold\": \"sum\"", "\"resultId\": \"m2\", \"fold\": \"sum\""),
                        "ANALYSIS metrics[0].resultId: 'm2' is not the id of a query (m1)"),
                Arguments.of(query.formatted(stat + "}").replace("\"sum\"", "\"median\""),
                        "ANALYSIS metrics[0].fold: 'median' is not one of sum, average, maximum, minimum, last"),
                Arguments.of(query.formatted(stat + "}").replace("\"fold\": \"sum\", ", ""),
                        "ANALYSIS metrics[0].fold: is needed (one of sum, average, maximum, minimum, last)"),
                Arguments.of(query.formatted(stat + "}").replace("\"<\"", "\"==\""),
                        "ANALYSIS metrics[0].condition.operator: '==' is not one of <, <=, >, >="),
                Arguments.of(query.formatted(stat + "}").replace("\"threshold\": 1", "\"threshold\": 1e999"),
                        "ANALYSIS metrics[0].condition.threshold: must be a finite number"),
                Arguments.of(query.formatted(stat + "}").replace(", \"threshold\": 1", ""),
                        "ANALYSIS metrics[0].condition.threshold: is needed"),
                Arguments.of(query.formatted(stat + "}").replace("\"condition\": {\"operator\": \"<\", \"threshold\": 1}, ", ""),
                        "ANALYSIS metrics[0].condition: is needed, e.g. {\"operator\": \"<=\", \"threshold\": 0.05}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void refusesWithTheFieldsPath(String json, String message) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> AnalysisParser.parse(json));

        if (message.endsWith(": ")) {
            assertEquals(message, e.getMessage().substring(0, message.length()));
        } else {
            assertEquals(message, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ ALARM_NAMES

    @Test
    void alarmNamesAreAGateWithTheAnalysisDefaults() {
        List<MetricSpec> metrics = AnalysisParser.parse(
                "{\"interval\": 30, \"metrics\": [{\"name\": \"g\", \"preset\": \"green-5xx-ratio\"}]}",
                " shop-5xx, shop-latency ,,shop-* ");

        assertEquals(2, metrics.size());
        assertEquals(new MetricSpec("ALARM_NAMES", new ProviderSpec.Alarms(List.of("shop-5xx", "shop-latency"), "shop-"),
                Duration.ofSeconds(30), 3, 0, 4, 0, InconclusivePolicy.FAIL), metrics.get(1));
    }

    @Test
    void alarmNamesAloneUseTheStandardDefaults() {
        List<MetricSpec> metrics = AnalysisParser.parse(null, "shop-5xx");

        assertEquals(List.of(AnalysisParser.alarms("shop-5xx", AnalysisParser.Defaults.STANDARD)), metrics);
        assertNull(((ProviderSpec.Alarms) metrics.get(0).provider()).namePrefix());
        assertEquals(List.of(), AnalysisParser.parse(" ", null));
    }

    static Stream<Arguments> alarmNameRefusals() {
        return Stream.of(
                Arguments.of(" , ", "ALARM_NAMES names no alarm"),
                Arguments.of("a*,b*", "ALARM_NAMES: at most one prefix (an entry ending in *), not 'a*', 'b*'"),
                Arguments.of("a*b", "ALARM_NAMES: 'a*b' has a * before its end (only a trailing * is a prefix)"),
                Arguments.of("*", "ALARM_NAMES: '*' would watch every alarm of the account: give a prefix before the *"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("alarmNameRefusals")
    void refusesAlarmNamesThatWatchNothingOrTooMuch(String variable, String message) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> AnalysisParser.alarms(variable, AnalysisParser.Defaults.STANDARD));

        assertEquals(message, e.getMessage());
    }

    @Test
    void aMetricMayNotTakeTheAlarmGatesName() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> AnalysisParser.parse("{\"metrics\": [{\"name\": \"ALARM_NAMES\", \"alarms\": {\"prefix\": \"x\"}}]}",
                        "shop-5xx"));

        assertEquals("ANALYSIS metrics[0].name: 'ALARM_NAMES' is the name of the ALARM_NAMES gate", e.getMessage());
    }
}
