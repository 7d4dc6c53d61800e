package dev.ecsbluegreen.controller;

import java.util.Map;

/** How a run of the controller ended; {@code last} is the last read of the service (null when none succeeded). */
public sealed interface Outcome {
    String message();

    Observation last();

    /** The action's end state holds. {@code outputs}: release, task set, task definition (CodePipeline variables). */
    record Succeeded(String message, Map<String, String> outputs, Observation last) implements Outcome {}

    /**
     * Not done yet and out of time for this run: a later run (a continuation) goes on; nothing is wrong.
     *
     * @param baking the step a progressive promote is baking, for the continuation; null when none
     */
    record Waiting(String message, Observation last, Baking baking) implements Outcome {
        public Waiting(String message, Observation last) {
            this(message, last, null);
        }
    }

    /** Step {@code step} (1-based) of a progressive promote has been in place since {@code sinceMillis} (epoch ms). */
    record Baking(int step, long sinceMillis) {}

    /** @param restore whether the failure put back what a promote had moved, and whether a read-back confirmed it */
    record Failed(Reason reason, String message, Observation last, Restore restore) implements Outcome {
        public Failed(Reason reason, String message, Observation last) {
            this(reason, message, last, Restore.NONE);
        }
    }

    /** What a failed run put back: nothing to put back, or a promote's routing, confirmed by read-back or not. */
    enum Restore {
        NONE,
        /** Put back, and the read-back shows the routing and the primary as before the promote. */
        VERIFIED,
        /** {@code RESTORE INCOMPLETE}: the read-back does not show them as before (or could not be made). */
        INCOMPLETE
    }

    enum Reason {
        /** The state did not allow the action; nothing was written by this run. */
        REFUSED,
        /** The action failed and what it had changed was put back (green deleted, or the promote restored). */
        ROLLED_BACK,
        /** A call failed; the message says the state as read. */
        ERROR,
        /** The caller's role may not make a call. */
        PERMISSION,
        /** The request or the set-up is wrong, whatever the state. */
        CONFIGURATION
    }
}
