package dev.ecsbluegreen.analysis.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.check.ChecksParser;
import dev.ecsbluegreen.analysis.check.Exchange;
import dev.ecsbluegreen.analysis.check.Expectation;
import dev.ecsbluegreen.analysis.check.Expectations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
    private static Expectation expect(String json) {
        return ChecksParser.parse("[{\"expect\":" + json + "}]").get(0).expect();
    }

    private static Exchange response(int status, String body) {
        return new Exchange(status, Map.of("content-type", List.of("application/json; charset=utf-8")), body, false,
                Duration.ofMillis(20), null);
    }

    @Test
    void acceptsAnyStatusOfTheDefaultSuccessClass() {
        assertEquals(List.of(), Expectations.failures(expect("{}"), response(204, "")));
        assertEquals(List.of("status 302, expected 2xx"), Expectations.failures(expect("{}"), response(302, "")));
    }

    @Test
    void acceptsStatusFromASetOfCodesClassesAndRanges() {
        Expectation expectation = expect("{\"status\":[200,\"3xx\",\"401-403\"]}");
        for (int ok : new int[] {200, 301, 399, 401, 403}) {
            assertEquals(List.of(), Expectations.failures(expectation, response(ok, "")), "status " + ok);
        }
        assertEquals(List.of("status 404, expected 200 or 3xx or 401-403"),
                Expectations.failures(expectation, response(404, "")));
    }

    @Test
    void requiresTheBodyToContainText() {
        Expectation expectation = expect("{\"bodyContains\":\"\\\"status\\\":\\\"UP\\\"\"}");
        assertEquals(List.of(), Expectations.failures(expectation, response(200, "{\"status\":\"UP\"}")));
        List<String> failures = Expectations.failures(expectation, response(200, "{\"status\":\"DOWN\"}"));
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).startsWith("body does not contain"), failures.get(0));
    }

    @Test
    void requiresTheBodyToMatchARegularExpressionSomewhere() {
        Expectation expectation = expect("{\"bodyMatches\":\"version\\\\s*=\\\\s*2\\\\.\\\\d+\"}");
        assertEquals(List.of(), Expectations.failures(expectation, response(200, "build 7, version = 2.14")));
        assertEquals(1, Expectations.failures(expectation, response(200, "version = 1.9")).size());
    }

    @Test
    void comparesJsonPointersByValue() {
        Expectation expectation = expect("{\"jsonPointer\":{\"/status\":\"UP\",\"/checks/0/ok\":true,\"/replicas\":3}}");
        assertEquals(List.of(), Expectations.failures(expectation,
                response(200, "{\"status\":\"UP\",\"checks\":[{\"ok\":true}],\"replicas\":3.0}")));
        assertEquals(List.of("JSON /status is \"DOWN\", expected \"UP\"", "JSON /checks/0/ok is missing, expected true"),
                Expectations.failures(expectation, response(200, "{\"status\":\"DOWN\",\"checks\":[],\"replicas\":3}")));
        assertEquals(1, Expectations.failures(expectation, response(200, "<html>oops</html>")).size());
    }

    @Test
    void requiresResponseHeadersByCaseInsensitiveName() {
        Expectation expectation = expect("{\"headers\":{\"Content-Type\":\"application/json\"}}");
        assertEquals(List.of(), Expectations.failures(expectation, response(200, "{}")));
        Exchange html = new Exchange(200, Map.of("content-type", List.of("text/html")), "", false, Duration.ZERO, null);
        assertEquals(List.of("header Content-Type is \"text/html\", expected it to contain \"application/json\""),
                Expectations.failures(expectation, html));
        Exchange none = new Exchange(200, Map.of(), "", false, Duration.ZERO, null);
        assertTrue(Expectations.failures(expectation, none).get(0).contains("missing"));
    }

    @Test
    void limitsLatency() {
        Expectation expectation = expect("{\"maxLatencyMillis\":100}");
        Exchange slow = new Exchange(200, Map.of(), "", false, Duration.ofMillis(250), null);
        assertEquals(List.of("took 250 ms, limit 100 ms"), Expectations.failures(expectation, slow));
    }

    @Test
    void reportsTheTransportFailureAlone() {
        assertEquals(List.of("connection failed: refused"),
                Expectations.failures(expect("{\"bodyContains\":\"x\"}"), Exchange.failed("connection failed: refused", Duration.ZERO)));
    }

    @Test
    void judgesATruncatedBodyOnlyWhenTheBodyMatters() {
        Exchange truncated = new Exchange(200, Map.of(), "a".repeat(10), true, Duration.ZERO, null);
        assertEquals(List.of(), Expectations.failures(expect("{}"), truncated));
        List<String> failures = Expectations.failures(expect("{\"bodyContains\":\"a\"}"), truncated);
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).contains("maxBodyBytes"), failures.get(0));
    }
}
