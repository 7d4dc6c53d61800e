package dev.ecsbluegreen.analysis.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.check.AttemptResult;
import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.CheckResult;
import dev.ecsbluegreen.analysis.check.CheckRunner;
import dev.ecsbluegreen.analysis.check.ChecksParser;
import dev.ecsbluegreen.analysis.check.Exchange;
import dev.ecsbluegreen.analysis.check.HttpProbe;
import dev.ecsbluegreen.core.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CheckRunnerTest {
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final List<AttemptResult> seen = Collections.synchronizedList(new ArrayList<>());

    private static Exchange status(int code, long millis) {
        return new Exchange(code, Map.of(), "", false, Duration.ofMillis(millis), null);
    }

    /** A probe answering with the scripted exchanges in order, then the last one forever. */
    private static HttpProbe scripted(Exchange... exchanges) {
        ConcurrentLinkedQueue<Exchange> queue = new ConcurrentLinkedQueue<>(List.of(exchanges));
        Exchange last = exchanges[exchanges.length - 1];
        return (check, base, timeout) -> {
            Exchange next = queue.poll();
            return next == null ? last : next;
        };
    }

    private CheckResult run(String checkJson, HttpProbe probe, Duration budget) {
        Check check = ChecksParser.parse("[" + checkJson + "]").get(0);
        return new CheckRunner(probe, sleeps::add)
                .run(check, java.net.URI.create("http://green.internal"), Deadline.after(budget), seen::add);
    }

    @Test
    void passesOnTheFirstGoodAttemptAfterWarmUpFailures() {
        CheckResult result = run("{\"name\":\"warm\",\"attempts\":5,\"intervalMillis\":2000}",
                scripted(status(503, 5), status(503, 5), status(200, 5)), Duration.ofMinutes(1));

        assertTrue(result.passed());
        assertEquals(3, result.attempts().size());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), sleeps);
        assertEquals(List.of(1, 2, 3), seen.stream().map(AttemptResult::attempt).toList());
        assertEquals(List.of("status 503, expected 2xx"), seen.get(0).failures());
    }

    @Test
    void failsWithTheLastAttemptsReasonsAfterAllAttempts() {
        CheckResult result = run("{\"name\":\"down\",\"attempts\":3,\"intervalMillis\":10}",
                scripted(status(500, 1)), Duration.ofMinutes(1));

        assertFalse(result.passed());
        assertEquals(3, result.attempts().size());
        assertEquals(List.of("status 500, expected 2xx", "failed all 3 attempts"), result.failures());
        assertEquals(2, sleeps.size());
    }

    @Test
    void stopsWhenTheNextIntervalWouldPassTheDeadline() {
        CheckResult result = run("{\"name\":\"patient\",\"attempts\":10,\"intervalMillis\":60000}",
                scripted(status(502, 1)), Duration.ofSeconds(5));

        assertFalse(result.passed());
        assertEquals(1, result.attempts().size());
        assertEquals(List.of(), sleeps);
        assertEquals("timed out before attempt 2 of 10", result.failures().get(result.failures().size() - 1));
    }

    @Test
    void givesEachRequestAtMostTheTimeLeft() {
        List<Duration> timeouts = Collections.synchronizedList(new ArrayList<>());
        run("{\"timeoutMillis\":60000,\"attempts\":1}", (check, base, timeout) -> {
            timeouts.add(timeout);
            return status(200, 1);
        }, Duration.ofSeconds(2));

        assertTrue(timeouts.get(0).compareTo(Duration.ofSeconds(2)) <= 0, timeouts.toString());
    }

    @Test
    void burstPassesWhenTheSuccessRatioAndP95AreWithinLimits() {
        AtomicInteger sent = new AtomicInteger();
        HttpProbe probe = (check, base, timeout) -> sent.incrementAndGet() % 20 == 0 ? status(503, 30) : status(200, 30);

        CheckResult result = run("{\"name\":\"burst\",\"attempts\":1,"
                + "\"burst\":{\"requests\":20,\"concurrency\":4,\"minSuccessRatio\":0.95,\"maxP95Millis\":100}}",
                probe, Duration.ofMinutes(1));

        assertTrue(result.passed(), result.toString());
        assertEquals(20, sent.get());
        BurstStatistics stats = seen.get(0).burst();
        assertEquals(20, stats.requests());
        assertEquals(19, stats.successes());
        assertEquals(Map.of("status 503, expected 2xx", 1), stats.failureCounts());
    }

    @Test
    void burstFailsOnTooFewSuccessesAndSaysWhichFailuresHappened() {
        AtomicInteger sent = new AtomicInteger();
        HttpProbe probe = (check, base, timeout) -> sent.incrementAndGet() % 5 == 0 ? status(500, 10) : status(200, 10);

        CheckResult result = run("{\"name\":\"burst\",\"attempts\":1,"
                + "\"burst\":{\"requests\":10,\"concurrency\":2,\"minSuccessRatio\":0.9}}", probe, Duration.ofMinutes(1));

        assertFalse(result.passed());
        assertEquals("8 of 10 requests succeeded (80%), at least 90% required; failures: status 500, expected 2xx ×2",
                result.failures().get(0));
    }

    @Test
    void burstFailsWhenTheP95LatencyIsOverItsLimit() {
        AtomicInteger sent = new AtomicInteger();
        HttpProbe probe = (check, base, timeout) -> status(200, sent.incrementAndGet() <= 17 ? 50 : 900);

        CheckResult result = run("{\"name\":\"burst\",\"attempts\":1,"
                + "\"burst\":{\"requests\":20,\"concurrency\":1,\"minSuccessRatio\":1,\"maxP95Millis\":500}}",
                probe, Duration.ofMinutes(1));

        assertFalse(result.passed());
        assertEquals(List.of("p95 latency 900 ms, limit 500 ms"), result.failures());
        assertEquals(Duration.ofMillis(50), seen.get(0).burst().p50());
    }

    @Test
    void percentileUsesTheNearestRank() {
        List<Duration> ascending = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            ascending.add(Duration.ofMillis(i));
        }
        assertEquals(Duration.ofMillis(95), BurstStatistics.percentile(ascending, 95));
        assertEquals(Duration.ofMillis(50), BurstStatistics.percentile(ascending, 50));
        assertEquals(Duration.ofMillis(7), BurstStatistics.percentile(List.of(Duration.ofMillis(7)), 95));
        assertEquals(Duration.ofMillis(20), BurstStatistics.percentile(
                List.of(Duration.ofMillis(10), Duration.ofMillis(20)), 95));
    }
}
