package dev.ecsbluegreen.hooks;

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
import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.ChecksParser;
import dev.ecsbluegreen.analysis.check.Exchange;
import dev.ecsbluegreen.analysis.check.HttpProbe;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.hooks.codedeploy.DiscoveryException;
import dev.ecsbluegreen.hooks.codedeploy.HookReporter;
import dev.ecsbluegreen.hooks.ecs.EcsHook;
import dev.ecsbluegreen.hooks.ecs.EcsStage;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Malformed input to every parser of the hooks — the {@code CHECKS} JSON, the function's environment, the
 * CodeDeploy event and the Amazon ECS request — gives a clear error (an {@link InvalidConfigurationException}, a
 * {@code Failed} report, a {@code FAILED} answer), never another exception. Random JSON, wrong types, missing and
 * extra fields, huge numbers, any Unicode.
 */
class ParserPropertiesTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final List<String> CHECK_FIELDS = List.of("name", "method", "path", "headers", "body", "host",
            "followRedirects", "tls", "timeoutMillis", "maxBodyBytes", "expect", "attempts", "intervalMillis", "burst");
    private static final List<String> EXPECT_FIELDS = List.of("status", "bodyContains", "bodyMatches", "jsonPointer",
            "headers", "maxLatencyMillis");
    private static final List<String> BURST_FIELDS = List.of("requests", "concurrency", "minSuccessRatio", "maxP95Millis");
    private static final List<String> VARIABLES = List.of("HOOK_STAGE", "CHECKS", "CHECKS_FILE", "TARGET_BASE_URL",
            "GATES", "MAX_VALIDATION_SECONDS", "REPORT_MARGIN_SECONDS", "ECS_RETRY_WINDOW_SECONDS",
            "ECS_CALLBACK_DELAY_SECONDS", "LAMBDA_TASK_ROOT");

    // ------------------------------------------------------------------ the parsers

    @Property
    void checksAreParsedIntoSaneChecksOrRefusedWithAClearError(@ForAll("checksDocuments") String document) {
        List<Check> checks;
        try {
            checks = ChecksParser.parse(document);
        } catch (InvalidConfigurationException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "an error says what is wrong");
            return;
        }
        assertFalse(checks.isEmpty());
        assertEquals(checks.size(), checks.stream().map(Check::name).distinct().count(), "names are unique");
        for (Check check : checks) {
            assertTrue(check.attempts() >= 1 && check.maxBodyBytes() >= 1, check.toString());
            assertFalse(check.timeout().isNegative() || check.interval().isNegative(), check.toString());
            assertTrue(check.path().startsWith("/"), check.path());
            if (check.burst() != null) {
                double ratio = check.burst().minSuccessRatio();
                assertTrue(ratio >= 0 && ratio <= 1, "minSuccessRatio " + ratio);
            }
        }
    }

    @Property
    void theEnvironmentGivesAConfigurationOrAClearError(@ForAll("environments") Map<String, String> env) {
        try {
            HookConfig config = HookConfig.fromEnvironment(env::get);
            assertFalse(config.checks().isEmpty());
            assertFalse(config.maxValidation().isNegative() || config.reportMargin().isNegative());
            assertTrue(config.maxValidation().compareTo(HookConfig.LAMBDA_MAX_TIMEOUT) <= 0, config.toString());
            assertTrue(config.ecsCallbackDelay().compareTo(Duration.ofDays(1)) <= 0, config.toString());
        } catch (InvalidConfigurationException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "an error says what is wrong");
        }
    }

    @Property(tries = 300)
    void aCodeDeployEventIsReportedOnceOrRefusedForWantOfIds(@ForAll("codeDeployEvents") JsonNode event,
                                                             @ForAll("environments") Map<String, String> env)
            throws Exception {
        List<Boolean> reports = new ArrayList<>();
        HookReporter reporter = (deploymentId, executionId, succeeded, within) -> {
            reports.add(succeeded);
            return HookReporter.Outcome.REPORTED;
        };
        JsonNode answer;
        try {
            answer = invoke(event, env, reporter);
        } catch (IllegalArgumentException e) {
            // the one documented refusal: an event without both ids cannot be reported to
            assertTrue(e.getMessage().contains("DeploymentId") || e.getMessage().contains("neither"), e.getMessage());
            assertEquals(List.of(), reports);
            return;
        }
        assertEquals(1, reports.size(), "exactly one report for " + event);
        assertTrue(Set.of("Succeeded", "Failed").contains(answer.path("status").asText()), answer.toString());
    }

    @Property(tries = 300)
    void anEcsRequestIsAlwaysAnsweredWithAHookStatus(@ForAll("ecsRequests") JsonNode event,
                                                     @ForAll("environments") Map<String, String> env) throws Exception {
        HookReporter noReport = (deploymentId, executionId, succeeded, within) -> {
            throw new AssertionError("ECS requests are answered by the return value");
        };

        JsonNode answer = invoke(event, env, noReport);

        String status = answer.path("hookStatus").asText();
        assertTrue(Set.of("SUCCEEDED", "FAILED", "IN_PROGRESS").contains(status), answer.toString());
        if (status.equals("IN_PROGRESS")) {
            assertTrue(answer.path("callBackDelay").canConvertToLong(), answer.toString());
            assertTrue(answer.path("hookDetails").path(EcsHook.STATE).isObject(), answer.toString());
        }
    }

    private static JsonNode invoke(JsonNode event, Map<String, String> env, HookReporter reporter) throws Exception {
        HttpProbe offline = (check, base, timeout) -> Exchange.failed("no network in this property", Duration.ZERO);
        HookHandler handler = new HookHandler(env::get,
                id -> {
                    throw new DiscoveryException("deployment " + id + " is not known here");
                },
                reporter, tg -> List.of(), (cluster, service, tg) -> new Gate.TaskCounts("primary", 1, 1),
                offline, d -> { }, Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, new TestLambdaContext(30_000));
        return JSON.readTree(out.toByteArray());
    }

    // ------------------------------------------------------------------ what the properties found

    @org.junit.jupiter.api.Test
    void refusesANotANumberSuccessRatio() {
        assertRefused("check 'GET /' burst.minSuccessRatio must be between 0 and 1",
                () -> ChecksParser.parse("[{\"burst\":{\"minSuccessRatio\":\"NaN\"}}]"));
    }

    @org.junit.jupiter.api.Test
    void refusesMillisecondsBeyondALong() {
        assertRefused("check 'GET /': timeoutMillis must be a whole number of milliseconds",
                () -> ChecksParser.parse("[{\"timeoutMillis\":99999999999999999999}]"));
    }

    @org.junit.jupiter.api.Test
    void refusesAChecksFileNameThatIsNoPath() {
        assertRefused("CHECKS_FILE 'a\u0000b' (or LAMBDA_TASK_ROOT) is not a path",
                () -> HookConfig.fromEnvironment(Map.of("CHECKS_FILE", "a\u0000b")::get));
    }

    @org.junit.jupiter.api.Test
    void refusesSecondsNoInvocationOrRetryWindowCouldLast() {
        assertRefused("MAX_VALIDATION_SECONDS 9223372036854775807 is more than 900 s",
                () -> HookConfig.fromEnvironment(Map.of("MAX_VALIDATION_SECONDS", "9223372036854775807")::get));
        assertRefused("ECS_CALLBACK_DELAY_SECONDS 86401 is more than 86400 s",
                () -> HookConfig.fromEnvironment(Map.of("ECS_CALLBACK_DELAY_SECONDS", "86401")::get));
    }

    private static void assertRefused(String start, org.junit.jupiter.api.function.Executable parse) {
        InvalidConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidConfigurationException.class, parse);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    // ------------------------------------------------------------------ generators

    /** Any JSON value, up to {@code depth} levels of containers, with keys drawn partly from {@code keys}. */
    private static Arbitrary<JsonNode> json(int depth, List<String> keys) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(24).map(TextNode::valueOf),
                Arbitraries.of("", "2xx", "200-204", "GET", "/", "/health", "verify", "NaN", "Infinity", "-1", "0.5",
                        "1e400", "http://localhost:1", "99999999999999999999").map(TextNode::valueOf),
                Arbitraries.integers().map(IntNode::valueOf),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(BigIntegerNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e308).map(DoubleNode::valueOf),
                Arbitraries.bigDecimals().map(d -> DecimalNode.valueOf(new BigDecimal(d.toString()))),
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
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf),
                net.jqwik.api.Tuple.of(1, array),
                net.jqwik.api.Tuple.of(2, object(keys, child)));
    }

    private static Arbitrary<JsonNode> object(List<String> keys, Arbitrary<JsonNode> values) {
        Arbitrary<String> anyKey = Arbitraries.strings().ofMaxLength(8);
        Arbitrary<String> key = keys.isEmpty() ? anyKey : Arbitraries.oneOf(Arbitraries.of(keys), anyKey);
        return Combinators.combine(key.list().ofMaxSize(5), values.list().ofSize(5)).as((names, vals) -> {
            ObjectNode node = JSON.createObjectNode();
            for (int i = 0; i < names.size(); i++) {
                node.set(names.get(i), vals.get(i));
            }
            return node;
        });
    }

    /** A check object: known fields with values of any type, sometimes a nested expect or burst. */
    private static Arbitrary<JsonNode> checkObject() {
        Arbitrary<JsonNode> expect = object(EXPECT_FIELDS, json(1, List.of("/status", "Content-Type")));
        Arbitrary<JsonNode> burst = object(BURST_FIELDS, json(0, List.of()));
        // the fields' own names with hostile values, so that each field meets them often enough
        Arbitrary<JsonNode> hostile = Arbitraries.of(TextNode.valueOf("NaN"), TextNode.valueOf("Infinity"),
                BigIntegerNode.valueOf(new BigInteger("99999999999999999999")), LongNode.valueOf(Long.MIN_VALUE),
                DoubleNode.valueOf(1e308), TextNode.valueOf("\u0000"));
        burst = Arbitraries.oneOf(burst, object(BURST_FIELDS, hostile));
        Arbitrary<JsonNode> fields = Arbitraries.oneOf(object(CHECK_FIELDS, json(1, CHECK_FIELDS)), object(CHECK_FIELDS, hostile));
        return Combinators.combine(fields,
                        Arbitraries.oneOf(expect, Arbitraries.just(NullNode.instance)),
                        Arbitraries.oneOf(burst, Arbitraries.just(NullNode.instance)))
                .as((check, e, b) -> {
                    ObjectNode node = (ObjectNode) check;
                    if (!e.isNull()) {
                        node.set("expect", e);
                    }
                    if (!b.isNull()) {
                        node.set("burst", b);
                    }
                    return (JsonNode) node;
                });
    }

    @Provide
    Arbitrary<String> checksDocuments() {
        Arbitrary<JsonNode> array = checkObject().list().ofMinSize(0).ofMaxSize(3).map(checks -> {
            ArrayNode node = JSON.createArrayNode();
            checks.forEach(node::add);
            return node;
        });
        Arbitrary<JsonNode> wrapped = array.map(a -> JSON.createObjectNode().set("checks", a));
        return Arbitraries.oneOf(
                array.map(JsonNode::toString),
                wrapped.map(JsonNode::toString),
                json(3, CHECK_FIELDS).map(JsonNode::toString),
                Arbitraries.strings().ofMaxLength(40),
                array.map(JsonNode::toString).map(text -> text.substring(0, text.length() / 2)));
    }

    @Provide
    Arbitrary<Map<String, String>> environments() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of("AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic", "none",
                        "TARGET_HEALTH,TASK_COUNTS", "TASK_COUNTS", "http://localhost:1", "https://u:p@h/x",
                        "0", "1", "-1", "840", "901", "86401", "9223372036854775807", "99999999999999999999", "1.5",
                        " 30 ", "[{}]", "{\"checks\":[]}", "checks/packaged.json", "/", "\u0000", "a\u0000b"),
                checksDocuments());
        return Arbitraries.maps(Arbitraries.of(VARIABLES), value).ofMaxSize(VARIABLES.size());
    }

    @Provide
    Arbitrary<JsonNode> codeDeployEvents() {
        Arbitrary<JsonNode> id = Arbitraries.oneOf(
                Arbitraries.of("d-4B7XWQ2KP", "eyJlbmNyeXB0ZWREYXRhIjoi", "", " ").map(TextNode::valueOf),
                json(1, List.of()));
        return Combinators.combine(object(List.of("DeploymentId", "LifecycleEventHookExecutionId"), json(1, List.of())),
                        id, id, Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((extra, deployment, execution, withDeployment, withExecution) -> {
                    ObjectNode event = ((ObjectNode) extra).deepCopy();
                    if (withDeployment) {
                        event.set("DeploymentId", deployment);
                    }
                    // without LifecycleEventHookExecutionId the handler does not see a CodeDeploy event at all
                    event.set("LifecycleEventHookExecutionId", withExecution ? execution : NullNode.instance);
                    return (JsonNode) event;
                });
    }

    @Provide
    Arbitrary<JsonNode> ecsRequests() {
        List<String> stages = new ArrayList<>();
        for (EcsStage stage : EcsStage.values()) {
            stages.add(stage.name());
        }
        stages.add("BAKE_TIME");
        Arbitrary<JsonNode> stage = Arbitraries.oneOf(Arbitraries.of(stages).map(TextNode::valueOf), json(1, List.of()));
        Arbitrary<JsonNode> details = Arbitraries.oneOf(
                object(List.of("serviceArn", "targetServiceRevisionArn", "testTrafficWeights", "productionTrafficWeights"),
                        json(2, List.of("rev-green", "rev-blue"))),
                json(2, List.of()));
        Arbitrary<JsonNode> hookDetails = Arbitraries.oneOf(
                object(List.of("baseUrl", EcsHook.STATE), json(1, List.of("startedAtEpochMillis", "round", "lastFailure"))),
                json(2, List.of()));
        return Combinators.combine(json(1, List.of()), stage, details, hookDetails, object(List.of("resourceArn"), json(1, List.of())))
                .as((executionId, lifecycleStage, executionDetails, hook, extra) -> {
                    ObjectNode event = ((ObjectNode) extra).deepCopy();
                    event.set("executionId", executionId);
                    event.set("lifecycleStage", lifecycleStage);
                    event.set("executionDetails", executionDetails);
                    event.set("hookDetails", hook);
                    return (JsonNode) event;
                });
    }
}
