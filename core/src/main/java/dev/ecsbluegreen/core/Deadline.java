package dev.ecsbluegreen.core;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The point in time by which a function must have finished its work, so that there is still time left to
 * report the result before Lambda stops the invocation. Immutable and thread-safe.
 */
public final class Deadline {
    private final long endNanos;
    private final LongSupplier nanoClock;

    private Deadline(long endNanos, LongSupplier nanoClock) {
        this.endNanos = endNanos;
        this.nanoClock = nanoClock;
    }

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return after(budget, System::nanoTime);
    }

    /** A deadline {@code budget} from now on {@code nanoClock} (a monotonic clock like {@link System#nanoTime}). */
    public static Deadline after(Duration budget, LongSupplier nanoClock) {
        return new Deadline(nanoClock.getAsLong() + budget.toNanos(), nanoClock);
    }

    /** The point {@code amount} before this one, on the same clock (already expired when that is in the past). */
    public Deadline minus(Duration amount) {
        return new Deadline(endNanos - amount.toNanos(), nanoClock);
    }

    /** Whichever of the two comes first. */
    public Deadline earliest(Deadline other) {
        return other.endNanos - endNanos < 0 ? other : this;
    }

    /** This deadline's clock, for timing work against it. */
    public LongSupplier clock() {
        return nanoClock;
    }

    /**
     * The invocation's remaining time less {@code reserve} (kept for reporting), capped at {@code max}.
     * A context that reports no remaining time (some local runners) yields {@code max}.
     */
    public static Deadline forInvocation(Context context, Duration reserve, Duration max) {
        return forInvocation(context, reserve, max, System::nanoTime);
    }

    /** {@link #forInvocation(Context, Duration, Duration)} on {@code nanoClock}. */
    public static Deadline forInvocation(Context context, Duration reserve, Duration max, LongSupplier nanoClock) {
        long remainingMillis = context == null ? 0 : context.getRemainingTimeInMillis();
        Duration budget = remainingMillis <= 0
                ? max
                : Duration.ofMillis(remainingMillis).minus(reserve);
        if (budget.compareTo(max) > 0) {
            budget = max;
        }
        if (budget.isNegative()) {
            budget = Duration.ZERO;
        }
        return after(budget, nanoClock);
    }

    /** Time left; zero once the deadline has passed, never negative. */
    public Duration remaining() {
        long left = endNanos - nanoClock.getAsLong();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public boolean expired() {
        return endNanos - nanoClock.getAsLong() <= 0;
    }
}
