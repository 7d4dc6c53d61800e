package dev.ecsbluegreen.swap.execution;

import dev.ecsbluegreen.core.Deadline;

/**
 * One write to the load balancer and the write that puts it back. Both must be idempotent: a write whose answer
 * was lost may have landed, so either may be run again, and an undo may run for a write that never happened.
 *
 * @param what how an operator recognises it, e.g. "live :443 rule priority 5"
 * @param apply the write
 * @param undo the write that restores what {@code apply} replaced
 */
public record Change(String what, Write apply, Write undo) {
    /** A write found to be needed by a read-back, to put one thing back as it must be: its undo is the write. */
    public static Change correction(String what, Write write) {
        return new Change(what, write, write);
    }

    /** A write bounded by a deadline: its call must not outlive it. Throws when it fails or its answer is lost. */
    @FunctionalInterface
    public interface Write {
        void run(Deadline deadline);
    }
}
