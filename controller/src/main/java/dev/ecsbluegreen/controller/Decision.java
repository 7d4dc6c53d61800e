package dev.ecsbluegreen.controller;

/** What the {@link Planner} says to do next, given what was read. */
public sealed interface Decision {
    /** Send this write, then read again. */
    record Write(Step step) implements Decision {}

    /** Nothing to write until ECS gets somewhere (a task set to reach {@code STEADY_STATE}). */
    record Wait(String why) implements Decision {}

    /**
     * A progressive promote's step {@code step} (1-based) is in place, sending {@code percent} of live traffic to green:
     * nothing to write until its bake is over and green was judged good.
     */
    record Bake(int step, int percent) implements Decision {}

    /** The action's end state holds. */
    record Done(String message) implements Decision {}

    /** The action must not go on from this state; nothing more is written. */
    record Refused(String message) implements Decision {}
}
