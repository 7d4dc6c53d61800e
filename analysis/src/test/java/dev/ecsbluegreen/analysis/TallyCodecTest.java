package dev.ecsbluegreen.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TallyCodecTest {
    private static final ObjectMapper JSON = Json.newMapper();

    @Test
    void writesShortKeysAndReadsThemBack() {
        Map<String, Tally> tallies = new LinkedHashMap<>();
        tallies.put("green 5xx", new Tally(2, 1, 3, 1, 4, "green 5xx ratio 0.2 % (1 of 500 requests) <= 1 %"));
        tallies.put("alarms", Tally.NONE);

        JsonNode written = TallyCodec.write(tallies);

        assertEquals("{\"green 5xx\":{\"s\":2,\"f\":1,\"e\":3,\"c\":1,\"i\":4,"
                + "\"l\":\"green 5xx ratio 0.2 % (1 of 500 requests) <= 1 %\"},"
                + "\"alarms\":{\"s\":0,\"f\":0,\"e\":0,\"c\":0,\"i\":0}}", written.toString());
        assertEquals(tallies, TallyCodec.read(written));
    }

    @Test
    void aLongLastSummaryIsCut() {
        JsonNode written = TallyCodec.write(Map.of("m", new Tally(1, 0, 0, 0, 0, "x".repeat(1000))));

        String last = written.path("m").path("l").asText();
        assertEquals(TallyCodec.LAST_CHARACTERS, last.length());
        assertEquals("x".repeat(TallyCodec.LAST_CHARACTERS - 1) + "…", last);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"m\": 7}", "{\"m\": {\"s\": -1}}", "{\"m\": {\"s\": \"2\"}}", "{\"m\": {\"s\": 1.5}}",
            "{\"m\": {\"s\": 99999999999}}", "{\"m\": {\"e\": 1, \"c\": 2}}", "{\"m\": {\"l\": {\"x\": 1}}}",
            "{\"m\": [1, 2]}", "{\"m\": null}", "{\"m\": {\"f\": 1e400}}"})
    void aMalformedEntryStartsThatMetricAgain(String state) throws Exception {
        assertEquals(Map.of("m", Tally.NONE), TallyCodec.read(JSON.readTree(state)));
    }

    @Test
    void aMalformedEntryLeavesTheOthers() throws Exception {
        Map<String, Tally> read = TallyCodec.read(JSON.readTree("{\"bad\": {\"s\": true}, \"good\": {\"s\": 1, \"l\": \"ok\"}}"));

        assertEquals(Map.of("bad", Tally.NONE, "good", new Tally(1, 0, 0, 0, 0, "ok")), read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"state\"", "42", "null"})
    void stateThatIsNoObjectReadsAsNoTallies(String state) throws Exception {
        assertEquals(Map.of(), TallyCodec.read(JSON.readTree(state)));
    }

    @Test
    void missingStateReadsAsNoTallies() {
        assertEquals(Map.of(), TallyCodec.read(null));
    }
}
