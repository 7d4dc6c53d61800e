package dev.ecsbluegreen.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * The decision: what a metric's {@link Tally} means under its {@link MetricSpec}'s limits, and what the metrics'
 * verdicts mean together (Argo Rollouts' analysis decision, without its controller). Pure and thread-safe; every
 * reason starts with the metric's name and ends with its last measurement's summary.
 */
public final class Verdicts {
    private Verdicts() {}

    /**
     * In this order: failed when more measurements failed than {@code failureLimit}; failed when the provider failed
     * more times in a row than {@code consecutiveErrorLimit}; under {@link InconclusivePolicy#FAIL}, failed when more
     * measurements were inconclusive than {@code inconclusiveLimit}; passed once {@code count} measurements counted
     * (successful or failed: errors and inconclusive ones do not); else pending.
     */
    public static MetricVerdict decide(MetricSpec spec, Tally tally) {
        String last = last(tally);
        if (tally.failed() > spec.failureLimit()) {
            return verdict(spec, Status.FAILED, "failed %d of %d (failureLimit %d): %s".formatted(
                    tally.failed(), taken(tally), spec.failureLimit(), last), tally);
        }
        if (tally.consecutiveErrors() > spec.consecutiveErrorLimit()) {
            return verdict(spec, Status.FAILED, "provider failed %d times in a row (consecutiveErrorLimit %d): %s"
                    .formatted(tally.consecutiveErrors(), spec.consecutiveErrorLimit(), last), tally);
        }
        if (spec.inconclusive() == InconclusivePolicy.FAIL && tally.inconclusive() > spec.inconclusiveLimit()) {
            return verdict(spec, Status.FAILED, "inconclusive %d of %d (inconclusiveLimit %d): %s".formatted(
                    tally.inconclusive(), taken(tally), spec.inconclusiveLimit(), last), tally);
        }
        if (tally.counted() >= spec.count()) {
            return verdict(spec, Status.PASSED, "passed %d of %d measurements (%d failed, failureLimit %d): %s"
                    .formatted(tally.counted(), spec.count(), tally.failed(), spec.failureLimit(), last), tally);
        }
        return verdict(spec, Status.PENDING, "pending after %d of %d measurements%s: %s".formatted(
                tally.counted(), spec.count(), uncounted(tally), last), tally);
    }

    /**
     * A metric whose window ended before it was decided (the function's deadline, the bake window's bound): pending
     * becomes failed, with a reason that says why and how many of {@code count} measurements were taken. A metric
     * already decided keeps its verdict.
     *
     * @param why what ended the window, e.g. {@code "window cut by the function's deadline"}
     */
    public static MetricVerdict cutShort(MetricSpec spec, Tally tally, String why) {
        MetricVerdict decided = decide(spec, tally);
        if (decided.status() != Status.PENDING) {
            return decided;
        }
        return verdict(spec, Status.FAILED, "%s after %d of %d measurements%s: %s".formatted(
                why, tally.counted(), spec.count(), uncounted(tally), last(tally)), tally);
    }

    /**
     * Failed when a metric failed, else pending while one is pending, else passed; an empty analysis passes ("no
     * analysis configured"). The reason joins every metric's reason, the failed ones first, then the pending ones.
     */
    public static AnalysisVerdict combine(List<MetricVerdict> verdicts) {
        if (verdicts.isEmpty()) {
            return new AnalysisVerdict(Status.PASSED, "no analysis configured", List.of());
        }
        List<String> reasons = new ArrayList<>();
        for (Status status : List.of(Status.FAILED, Status.PENDING, Status.PASSED)) {
            verdicts.stream().filter(v -> v.status() == status).forEach(v -> reasons.add(v.reason()));
        }
        Status status = verdicts.stream().anyMatch(v -> v.status() == Status.FAILED) ? Status.FAILED
                : verdicts.stream().anyMatch(v -> v.status() == Status.PENDING) ? Status.PENDING
                : Status.PASSED;
        return new AnalysisVerdict(status, String.join("; ", reasons), verdicts);
    }

    private static MetricVerdict verdict(MetricSpec spec, Status status, String reason, Tally tally) {
        return new MetricVerdict(spec.name(), status, spec.name() + ": " + reason, tally);
    }

    private static int taken(Tally tally) {
        return tally.counted() + tally.errors() + tally.inconclusive();
    }

    /** What was measured but does not count, when anything was: " (2 inconclusive, 1 error)". */
    private static String uncounted(Tally tally) {
        List<String> parts = new ArrayList<>();
        if (tally.inconclusive() > 0) {
            parts.add(tally.inconclusive() + " inconclusive");
        }
        if (tally.errors() > 0) {
            parts.add(tally.errors() + (tally.errors() == 1 ? " error" : " errors"));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String last(Tally tally) {
        return tally.last() == null ? "no measurement yet" : tally.last();
    }
}
