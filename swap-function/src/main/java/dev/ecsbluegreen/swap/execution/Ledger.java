package dev.ecsbluegreen.swap.execution;

import dev.ecsbluegreen.core.AwsCallException;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes one execution has started, each recorded <em>before</em> its write is sent, with what became of it.
 * A write that failed without an answer (time-out, dropped connection, 5xx after the SDK's retries) or that is
 * still in flight may have landed, so it is undone like one that succeeded; only a write that AWS answered with
 * a refusal (permission, validation, not found) is known not to have happened. Thread-safe.
 */
public final class Ledger {
    /** What became of a recorded write. */
    public enum Outcome {
        /** Sent, no answer yet (or never: the thread was abandoned at the deadline). May have landed. */
        IN_FLIGHT,
        /** AWS answered that it was done. */
        APPLIED,
        /** AWS answered with a refusal, or it was never sent: it did not happen. */
        REFUSED,
        /** It failed without an answer that says it did not happen. May have landed. */
        UNANSWERED
    }

    private static final class Entry {
        private final Change change;
        private Outcome outcome = Outcome.IN_FLIGHT;

        private Entry(Change change) {
            this.change = change;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Records {@code change} as about to be written; call this before sending it. Returns the entry's handle. */
    synchronized int recordBefore(Change change) {
        entries.add(new Entry(change));
        return entries.size() - 1;
    }

    synchronized void applied(int handle) {
        entries.get(handle).outcome = Outcome.APPLIED;
    }

    /** Records how the write failed: refused when AWS answered no, else possibly applied. */
    synchronized void failed(int handle, Throwable failure) {
        entries.get(handle).outcome = refusal(failure) ? Outcome.REFUSED : Outcome.UNANSWERED;
    }

    /** Whether {@code failure} shows the write was not done (AWS refused it, or it was never sent). */
    static boolean refusal(Throwable failure) {
        return failure instanceof AwsCallException e && e.provesNotApplied();
    }

    /** How many writes were started. */
    public synchronized int size() {
        return entries.size();
    }

    public synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The changes that may have landed, in the order they were started: what a restore must undo. Each undo is
     * an independent write, so their order changes nothing in the end; it decides what is back first when time
     * runs out, and the swap writes the live listener before the test listener.
     */
    public synchronized List<Change> toUndo() {
        List<Change> undo = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.outcome != Outcome.REFUSED) {
                undo.add(entry.change);
            }
        }
        return undo;
    }

    /** The outcome of each recorded change, in the order they were started (for logs and tests). */
    public synchronized List<Outcome> outcomes() {
        return entries.stream().map(e -> e.outcome).toList();
    }
}
