package dev.ecsbluegreen.analysis.check;

import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.analysis.check.AttemptResult;
import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.CheckResult;
import dev.ecsbluegreen.analysis.check.Exchange;
import dev.ecsbluegreen.analysis.check.Expectations;
import dev.ecsbluegreen.analysis.check.HttpProbe;
import dev.ecsbluegreen.core.Deadline;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs a {@link Check}: its attempts with their interval, each a single request or a burst, judged by
 * {@link Expectations}. Never throws: every failure, including running out of time, becomes part of the
 * {@link CheckResult}. Thread-safe.
 */
public final class CheckRunner {
    private static final ThreadFactory BURST_THREADS = runnable -> {
        Thread thread = new Thread(runnable, "hooks-burst");
        thread.setDaemon(true);
        return thread;
    };

    private final HttpProbe probe;
    private final Sleeper sleeper;

    public CheckRunner(HttpProbe probe, Sleeper sleeper) {
        this.probe = probe;
        this.sleeper = sleeper;
    }

    /**
     * @param onAttempt told about every attempt as soon as it is judged (for the log)
     */
    public CheckResult run(Check check, URI baseUrl, Deadline deadline, Consumer<AttemptResult> onAttempt) {
        List<AttemptResult> attempts = new ArrayList<>();
        for (int attempt = 1; attempt <= check.attempts(); attempt++) {
            if (attempt > 1) {
                if (deadline.remaining().compareTo(check.interval()) <= 0) {
                    return stopped(check, attempts, "timed out before attempt " + attempt + " of " + check.attempts());
                }
                try {
                    sleeper.sleep(check.interval());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return stopped(check, attempts, "interrupted before attempt " + attempt + " of " + check.attempts());
                }
            }
            if (deadline.expired() || Thread.currentThread().isInterrupted()) {
                return stopped(check, attempts, "timed out before attempt " + attempt + " of " + check.attempts());
            }
            AttemptResult result = check.burst() == null
                    ? single(check, baseUrl, deadline, attempt)
                    : burst(check, baseUrl, deadline, attempt);
            attempts.add(result);
            onAttempt.accept(result);
            if (result.passed()) {
                return new CheckResult(check.name(), true, attempts, List.of());
            }
        }
        AttemptResult last = attempts.get(attempts.size() - 1);
        List<String> failures = new ArrayList<>(last.failures());
        if (attempts.size() > 1) {
            failures.add("failed all " + attempts.size() + " attempts");
        }
        return new CheckResult(check.name(), false, attempts, failures);
    }

    private static CheckResult stopped(Check check, List<AttemptResult> attempts, String why) {
        List<String> failures = new ArrayList<>();
        if (!attempts.isEmpty()) {
            failures.addAll(attempts.get(attempts.size() - 1).failures());
        }
        failures.add(why);
        return new CheckResult(check.name(), false, attempts, failures);
    }

    private AttemptResult single(Check check, URI baseUrl, Deadline deadline, int attempt) {
        Exchange exchange = probe.send(check, baseUrl, timeout(check, deadline));
        List<String> failures = Expectations.failures(check.expect(), exchange);
        return new AttemptResult(check.name(), attempt, exchange.status(), exchange.latency(), failures.isEmpty(),
                failures, null);
    }

    private static Duration timeout(Check check, Deadline deadline) {
        Duration left = deadline.remaining();
        return left.compareTo(check.timeout()) < 0 ? left : check.timeout();
    }

    private AttemptResult burst(Check check, URI baseUrl, Deadline deadline, int attempt) {
        Check.Burst burst = check.burst();
        ExecutorService pool = Executors.newFixedThreadPool(burst.concurrency(), BURST_THREADS);
        List<Exchange> exchanges = new ArrayList<>();
        try {
            List<Future<Exchange>> futures = new ArrayList<>();
            for (int i = 0; i < burst.requests(); i++) {
                futures.add(pool.submit(() -> deadline.expired()
                        ? Exchange.failed("no time left to send this request", Duration.ZERO)
                        : probe.send(check, baseUrl, timeout(check, deadline))));
            }
            for (Future<Exchange> future : futures) {
                exchanges.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AttemptResult(check.name(), attempt, 0, Duration.ZERO, false,
                    List.of("interrupted during the burst"), null);
        } catch (java.util.concurrent.ExecutionException e) {
            // HttpProbe promises not to throw; if one does anyway, the burst fails with the reason
            return new AttemptResult(check.name(), attempt, 0, Duration.ZERO, false,
                    List.of("request failed unexpectedly: " + e.getCause()), null);
        } finally {
            pool.shutdownNow();
        }
        return judgeBurst(check, attempt, exchanges);
    }

    /** Folds the exchanges of one burst into one attempt result. Pure. */
    static AttemptResult judgeBurst(Check check, int attempt, List<Exchange> exchanges) {
        Check.Burst burst = check.burst();
        List<List<String>> perRequest = exchanges.stream()
                .map(exchange -> Expectations.failures(check.expect(), exchange)).toList();
        BurstStatistics stats = BurstStatistics.of(exchanges.stream().map(Exchange::latency).toList(), perRequest);
        List<String> failures = new ArrayList<>();
        if (stats.successRatio() < burst.minSuccessRatio()) {
            failures.add("%d of %d requests succeeded (%.0f%%), at least %.0f%% required; failures: %s".formatted(
                    stats.successes(), stats.requests(), stats.successRatio() * 100, burst.minSuccessRatio() * 100,
                    describeCounts(stats.failureCounts())));
        }
        if (burst.maxP95() != null && stats.p95().compareTo(burst.maxP95()) > 0) {
            failures.add("p95 latency " + stats.p95().toMillis() + " ms, limit " + burst.maxP95().toMillis() + " ms");
        }
        int lastStatus = exchanges.isEmpty() ? 0 : exchanges.get(exchanges.size() - 1).status();
        return new AttemptResult(check.name(), attempt, lastStatus, stats.p95(), failures.isEmpty(), failures, stats);
    }

    private static String describeCounts(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining("; "));
    }
}
