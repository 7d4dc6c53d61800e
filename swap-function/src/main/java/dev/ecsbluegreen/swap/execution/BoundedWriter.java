package dev.ecsbluegreen.swap.execution;

import dev.ecsbluegreen.core.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs writes {@link #CONCURRENCY} at a time, each bounded by a deadline from the {@link Budget}: forward writes
 * through {@link #apply}, which records each in the {@link Ledger} before sending it, and undos through
 * {@link #undo}. A task that outlives its deadline (a call that ignores its time-out) is abandoned, never
 * waited for: its write stays "in flight" in the ledger and is undone like any write that may have landed.
 * Thread-safe; holds no threads between calls.
 */
public final class BoundedWriter {
    /**
     * Writes in flight at once. ELB throttles writes per account and region with a token bucket; four keeps a
     * 100-rule listener to about 25 round trips without draining it, and a throttled write is retried by the
     * SDK's standard retry mode with backoff.
     */
    public static final int CONCURRENCY = 4;
    /** How long past its deadline a task is waited for before it is abandoned (its call's own time-out fires first). */
    static final Duration GRACE = Duration.ofMillis(200);
    private static final ThreadFactory WORKERS = Thread.ofPlatform().name("elb-write-", 1).daemon().factory();

    private final Budget budget;

    public BoundedWriter(Budget budget) {
        this.budget = budget;
    }

    /** An undo that did not go through. */
    public record Failure(String what, String why) {}

    /**
     * Applies {@code changes}. Before each one starts, it must still be possible to put back every change started
     * so far plus this one ({@link Budget#forWrite}); otherwise it is not started and {@link OutOfTime} is thrown.
     * The first failure stops changes not yet started; those in flight finish or are abandoned at their
     * deadline; then the failure is thrown (an {@code Error} as it is), so the caller restores what the ledger holds.
     */
    public void apply(List<Change> changes, Ledger ledger) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        run(changes, change -> {
            if (failure.get() != null) {
                return null;
            }
            Deadline deadline;
            int handle;
            synchronized (ledger) {
                deadline = budget.forWrite(ledger.size() + 1);
                if (deadline.remaining().compareTo(budget.callEstimate()) < 0) {
                    failure.compareAndSet(null, new OutOfTime("ran out of time before " + change.what()
                            + ": the time left would not cover putting back what was changed"));
                    return null;
                }
                handle = ledger.recordBefore(change);
            }
            long start = budget.now();
            try {
                change.apply().run(deadline);
                ledger.applied(handle);
            } catch (RuntimeException | Error e) {
                ledger.failed(handle, e);
                failure.compareAndSet(null, e);
            } finally {
                budget.observeSince(start);
            }
            return deadline;
        }, () -> budget.forWrite(ledger.size()), failure);
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
    }

    /**
     * Runs every undo of {@code changes} (a failure does not stop the others) that can still start before
     * {@link Budget#forUndo}; returns the ones that failed or could not start.
     */
    public List<Failure> undo(List<Change> changes) {
        List<Failure> failures = new ArrayList<>();
        AtomicReference<Throwable> unused = new AtomicReference<>();
        List<Outcome> outcomes = run(changes, change -> {
            Deadline deadline = budget.forUndo();
            if (deadline.remaining().compareTo(budget.callEstimate()) < 0) {
                throw new OutOfTime("not attempted: no time was left before the report");
            }
            long start = budget.now();
            try {
                change.undo().run(deadline);
            } finally {
                budget.observeSince(start);
            }
            return deadline;
        }, budget::forUndo, unused);
        for (int i = 0; i < changes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            if (outcome.failure() != null) {
                failures.add(new Failure(changes.get(i).what(), message(outcome.failure())));
            }
        }
        return failures;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private interface Task {
        /** Runs one change; returns the deadline it ran under, null when it did not run. */
        Deadline run(Change change);
    }

    private record Outcome(Throwable failure) {}

    /** Runs {@code task} over {@code changes} on up to {@link #CONCURRENCY} threads; one outcome per change. */
    private List<Outcome> run(List<Change> changes, Task task, Supplier<Deadline> waitUntil,
                              AtomicReference<Throwable> firstFailure) {
        if (changes.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(CONCURRENCY, changes.size()), WORKERS);
        try {
            List<Future<Deadline>> started = new ArrayList<>();
            for (Change change : changes) {
                started.add(pool.submit(() -> task.run(change)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Deadline> future : started) {
                outcomes.add(await(future, waitUntil, firstFailure));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits for one task, but not past {@code waitUntil} plus {@link #GRACE} (the latest its call could have been
     * allowed to run): a task still running then is abandoned (interrupted) and counts as failed; its ledger
     * entry stays in flight.
     */
    private Outcome await(Future<Deadline> future, Supplier<Deadline> waitUntil, AtomicReference<Throwable> firstFailure) {
        boolean interrupted = false;
        try {
            while (true) {
                long waitNanos = waitUntil.get().remaining().plus(GRACE).toNanos();
                try {
                    future.get(waitNanos, TimeUnit.NANOSECONDS);
                    return new Outcome(null);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return new Outcome(e.getCause());
                } catch (TimeoutException e) {
                    future.cancel(true);
                    OutOfTime abandoned = new OutOfTime("no answer before the deadline; abandoned");
                    firstFailure.compareAndSet(null, abandoned);
                    return new Outcome(abandoned);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
