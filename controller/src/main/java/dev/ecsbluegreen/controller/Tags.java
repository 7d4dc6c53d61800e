package dev.ecsbluegreen.controller;

/** The tags this controller writes, on the task sets and task definitions it creates. */
public final class Tags {
    /** Which release a task set or task definition belongs to: what makes a repeated {@code deploy} converge. */
    public static final String RELEASE = "ecs-bluegreen:release";

    private Tags() {}
}
