package dev.ecsbluegreen.analysis.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.ChecksParser;
import dev.ecsbluegreen.analysis.check.Expectation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecksParserTest {
    @Test
    void defaultIsGetRootExpecting2xxWithinFiveSecondsThreeAttempts() {
        Check check = ChecksParser.defaults().get(0);
        assertEquals("GET", check.method());
        assertEquals("/", check.path());
        assertEquals(List.of(new Expectation.StatusRange(200, 299)), check.expect().status());
        assertEquals(Duration.ofSeconds(5), check.timeout());
        assertEquals(3, check.attempts());
        assertEquals(Check.TlsMode.VERIFY, check.tls());
        assertEquals(false, check.followRedirects());
    }

    @Test
    void readsEveryField() {
        Check check = ChecksParser.parse("""
                {"checks": [{
                  "name": "orders api", "method": "post", "path": "/api/orders?dryRun=true",
                  "headers": {"Authorization": "Bearer smoke"}, "body": {"sku": "A-1"},
                  "host": "shop.example.com", "followRedirects": true, "tls": "acceptOtherHostName",
                  "timeoutMillis": 2000, "maxBodyBytes": 4096, "attempts": 6, "intervalMillis": 10000,
                  "expect": {"status": [201, "2xx"], "bodyContains": "accepted", "bodyMatches": "id\\\\W+\\\\d+",
                             "jsonPointer": {"/state": "NEW"}, "headers": {"Content-Type": "json"}, "maxLatencyMillis": 800},
                  "burst": {"requests": 20, "concurrency": 5, "minSuccessRatio": 0.95, "maxP95Millis": 400}
                }]}""").get(0);
        assertEquals("orders api", check.name());
        assertEquals("POST", check.method());
        assertEquals("/api/orders?dryRun=true", check.path());
        assertEquals(Map.of("Authorization", "Bearer smoke"), check.headers());
        assertEquals("{\"sku\":\"A-1\"}", check.body());
        assertEquals("shop.example.com", check.host());
        assertTrue(check.followRedirects());
        assertEquals(Check.TlsMode.ACCEPT_OTHER_HOST_NAME, check.tls());
        assertEquals(Duration.ofSeconds(2), check.timeout());
        assertEquals(4096, check.maxBodyBytes());
        assertEquals(6, check.attempts());
        assertEquals(Duration.ofSeconds(10), check.interval());
        assertEquals(List.of(new Expectation.StatusRange(201, 201), new Expectation.StatusRange(200, 299)),
                check.expect().status());
        assertEquals("accepted", check.expect().bodyContains());
        assertEquals("id\\W+\\d+", check.expect().bodyMatches().pattern());
        assertEquals("\"NEW\"", check.expect().jsonPointers().get("/state").toString());
        assertEquals(Duration.ofMillis(800), check.expect().maxLatency());
        assertEquals(new Check.Burst(20, 5, 0.95, Duration.ofMillis(400)), check.burst());
    }

    @Test
    void namesAnUnnamedCheckByMethodAndPath() {
        Check check = ChecksParser.parse("[{\"path\":\"/health\"}]").get(0);
        assertEquals("GET /health", check.name());
        assertNull(check.burst());
    }

    @Test
    void refusesUnknownFieldsSoATypoCannotSilentlyTestLess() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ChecksParser.parse("[{\"name\":\"h\",\"expect\":{\"statuss\":200}}]"));
        assertTrue(e.getMessage().contains("check 'h' expect: unknown field 'statuss'"), e.getMessage());
    }

    @Test
    void refusesWhatCannotWork() {
        for (String bad : List.of("", "{}", "[]", "[{\"path\":\"health\"}]", "[{\"method\":\"BREW\"}]",
                "[{\"expect\":{\"status\":\"600\"}}]", "[{\"expect\":{\"status\":\"2xx-3xx\"}}]",
                "[{\"attempts\":0}]", "[{\"expect\":{\"bodyMatches\":\"(\"}}]", "[{\"tls\":\"off\"}]",
                "[{\"burst\":{\"requests\":5000}}]", "[{\"burst\":{\"minSuccessRatio\":1.5}}]",
                "[{\"name\":\"a\"},{\"name\":\"a\"}]")) {
            assertThrows(InvalidConfigurationException.class, () -> ChecksParser.parse(bad), bad);
        }
    }
}
