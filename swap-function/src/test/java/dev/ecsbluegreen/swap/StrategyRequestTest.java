package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.Tally;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.routing.Strategy;
import dev.ecsbluegreen.testing.EventFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strategy, analysis and dry-run keys of UserParameters, and the continuation token's own format. */
class StrategyRequestTest {
    private static final ObjectMapper MAPPER = Json.newMapper();

    private static SwapRequest parse(String userParameters) {
        return SwapRequest.parse(userParameters, MAPPER, name -> null);
    }

    private static String rejects(String userParameters) {
        SwapException e = assertThrows(SwapException.class, () -> parse(userParameters));
        assertEquals(FailureType.ConfigurationError, e.type());
        return e.getMessage();
    }

    @Test
    void withoutAStrategyTheSwapIsAllAtOnceAsBefore() {
        SwapRequest request = parse("{\"ElbName\": \"app-alb\"}");
        assertEquals(Strategy.ALL_AT_ONCE, request.strategy());
        assertFalse(request.strategy().progressive());
        assertFalse(request.dryRun());
        assertEquals(List.of(), request.analysis());
        assertEquals(Strategy.ALL_AT_ONCE, parse("{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"allAtOnce\"}}")
                .strategy());
    }

    @Test
    void canaryAndLinearStepsAndBakes() {
        Strategy canary = parse("{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"canary\", \"percent\": 10, "
                + "\"bakeSeconds\": 300, \"finalBakeSeconds\": 600}}").strategy();
        assertEquals(List.of(10), canary.percents());
        assertEquals(2, canary.steps());
        assertEquals(100, canary.percentAt(2));
        assertEquals(Duration.ofSeconds(300), canary.bake());
        assertEquals(Duration.ofSeconds(600), canary.finalBake());

        Strategy linear = parse("{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"linear\", \"stepPercent\": 30, "
                + "\"stepBakeSeconds\": 120}}").strategy();
        assertEquals(List.of(30, 60, 90), linear.percents());
        assertEquals(4, linear.steps());
        assertEquals(Duration.ZERO, linear.finalBake());
        assertTrue(parse("{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"allAtOnce\", \"finalBakeSeconds\": 60}}")
                .strategy().progressive(), "a final bake alone makes the job continue");
    }

    @Test
    void badStrategiesAreRefusedNamingTheField() {
        assertTrue(rejects("{\"ElbName\": \"a\", \"strategy\": \"canary\"}").contains("\"strategy\" must be an object"));
        assertTrue(rejects("{\"ElbName\": \"a\", \"strategy\": {\"type\": \"bluegreen\"}}").contains("\"strategy.type\""));
        assertTrue(rejects("{\"ElbName\": \"a\", \"strategy\": {\"type\": \"canary\", \"percent\": 100, \"bakeSeconds\": 1}}")
                .contains("\"strategy.percent\" must be a whole percentage from 1 to 99, not 100"));
        assertTrue(rejects("{\"ElbName\": \"a\", \"strategy\": {\"type\": \"canary\", \"percent\": 10}}")
                .contains("\"strategy.bakeSeconds\" must be whole seconds from 0 to 86400, not missing"));
        assertTrue(rejects("{\"ElbName\": \"a\", \"strategy\": {\"type\": \"linear\", \"stepPercent\": 2.5, "
                + "\"stepBakeSeconds\": 1}}").contains("\"strategy.stepPercent\""));
        assertTrue(rejects("{\"ElbName\": \"a\", \"strategy\": {\"type\": \"linear\", \"stepPercent\": 10, "
                + "\"stepBakeSeconds\": -1}}").contains("\"strategy.stepBakeSeconds\""));
        assertTrue(rejects("{\"ElbName\": \"a\", \"strategy\": {\"type\": \"linear\", \"stepPercent\": 10, "
                + "\"bakeSeconds\": 1}}").contains("unknown key(s) [bakeSeconds]"));
        assertTrue(rejects("{\"ElbName\": \"a\", \"strategy\": {\"type\": \"linear\", \"stepPercent\": 1, "
                + "\"stepBakeSeconds\": 86400}}").contains("more than the 82800 s"));
    }

    @Test
    void analysisIsTheHooksDocumentAsANestedObjectAndAlarmNamesAList() {
        SwapRequest request = parse("{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"canary\", \"percent\": 5, "
                + "\"bakeSeconds\": 60}, \"analysis\": {\"interval\": 30, \"metrics\": [{\"name\": \"green 5xx\", "
                + "\"preset\": \"green-5xx-ratio\"}]}, \"alarmNames\": [\"shop-5xx\", \"shop-*\"], \"dryRun\": true}");
        assertEquals(List.of("green 5xx", "ALARM_NAMES"), request.analysis().stream().map(m -> m.name()).toList());
        assertEquals(Duration.ofSeconds(30), request.analysis().get(1).interval());
        assertTrue(request.dryRun());
    }

    @Test
    void theCanaryEventFileAsCodePipelineSendsIt() throws Exception {
        JobEvent event = JobEvent.parse(EventFiles.read("codepipeline-job-canary.json").getBytes(
                java.nio.charset.StandardCharsets.UTF_8), MAPPER);
        SwapRequest request = parse(event.userParameters());
        assertEquals("canary", request.strategy().type());
        assertEquals(List.of(10), request.strategy().percents());
        assertEquals(Duration.ofSeconds(120), request.strategy().finalBake());
        assertEquals(List.of("green 5xx", "green vs blue", "ALARM_NAMES"),
                request.analysis().stream().map(m -> m.name()).toList());
        assertEquals(null, event.continuationToken(), "the first job of a release carries no token");
    }

    @Test
    void badAnalysisIsRefusedNamingTheField() {
        String canary = "{\"ElbName\": \"a\", \"strategy\": {\"type\": \"canary\", \"percent\": 5, \"bakeSeconds\": 60}, ";
        assertTrue(rejects(canary + "\"analysis\": \"green-5xx\"}").contains("\"analysis\" must be a JSON object"));
        String bad = rejects(canary + "\"analysis\": {\"metrics\": [{\"name\": \"x\", \"preset\": \"green-5xx\"}]}}");
        assertTrue(bad.startsWith("UserParameters \"analysis\" metrics[0].preset"), bad);
        assertTrue(rejects(canary + "\"alarmNames\": [1]}").contains("\"alarmNames\" must be alarm names"));
        assertTrue(rejects(canary + "\"alarmNames\": [\"*\"]}").startsWith("UserParameters \"alarmNames\""));
        assertTrue(rejects("{\"ElbName\": \"a\", \"alarmNames\": [\"shop-5xx\"]}").contains("add \"finalBakeSeconds\""),
                "an analysis an all-at-once swap would never run is refused");
        assertTrue(rejects("{\"ElbName\": \"a\", \"dryRun\": \"yes\"}").contains("\"dryRun\" must be true or false"));
    }

    @Test
    void theTokenRoundTripsAndItsTalliesMoveToTagsWhenTheyWouldNotFit() throws Exception {
        List<String> names = new ArrayList<>();
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            names.add("metric " + i);
            tallies.put("metric " + i, new Tally(i % 7, 1, 2, 1, 0, "dropped: the summary does not travel"));
        }
        String encoded = Progress.encode(names, tallies);
        Progress progress = new Progress("33333333-abcd-3333-abcd-333333abcdef", 2, 1_764_590_000L, "0123456789abcdef", 3,
                encoded);
        assertTrue(progress.token(MAPPER).length() > Progress.MAX_TOKEN);
        Map<String, String> tags = Progress.tallyTags(encoded);
        assertTrue(tags.values().stream().allMatch(v -> v.length() <= JobRecord.MAX_TAG_VALUE));
        Map<String, Tally> back = Progress.decode(names, Progress.fromTallyTags(tags));
        assertEquals(new Tally(3, 1, 2, 1, 0, null), back.get("metric 10"));

        Progress parsed = Progress.parse(progress.withTallies(Progress.IN_TAGS).token(MAPPER), MAPPER);
        assertEquals(progress.withTallies(Progress.IN_TAGS), parsed);
        assertThrows(Progress.Unreadable.class, () -> Progress.parse("eyJqb2IiOiIzMzMzMzMzMyJ9", MAPPER));
        assertThrows(Progress.Unreadable.class, () -> Progress.parse("{\"v\":2}", MAPPER));
        assertEquals(Tally.NONE, Progress.decode(List.of("a"), "1.2.x.0.0").get("a"), "a malformed tally starts again");
    }
}
