package dev.ecsbluegreen.swap.execution;

import dev.ecsbluegreen.core.Deadline;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How one execution spends the time it has before its report, so that whatever fails, the restore, its read-back
 * and the job's state tag still fit before {@link #work()} (after which the caller reports).
 *
 * <p>Every call gets a deadline from here, never a fixed margin: a write may run only while the time left would
 * still put back every change started so far plus this one; the restore's undos stop in time for the read-back;
 * the read-back in time for the state tag. What a call costs is estimated from the slowest call this execution
 * has seen (twice it, between {@link #MIN_CALL} and {@link #MAX_CALL}), so a slow load balancer grows the reserve
 * the restore gets. If calls turn out slower than the estimate, the restore is cut short at its deadline and the
 * report says so: the report's time is never given away. Thread-safe.
 */
public final class Budget {
    /** The least a call is assumed to take, however fast the calls so far were. */
    static final Duration MIN_CALL = Duration.ofMillis(250);
    /** The most a call is assumed to take: an SDK attempt that never answers is bounded by its deadline instead. */
    static final Duration MAX_CALL = Duration.ofSeconds(5);

    private final Deadline work;
    private final AtomicLong slowestNanos = new AtomicLong();

    /** @param work when everything before the report must be done */
    public Budget(Deadline work) {
        this.work = work;
    }

    public Deadline work() {
        return work;
    }

    /** Now, on the work deadline's clock (nanoseconds, for measuring calls). */
    public long now() {
        return work.clock().getAsLong();
    }

    /** Tells the budget how long a call took, started at {@code startNanos} on {@link #now()}'s clock. */
    public void observeSince(long startNanos) {
        long took = now() - startNanos;
        slowestNanos.accumulateAndGet(took, Math::max);
    }

    /** What one call is assumed to take. */
    public Duration callEstimate() {
        long estimate = Math.max(MIN_CALL.toNanos(), Math.min(MAX_CALL.toNanos(), 2 * slowestNanos.get()));
        return Duration.ofNanos(estimate);
    }

    /** Time to put back {@code changes} changes ({@link BoundedWriter#CONCURRENCY} at a time), read back, tag the state. */
    public Duration restoreReserve(int changes) {
        return callEstimate().multipliedBy(rounds(changes) + READ_BACK_ROUNDS + 1);
    }

    /** The read-back after a restore: both listeners at once, then the target groups' tags. */
    private static final int READ_BACK_ROUNDS = 2;

    private static long rounds(int changes) {
        return (changes + BoundedWriter.CONCURRENCY - 1) / BoundedWriter.CONCURRENCY;
    }

    /** Whether {@code changes} writes and, should the last one fail, their restore fit in the time left. */
    public boolean affords(int changes) {
        return work.remaining().compareTo(needed(changes)) > 0;
    }

    /** The time needed for {@code changes} writes and their restore, to tell an operator what timeout would do. */
    public Duration needed(int changes) {
        return callEstimate().multipliedBy(rounds(changes)).plus(restoreReserve(changes));
    }

    /** Whether another round of {@code corrections} writes and a read-back still fit before the state tag. */
    public boolean affordsCorrections(int corrections) {
        Duration needed = callEstimate().multipliedBy(rounds(corrections) + READ_BACK_ROUNDS);
        return forStateTag().minus(callEstimate()).remaining().compareTo(needed) > 0;
    }

    /** Reads before the first write: nothing to restore yet. */
    public Deadline forReads() {
        return work;
    }

    /** A write that would leave {@code changes} changes to put back if it failed. */
    public Deadline forWrite(int changes) {
        return work.minus(restoreReserve(changes));
    }

    /** The restore's undos: they stop in time for the read-back and the state tag. */
    public Deadline forUndo() {
        return work.minus(callEstimate().multipliedBy(READ_BACK_ROUNDS + 1));
    }

    /** The read-back that decides what the report says. */
    public Deadline forReadBack() {
        return work.minus(callEstimate());
    }

    /** The job's state tag, last before the report. */
    public Deadline forStateTag() {
        return work;
    }
}
