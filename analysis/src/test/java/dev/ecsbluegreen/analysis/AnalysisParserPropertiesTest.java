package dev.ecsbluegreen.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ecsbluegreen.core.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Malformed {@code ANALYSIS} and {@code ALARM_NAMES} give an {@link InvalidConfigurationException} that says what is
 * wrong, never another exception; what is accepted is within the documented bounds. Random JSON, wrong types,
 * missing and extra fields, huge numbers, any Unicode.
 */
class AnalysisParserPropertiesTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final List<String> TOP_FIELDS = List.of("interval", "count", "failureLimit",
            "consecutiveErrorLimit", "inconclusiveLimit", "inconclusive", "metrics");
    private static final List<String> METRIC_FIELDS = List.of("name", "interval", "count", "failureLimit",
            "consecutiveErrorLimit", "inconclusiveLimit", "inconclusive", "alarms", "preset", "max", "min",
            "minRequests", "greenVersusBlue", "queries", "resultId", "fold", "condition");
    private static final List<String> INNER_FIELDS = List.of("names", "prefix", "errorRatioMargin", "latencyStat",
            "latencyMargin", "minRequests", "id", "namespace", "metricName", "dimensions", "period", "stat",
            "expression", "operator", "threshold", "TargetGroup");
    private static final List<String> WORDS = List.of("", " ", "green-5xx-ratio", "green-p95-latency",
            "green-p99-latency", "green-unhealthy-hosts", "fail", "wait", "p95", "p99.9", "Average", "sum", "last",
            "<=", ">", "m1", "e1", "Sum", "AWS/ApplicationELB", "RequestCount", "${greenTargetGroup}", "${green}",
            "m1 / 60", "NaN", "Infinity", "-1", "1e400", "99999999999999999999", "\u0000", "shop-*");

    @Property
    void analysisIsParsedIntoSaneMetricsOrRefusedWithAClearError(@ForAll("documents") String document) {
        List<MetricSpec> metrics;
        try {
            metrics = AnalysisParser.parse(document);
        } catch (InvalidConfigurationException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "an error says what is wrong");
            assertTrue(e.getMessage().startsWith("ANALYSIS"), e.getMessage());
            return;
        }
        assertFalse(metrics.isEmpty());
        assertEquals(metrics.size(), metrics.stream().map(MetricSpec::name).distinct().count(), "names are unique");
        for (MetricSpec metric : metrics) {
            assertFalse(metric.name().isBlank());
            assertTrue(metric.interval().compareTo(Duration.ofSeconds(1)) >= 0
                    && metric.interval().compareTo(Duration.ofHours(1)) <= 0, metric.toString());
            assertTrue(metric.count() >= 1 && metric.count() <= 100, metric.toString());
            assertTrue(metric.failureLimit() >= 0 && metric.consecutiveErrorLimit() >= 0
                    && metric.inconclusiveLimit() >= 0, metric.toString());
            switch (metric.provider()) {
                case ProviderSpec.Alarms alarms ->
                        assertTrue(!alarms.names().isEmpty() || alarms.namePrefix() != null, metric.toString());
                case ProviderSpec.Preset preset -> assertTrue(Double.isFinite(preset.condition().threshold())
                        && preset.condition().threshold() >= 0 && preset.minRequests() >= 0, metric.toString());
                case ProviderSpec.GreenVersusBlue comparison -> assertTrue(comparison.errorRatioMargin() >= 0
                        && comparison.latencyMargin() >= 0 && comparison.minRequests() >= 0, metric.toString());
                case ProviderSpec.MetricQuery query -> {
                    assertTrue(query.queries().stream().anyMatch(q -> q.id().equals(query.resultId())), metric.toString());
                    assertTrue(Double.isFinite(query.condition().threshold()), metric.toString());
                }
            }
        }
    }

    @Property
    void alarmNamesAreAGateOrRefusedWithAClearError(@ForAll("alarmNames") String variable) {
        try {
            MetricSpec gate = AnalysisParser.alarms(variable, AnalysisParser.Defaults.STANDARD);
            ProviderSpec.Alarms alarms = (ProviderSpec.Alarms) gate.provider();
            assertTrue(!alarms.names().isEmpty() || alarms.namePrefix() != null);
            assertTrue(alarms.names().stream().noneMatch(name -> name.isBlank() || name.contains("*")));
        } catch (InvalidConfigurationException e) {
            assertTrue(e.getMessage().startsWith("ALARM_NAMES"), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ generators

    private static Arbitrary<JsonNode> json(int depth, List<String> keys) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(16).map(TextNode::valueOf),
                Arbitraries.of(WORDS).map(TextNode::valueOf),
                Arbitraries.integers().between(-5, 200).map(IntNode::valueOf),
                Arbitraries.integers().map(IntNode::valueOf),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(BigIntegerNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 0.01, 1e308).map(DoubleNode::valueOf),
                Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("0.5")).map(DecimalNode::valueOf),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.instance).map(n -> (JsonNode) n));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> child = json(depth - 1, keys);
        Arbitrary<JsonNode> array = child.list().ofMaxSize(3).map(values -> {
            ArrayNode node = JSON.createArrayNode();
            values.forEach(node::add);
            return node;
        });
        return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(1, array), Tuple.of(2, object(keys, child)));
    }

    private static Arbitrary<JsonNode> object(List<String> keys, Arbitrary<JsonNode> values) {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(keys), Arbitraries.of(keys),
                Arbitraries.strings().ofMaxLength(8));
        return Combinators.combine(key.list().ofMaxSize(6), values.list().ofSize(6)).as((names, vals) -> {
            ObjectNode node = JSON.createObjectNode();
            for (int i = 0; i < names.size(); i++) {
                node.set(names.get(i), vals.get(i));
            }
            return node;
        });
    }

    /** A metric: one kind's field most of the time, the other fields with any values. */
    private static Arbitrary<JsonNode> metric() {
        Arbitrary<JsonNode> inner = json(2, INNER_FIELDS);
        Arbitrary<JsonNode> query = object(INNER_FIELDS, json(1, INNER_FIELDS));
        Arbitrary<JsonNode> queries = query.list().ofMaxSize(3).map(list -> {
            ArrayNode node = JSON.createArrayNode();
            list.forEach(node::add);
            return (JsonNode) node;
        });
        Arbitrary<JsonNode> kind = Arbitraries.oneOf(
                Arbitraries.of(WORDS).map(w -> JSON.createObjectNode().put("preset", w)),
                object(INNER_FIELDS, inner).map(o -> JSON.createObjectNode().set("alarms", o)),
                object(INNER_FIELDS, inner).map(o -> JSON.createObjectNode().set("greenVersusBlue", o)),
                queries.map(q -> JSON.createObjectNode().set("queries", q)));
        return Combinators.combine(object(METRIC_FIELDS, json(1, INNER_FIELDS)), kind,
                        Arbitraries.of(WORDS).map(TextNode::valueOf))
                .as((fields, chosen, name) -> {
                    ObjectNode node = ((ObjectNode) chosen).deepCopy();
                    node.set("name", name);
                    node.setAll((ObjectNode) fields);
                    return (JsonNode) node;
                });
    }

    @Provide
    Arbitrary<String> documents() {
        Arbitrary<JsonNode> metrics = metric().list().ofMaxSize(3).map(list -> {
            ArrayNode node = JSON.createArrayNode();
            list.forEach(node::add);
            return node;
        });
        Arbitrary<JsonNode> document = Combinators.combine(object(TOP_FIELDS, json(0, List.of())), metrics)
                .as((top, list) -> {
                    ObjectNode node = ((ObjectNode) top).deepCopy();
                    node.set("metrics", list);
                    return (JsonNode) node;
                });
        return Arbitraries.oneOf(
                document.map(JsonNode::toString),
                mutatedExample(),
                json(3, TOP_FIELDS).map(JsonNode::toString),
                Arbitraries.strings().ofMaxLength(40),
                document.map(JsonNode::toString).map(text -> text.substring(0, text.length() / 2)));
    }

    /**
     * The documented example with one field of one metric (or of its provider) set to any value or removed: near
     * misses, and many documents that parse.
     */
    private static Arbitrary<String> mutatedExample() {
        JsonNode example;
        try {
            example = JSON.readTree(AnalysisParserTest.EXAMPLE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int metrics = example.get("metrics").size();
        List<String> fields = new java.util.ArrayList<>(METRIC_FIELDS);
        fields.addAll(INNER_FIELDS);
        return Combinators.combine(Arbitraries.integers().between(0, metrics - 1), Arbitraries.of(fields),
                        Arbitraries.oneOf(json(1, INNER_FIELDS), Arbitraries.just(null)), Arbitraries.of(true, false))
                .as((index, field, value, inner) -> {
                    ObjectNode document = example.deepCopy();
                    ObjectNode metric = (ObjectNode) document.get("metrics").get(index);
                    ObjectNode target = metric;
                    if (inner) {
                        for (String kind : List.of("alarms", "greenVersusBlue")) {
                            if (metric.get(kind) instanceof ObjectNode provider) {
                                target = provider;
                            }
                        }
                        if (metric.get("queries") instanceof ArrayNode queries
                                && queries.get(0) instanceof ObjectNode query) {
                            target = query;
                        }
                    }
                    if (value == null) {
                        target.remove(field);
                    } else {
                        target.set(field, value);
                    }
                    return document.toString();
                });
    }

    @Provide
    Arbitrary<String> alarmNames() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of("shop-*", "a,b", "*", "a*b", " , ", "x*,y*", "\u0000", "a,,b*")
                        .list().ofMaxSize(3).map(parts -> String.join(",", parts)));
    }
}
