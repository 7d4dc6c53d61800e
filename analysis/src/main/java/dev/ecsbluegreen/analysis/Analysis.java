package dev.ecsbluegreen.analysis;

import dev.ecsbluegreen.analysis.metrics.Provider;
import dev.ecsbluegreen.analysis.metrics.Providers;
import dev.ecsbluegreen.core.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs an analysis: measures its metrics with their {@link Providers} and folds the measurements into a verdict with
 * {@link Verdicts}. Two ways, one per kind of caller:
 *
 * <ul>
 *   <li>{@link #runToVerdict}: within one invocation (a CodeDeploy hook), measuring each metric every interval until
 *       the analysis is decided or the deadline leaves no room for the next measurement;
 *   <li>{@link #measureOnce}: one round per invocation for a caller that is called again (an Amazon ECS hook answering
 *       {@code IN_PROGRESS} with a {@code callBackDelay}), the tallies carried between invocations
 *       ({@link TallyCodec}).
 * </ul>
 *
 * Never throws (providers do not); every wait and every AWS call is bounded by the deadline. Thread-safe when its
 * providers and sleeper are; the measurement listener is called on the caller's thread.
 */
public final class Analysis {
    /** Why pending metrics fail when {@link #runToVerdict}'s deadline comes first. */
    public static final String DEADLINE_CUT = "window cut by the function's deadline";
    /** A measurement is only started with at least this much time left for its AWS calls. */
    static final Duration MEASUREMENT_ROOM = Duration.ofMillis(500);

    private final Providers providers;
    private final Sleeper sleeper;
    private final Clock clock;

    /**
     * One round of {@link #measureOnce}.
     *
     * @param verdict the analysis's verdict after the round
     * @param tallies every metric's tally after the round, by name, in the analysis's order: carry them to the next
     */
    public record Round(AnalysisVerdict verdict, Map<String, Tally> tallies) {
        public Round {
            tallies = Collections.unmodifiableMap(new LinkedHashMap<>(tallies));
        }
    }

    /**
     * @param clock the wall clock that times the measurements and stamps them; the deadline keeps its own clock, and
     *              the sleeper must let both move on (tests pass a sleeper that advances a fake clock behind both)
     */
    public Analysis(Providers providers, Sleeper sleeper, Clock clock) {
        this.providers = providers;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /**
     * Measures each metric every its interval until the analysis is decided: it returns as soon as a metric fails,
     * or once every metric passed. The first measurement of a metric is taken one interval after this call, so that
     * it reads an interval of data, or at once when {@code windowStart} is at least one interval ago (the data is
     * there already). When a measurement is late by more than an interval (a slow call), the missed slot is skipped:
     * the next one is an interval after it. When the deadline leaves no room for the next due measurement, the
     * pending metrics are cut short ({@link Verdicts#cutShort} with {@link #DEADLINE_CUT}): it never waits past it.
     *
     * @param onMeasurement told about every measurement as soon as it is taken (for the log and the timeline)
     */
    public AnalysisVerdict runToVerdict(List<MetricSpec> metrics, Subject subject, Instant windowStart,
                                        Deadline deadline, Consumer<Measurement> onMeasurement) {
        int n = metrics.size();
        List<Provider> measures = metrics.stream().map(spec -> providers.forSpec(spec.provider())).toList();
        Tally[] tallies = new Tally[n];
        Instant[] due = new Instant[n];
        Instant begun = clock.instant();
        for (int i = 0; i < n; i++) {
            Duration interval = metrics.get(i).interval();
            tallies[i] = Tally.NONE;
            due[i] = windowStart.isAfter(begun.minus(interval)) ? begun.plus(interval) : begun;
        }
        while (true) {
            List<MetricVerdict> verdicts = new ArrayList<>();
            int next = -1;
            for (int i = 0; i < n; i++) {
                MetricVerdict verdict = Verdicts.decide(metrics.get(i), tallies[i]);
                verdicts.add(verdict);
                if (verdict.status() == Status.PENDING && (next < 0 || due[i].isBefore(due[next]))) {
                    next = i;
                }
            }
            AnalysisVerdict verdict = Verdicts.combine(verdicts);
            if (verdict.status() != Status.PENDING) {
                return verdict;
            }
            Duration wait = Duration.between(clock.instant(), due[next]);
            if (wait.isNegative()) {
                wait = Duration.ZERO;
            }
            if (deadline.remaining().compareTo(wait.plus(MEASUREMENT_ROOM)) < 0) {
                return cut(metrics, tallies, DEADLINE_CUT);
            }
            if (!sleepUntil(due[next], deadline)) {
                return cut(metrics, tallies, "window cut: the analysis was interrupted");
            }
            MetricSpec spec = metrics.get(next);
            Measurement measurement = measures.get(next).measure(spec, subject, windowStart, clock.instant(), deadline);
            tallies[next] = tallies[next].plus(measurement);
            onMeasurement.accept(measurement);
            Instant after = clock.instant();
            Instant following = due[next].plus(spec.interval());
            due[next] = following.isAfter(after) ? following : after.plus(spec.interval());
        }
    }

    /**
     * Measures every metric that its carried tally leaves pending, once, and says where the analysis stands. Once a
     * metric fails the analysis is decided, so the metrics after it are not measured in this round; nor is any when
     * the deadline leaves no room for a measurement (they stay pending). A carried tally of a metric that is not in
     * {@code metrics} is dropped; a metric without one starts from {@link Tally#NONE}.
     *
     * @param carried the previous round's {@link Round#tallies()} (empty on the first round)
     */
    public Round measureOnce(List<MetricSpec> metrics, Subject subject, Map<String, Tally> carried,
                             Instant windowStart, Deadline deadline, Consumer<Measurement> onMeasurement) {
        Map<String, Tally> tallies = new LinkedHashMap<>();
        List<MetricVerdict> verdicts = new ArrayList<>();
        boolean decided = false;
        for (MetricSpec spec : metrics) {
            Tally tally = carried.getOrDefault(spec.name(), Tally.NONE);
            if (!decided && Verdicts.decide(spec, tally).status() == Status.PENDING
                    && deadline.remaining().compareTo(MEASUREMENT_ROOM) >= 0) {
                Measurement measurement = providers.forSpec(spec.provider())
                        .measure(spec, subject, windowStart, clock.instant(), deadline);
                tally = tally.plus(measurement);
                onMeasurement.accept(measurement);
            }
            MetricVerdict verdict = Verdicts.decide(spec, tally);
            decided |= verdict.status() == Status.FAILED;
            tallies.put(spec.name(), tally);
            verdicts.add(verdict);
        }
        return new Round(Verdicts.combine(verdicts), tallies);
    }

    private boolean sleepUntil(Instant target, Deadline deadline) {
        while (true) {
            Duration left = Duration.between(clock.instant(), target);
            Duration remaining = deadline.remaining();
            if (!left.isPositive() || remaining.isZero()) {
                return !Thread.currentThread().isInterrupted();
            }
            try {
                sleeper.sleep(left.compareTo(remaining) < 0 ? left : remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static AnalysisVerdict cut(List<MetricSpec> metrics, Tally[] tallies, String why) {
        List<MetricVerdict> verdicts = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            verdicts.add(Verdicts.cutShort(metrics.get(i), tallies[i], why));
        }
        return Verdicts.combine(verdicts);
    }
}
