package dev.ecsbluegreen.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The command line's arguments, the actions' UserParameters, images, durations and the continuation token. */
class InputsTest {
    static final ObjectMapper MAPPER = Json.newMapper();
    static final Map<String, String> ENV = Map.of("LIVE_LISTENER_ARN", "arn:live", "TEST_LISTENER_ARN", "arn:test",
            "TARGET_GROUP_ARNS", "arn:tg/blue, arn:tg/green");
    static final UnaryOperator<String> env = ENV::get;

    @Test
    void userParametersNameTheActionAndTheRestComesFromTheEnvironment() {
        Request r = ActionParameters.parse("""
                {"action": "deploy", "cluster": "prod", "service": "app", "image": {"web": "app:2", "envoy": "envoy:1.30"},
                 "waitTimeoutSeconds": 120}""", MAPPER, env);
        assertEquals(Action.DEPLOY, r.action());
        assertEquals(new Target("prod", "app", "arn:live", "arn:test", List.of("arn:tg/blue", "arn:tg/green")), r.target());
        assertEquals(Map.of("web", "app:2", "envoy", "envoy:1.30"), r.images().byContainer());
        assertEquals(Duration.ofSeconds(120), r.waitTimeout());
        assertEquals(Duration.ZERO, r.cleanupWait());
    }

    @Test
    void userParametersThatCannotBeActedOnSayWhy() {
        assertMessage("UserParameters is not JSON", () -> ActionParameters.parse("deploy please", MAPPER, env));
        assertMessage("unknown key \"waitTimeoutSecond\"", () -> ActionParameters.parse(
                "{\"action\":\"deploy\",\"waitTimeoutSecond\":60}", MAPPER, env));
        assertMessage("unknown action \"ship\"", () -> ActionParameters.parse("{\"action\":\"ship\"}", MAPPER, env));
        assertMessage("deploy needs the new image", () -> ActionParameters.parse(
                "{\"action\":\"deploy\",\"cluster\":\"c\",\"service\":\"s\"}", MAPPER, env));
        assertMessage("promote needs the release", () -> ActionParameters.parse(
                "{\"action\":\"promote\",\"cluster\":\"c\",\"service\":\"s\"}", MAPPER, env));
        assertMessage("no target groups given", () -> ActionParameters.parse(
                "{\"action\":\"promote\",\"cluster\":\"c\",\"service\":\"s\",\"release\":\"r1\"}", MAPPER,
                name -> "TARGET_GROUP_ARNS".equals(name) ? null : ENV.get(name)));
        assertMessage("\"waitTimeoutSeconds\" must be a number", () -> ActionParameters.parse(
                "{\"action\":\"deploy\",\"cluster\":\"c\",\"service\":\"s\",\"image\":\"a:1\",\"waitTimeoutSeconds\":\"soon\"}", MAPPER, env));
    }

    @Test
    void imagesAreOneRepoTagOrOnePerNamedContainer() {
        assertEquals("app:2", Images.parse(List.of("app:2")).single());
        assertEquals(Map.of("web", "host:5000/app:2"), Images.parse(List.of("web=host:5000/app:2")).byContainer());
        assertMessage("must be the only one", () -> Images.parse(List.of("app:2", "web=app:3")));
        assertMessage("given two images", () -> Images.parse(List.of("web=app:2", "web=app:3")));
        assertMessage("is not REPO:TAG", () -> Images.parse(List.of("=app:2")));
        TaskDefinition two = new TaskDefinition("arn:td/app:1", "app", Map.of("web", "app:1", "envoy", "envoy:1"), null, true);
        assertMessage("has 2 containers", () -> Images.parse(List.of("app:2")).applyTo(two));
    }

    @Test
    void theSameImagesMakeTheSameReleaseIdAndOthersAnother() {
        assertEquals(Images.parse(List.of("a=x:1", "b=y:1")).releaseId(), Images.parse(List.of("b=y:1", "a=x:1")).releaseId());
        assertNotEquals(Images.parse(List.of("app:1")).releaseId(), Images.parse(List.of("app:2")).releaseId());
        assertTrue(Images.parse(List.of("app:1")).releaseId().matches("r-[0-9a-f]{12}"));
    }

    @Test
    void durationsAreSecondsMinutesOrHours() {
        assertEquals(Duration.ofSeconds(90), Settings.duration("90", "x"));
        assertEquals(Duration.ofSeconds(90), Settings.duration("90s", "x"));
        assertEquals(Duration.ofMinutes(15), Settings.duration("15m", "x"));
        assertEquals(Duration.ofHours(1), Settings.duration("1h", "x"));
        assertMessage("is not a duration", () -> Settings.duration("15 minutes", "--wait-timeout"));
    }

    @Test
    void commandLineArgumentsMakeTheSameRequestAsUserParameters() {
        Request fromCli = Cli.parse(new String[] {"deploy", "--cluster", "prod", "--service=app", "--image", "web=app:2",
                "--image", "envoy=envoy:1.30", "--wait-timeout", "2m"}, env).request();
        Request fromPipeline = ActionParameters.parse("""
                {"action": "deploy", "cluster": "prod", "service": "app", "image": ["web=app:2", "envoy=envoy:1.30"],
                 "waitTimeoutSeconds": 120}""", MAPPER, env);
        assertEquals(fromPipeline, fromCli);
        assertMessage("unknown option --force", () -> Cli.parse(new String[] {"rollback", "--force"}, env));
        assertMessage("--wait-for-approval goes with deploy", () -> Cli.parse(new String[] {"promote", "--release", "r1",
                "--cluster", "c", "--service", "s", "--wait-for-approval"}, env));
        assertMessage("--cluster given twice", () -> Cli.parse(new String[] {"status", "--cluster", "a", "--cluster", "b"}, env));
    }

    @Test
    void theContinuationTokenCarriesTheActionReleaseAndStartAndNothingElse() {
        ContinuationToken token = new ContinuationToken("deploy", "r-0123456789ab", 1_764_590_000_000L);
        String encoded = token.encode(MAPPER);
        assertEquals("{\"v\":1,\"action\":\"deploy\",\"release\":\"r-0123456789ab\",\"startedAt\":1764590000000}", encoded);
        assertEquals(token, ContinuationToken.decode(encoded, MAPPER));
        assertTrue(new ContinuationToken("deploy", "r".repeat(128), Long.MAX_VALUE).encode(MAPPER).length() < 2048);
        assertMessage("not one this controller wrote", () -> ContinuationToken.decode("eyJqb2IiOiIzMzMzMzMzMyJ9", MAPPER));
    }

    @Test
    void aDeployValidatesGreenWhenItIsGivenTheTestListenersUrlWithTheHooksChecksOrTheirDefault() throws Exception {
        Request none = ActionParameters.parse("{\"action\":\"deploy\",\"cluster\":\"c\",\"service\":\"s\",\"image\":\"a:1\"}",
                MAPPER, env);
        assertEquals(null, none.checks(), "no URL, no checks: the deploy validates nothing itself");

        Request given = ActionParameters.parse("""
                {"action": "deploy", "cluster": "c", "service": "s", "image": "a:1", "testUrl": "http://alb.example:8080",
                 "checks": [{"name": "health", "path": "/health", "expect": {"status": 200}}]}""", MAPPER, env);
        assertEquals(java.net.URI.create("http://alb.example:8080"), given.checks().testUrl());
        assertEquals(List.of("health"), given.checks().checks().stream().map(c -> c.name()).toList());
        // the same checks as a string, and from the environment
        Request asText = ActionParameters.parse("{\"action\":\"deploy\",\"cluster\":\"c\",\"service\":\"s\",\"image\":\"a:1\","
                + "\"testUrl\":\"http://alb.example:8080\",\"checks\":\"[{\\\"name\\\":\\\"health\\\",\\\"path\\\":\\\"/health\\\"}]\"}",
                MAPPER, env);
        assertEquals(List.of("health"), asText.checks().checks().stream().map(c -> c.name()).toList());
        Map<String, String> withUrl = new java.util.HashMap<>(ENV);
        withUrl.put("TEST_URL", "https://alb.example:8443");
        Request fromEnv = ActionParameters.parse("{\"action\":\"deploy\",\"cluster\":\"c\",\"service\":\"s\",\"image\":\"a:1\"}",
                MAPPER, withUrl::get);
        assertEquals(List.of("default GET /"), fromEnv.checks().checks().stream().map(c -> c.name()).toList());

        Request fromCli = Cli.parse(new String[] {"deploy", "--cluster", "c", "--service", "s", "--image", "a:1",
                "--test-url", "http://127.0.0.1:8080", "--checks", "[{\"name\": \"root\", \"path\": \"/\"}]"}, env).request();
        assertEquals(List.of("root"), fromCli.checks().checks().stream().map(c -> c.name()).toList());
        assertEquals(fromCli.checks(), fromCli.then(Action.PROMOTE).checks(), "the approval's next action keeps them");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("checks", ".json");
        try {
            java.nio.file.Files.writeString(file, "[{\"name\": \"from a file\", \"path\": \"/\"}]");
            Request fromFile = Cli.parse(new String[] {"deploy", "--cluster", "c", "--service", "s", "--image", "a:1",
                    "--test-url", "http://127.0.0.1:8080", "--checks", "@" + file}, env).request();
            assertEquals(List.of("from a file"), fromFile.checks().checks().stream().map(c -> c.name()).toList());
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void checksThatCannotBeSentSayWhy() {
        String deploy = "{\"action\":\"deploy\",\"cluster\":\"c\",\"service\":\"s\",\"image\":\"a:1\"";
        assertMessage("checks were given but no test URL", () -> ActionParameters.parse(
                deploy + ",\"checks\":[{\"path\":\"/\"}]}", MAPPER, env));
        assertMessage("must be an absolute http:// or https:// URL", () -> ActionParameters.parse(
                deploy + ",\"testUrl\":\"ftp://alb.example\"}", MAPPER, env));
        assertMessage("must be an absolute http:// or https:// URL", () -> ActionParameters.parse(
                deploy + ",\"testUrl\":\"alb.example:8080\"}", MAPPER, env));
        assertMessage("checks: ", () -> ActionParameters.parse(
                deploy + ",\"testUrl\":\"http://alb.example\",\"checks\":[{\"path\":\"/\",\"expect\":{\"status\":\"ok\"}}]}",
                MAPPER, env));
        assertMessage("\"checks\" must be a JSON array", () -> ActionParameters.parse(
                deploy + ",\"testUrl\":\"http://alb.example\",\"checks\":7}", MAPPER, env));
        assertMessage("cannot read", () -> Cli.parse(new String[] {"deploy", "--cluster", "c", "--service", "s", "--image",
                "a:1", "--test-url", "http://127.0.0.1:8080", "--checks", "@/nonexistent/checks.json"}, env));
    }

    @Test
    void promoteTakesTheSwapFunctionsStrategyFromUserParametersOrTheCommandLine() {
        Request canary = ActionParameters.parse("""
                {"action": "promote", "cluster": "c", "service": "s", "release": "r1",
                 "strategy": {"type": "canary", "percent": 10, "bakeSeconds": 300}}""", MAPPER, env);
        assertEquals(List.of(10), canary.strategy().percents());
        assertEquals(Duration.ofSeconds(300), canary.strategy().bake());
        Request linear = Cli.parse(new String[] {"promote", "--cluster", "c", "--service", "s", "--release", "r1", "--strategy",
                "{\"type\": \"linear\", \"stepPercent\": 25, \"stepBakeSeconds\": 60}"}, env).request();
        assertEquals(List.of(25, 50, 75), linear.strategy().percents());
        assertEquals(linear.strategy(), linear.then(Action.ROLLBACK).strategy());
        assertEquals(false, ActionParameters.parse("{\"action\":\"promote\",\"cluster\":\"c\",\"service\":\"s\",\"release\":\"r1\"}",
                MAPPER, env).strategy().progressive(), "all at once unless a strategy says otherwise");

        assertMessage("UserParameters \"strategy.percent\" must be a whole percentage from 1 to 99", () -> ActionParameters.parse(
                "{\"action\":\"promote\",\"cluster\":\"c\",\"service\":\"s\",\"release\":\"r1\",\"strategy\":"
                        + "{\"type\":\"canary\",\"percent\":100,\"bakeSeconds\":60}}", MAPPER, env));
        assertMessage("--strategy: \"strategy.type\" must be", () -> Cli.parse(new String[] {"promote", "--cluster", "c",
                "--service", "s", "--release", "r1", "--strategy", "{\"type\": \"blue-green\"}"}, env));
        assertMessage("--strategy is not JSON", () -> Cli.parse(new String[] {"promote", "--cluster", "c",
                "--service", "s", "--release", "r1", "--strategy", "canary 10"}, env));
        assertMessage("instead of the strategy's finalBakeSeconds", () -> ActionParameters.parse(
                "{\"action\":\"promote\",\"cluster\":\"c\",\"service\":\"s\",\"release\":\"r1\",\"strategy\":"
                        + "{\"type\":\"allAtOnce\",\"finalBakeSeconds\":60}}", MAPPER, env));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        ConfigurationException e = assertThrows(ConfigurationException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
