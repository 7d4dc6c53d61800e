package dev.ecsbluegreen.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AnalysisParserTest {

    @Test
    void topLevelValuesAreEveryMetricsDefaultsAndAMetricMayOverrideThem() {
        List<MetricSpec> specs = AnalysisParser.parse("""
                {"interval": 30, "count": 4, "inconclusive": "wait", "metrics": [
                  {"name": "vs blue", "greenVersusBlue": {}},
                  {"name": "green 5xx", "preset": "green-5xx-ratio", "max": 0.02, "count": 2, "failureLimit": 1},
                  {"name": "alarms", "alarms": {"names": ["a", "b"], "prefix": "shop-"}},
                  {"name": "custom", "queries": [
                     {"id": "e", "namespace": "Shop", "metricName": "Errors", "dimensions": {"TargetGroup": "${greenTargetGroup}"}, "stat": "Sum"},
                     {"id": "r", "expression": "e * 2"}],
                   "resultId": "e", "fold": "sum", "condition": {"operator": "<=", "threshold": 5}}]}""");

        assertEquals(4, specs.size());
        MetricSpec versus = specs.get(0);
        assertEquals(Duration.ofSeconds(30), versus.interval());
        assertEquals(4, versus.count());
        assertEquals(InconclusivePolicy.WAIT, versus.inconclusive());
        assertEquals(new ProviderSpec.GreenVersusBlue(0.01, null, 0.2, 50), versus.provider());
        MetricSpec preset = specs.get(1);
        assertEquals(2, preset.count());
        assertEquals(1, preset.failureLimit());
        assertEquals(new ProviderSpec.Preset(ProviderSpec.PresetKind.GREEN_5XX_RATIO,
                new ProviderSpec.Condition(ProviderSpec.Operator.LESS_THAN_OR_EQUAL, 0.02), 20), preset.provider());
        assertEquals(new ProviderSpec.Alarms(List.of("a", "b"), "shop-"), specs.get(2).provider());
        ProviderSpec.MetricQuery query = assertInstanceOf(ProviderSpec.MetricQuery.class, specs.get(3).provider());
        assertEquals("e", query.resultId());
        assertEquals(ProviderSpec.Fold.SUM, query.fold());
        assertEquals("${greenTargetGroup}", query.queries().get(0).dimensions().get("TargetGroup"));
        assertEquals("e * 2", query.queries().get(1).expression());
    }

    @Test
    void defaultsFollowArgoRollouts() {
        MetricSpec spec = AnalysisParser.parse("{\"metrics\": [{\"name\": \"p99\", \"preset\": \"green-p99-latency\"}]}").get(0);
        assertEquals(Duration.ofSeconds(60), spec.interval());
        assertEquals(3, spec.count());
        assertEquals(0, spec.failureLimit());
        assertEquals(4, spec.consecutiveErrorLimit());
        assertEquals(InconclusivePolicy.FAIL, spec.inconclusive());
        assertEquals(new ProviderSpec.Condition(ProviderSpec.Operator.LESS_THAN_OR_EQUAL, 2.0),
                ((ProviderSpec.Preset) spec.provider()).condition());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[]|ANALYSIS must be a JSON object with a \"metrics\" array",
        "{\"metrics\": []}|ANALYSIS.metrics must be a non-empty array of metrics",
        "{\"metric\": []}|ANALYSIS: unknown field 'metric'",
        "{\"interval\": 0, \"metrics\": [{\"name\": \"a\", \"greenVersusBlue\": {}}]}|ANALYSIS.interval: 0 is not a whole number from 1 to 3600",
        "{\"metrics\": [{\"greenVersusBlue\": {}}]}|ANALYSIS metrics[0].name: every metric needs a name",
        "{\"metrics\": [{\"name\": \"a\"}]}|ANALYSIS metrics[0] ('a'): give exactly one of alarms, preset, greenVersusBlue, queries",
        "{\"metrics\": [{\"name\": \"a\", \"preset\": \"green-5xx-ratio\", \"alarms\": {\"prefix\": \"x\"}}]}|give exactly one of alarms, preset, greenVersusBlue, queries, not alarms and preset",
        "{\"metrics\": [{\"name\": \"a\", \"greenVersusBlue\": {}}, {\"name\": \"b\", \"preset\": \"green-5xx\"}]}|ANALYSIS metrics[1].preset: 'green-5xx' is not one of green-5xx-ratio, green-p95-latency, green-p99-latency, green-unhealthy-hosts",
        "{\"metrics\": [{\"name\": \"a\", \"greenVersusBlue\": {}}, {\"name\": \"a\", \"greenVersusBlue\": {}}]}|ANALYSIS metrics[1].name: 'a' is the name of an earlier metric",
        "{\"metrics\": [{\"name\": \"a\", \"greenVersusBlue\": {\"latencyStat\": \"p\"}}]}|ANALYSIS metrics[0].greenVersusBlue.latencyStat: 'p' is not a CloudWatch statistic",
        "{\"metrics\": [{\"name\": \"a\", \"alarms\": {}}]}|ANALYSIS metrics[0].alarms: name at least one alarm (names) or a prefix",
        "{\"metrics\": [{\"name\": \"a\", \"inconclusive\": \"pause\", \"greenVersusBlue\": {}}]}|ANALYSIS metrics[0].inconclusive: 'pause' is not one of fail, wait",
        "{\"metrics\": [{\"name\": \"a\", \"queries\": [{\"id\": \"E\", \"expression\": \"1\"}], \"condition\": {\"operator\": \"<\", \"threshold\": 1}}]}|ANALYSIS metrics[0].queries[0].id: 'E' must start with a lower-case letter",
        "{\"metrics\": [{\"name\": \"a\", \"queries\": [{\"id\": \"e\", \"expression\": \"1\"}], \"condition\": {\"operator\": \"=\", \"threshold\": 1}}]}|ANALYSIS metrics[0].condition.operator: '=' is not one of <, <=, >, >=",
        "{\"metrics\": [{\"name\": \"a\", \"queries\": [{\"id\": \"e\", \"namespace\": \"N\", \"stat\": \"Sum\"}], \"condition\": {\"operator\": \"<\", \"threshold\": 1}}]}|ANALYSIS metrics[0].queries[0].metricName is missing",
        "{\"metrics\": [{\"name\": \"a\", \"queries\": [{\"id\": \"e\", \"expression\": \"1\"}], \"resultId\": \"x\", \"condition\": {\"operator\": \"<\", \"threshold\": 1}}]}|ANALYSIS metrics[0].resultId: 'x' is not the id of one of its queries",
        "{\"metrics\": [{\"name\": \"a\", \"preset\": \"green-5xx-ratio\", \"max\": -1}]}|ANALYSIS metrics[0].max: -1 is not a number ≥ 0",
        "{\"metrics\": [{\"name\": \"a\", \"preset\": \"green-5xx-ratio\", \"threshold\": 1}]}|ANALYSIS metrics[0]: unknown field 'threshold'",
    })
    void aBadFieldIsNamed(String json, String expected) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> AnalysisParser.parse(json));
        assertEquals(true, e.getMessage().startsWith(expected) || e.getMessage().contains(expected), e.getMessage());
    }

    @Property(tries = 300)
    void malformedInputIsAConfigurationErrorNeverAnotherException(@ForAll @StringLength(max = 80) String noise) {
        for (String json : List.of(noise, "{\"metrics\": [" + noise + "]}", "{\"metrics\": [{\"name\": \"a\", " + noise + "}]}",
                "{\"metrics\": [{\"name\": \"a\", \"queries\": [" + noise + "], \"condition\": {}}]}")) {
            try {
                AnalysisParser.parse(json);
            } catch (InvalidConfigurationException expected) {
                // the only exception a bad configuration may raise
            }
        }
    }
}
