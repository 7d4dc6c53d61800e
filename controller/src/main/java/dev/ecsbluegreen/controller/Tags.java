package dev.ecsbluegreen.controller;

/** The tags this controller writes: on the task sets and task definitions it creates, and on the service. */
public final class Tags {
    /** Which release a task set or task definition belongs to: what makes a repeated {@code deploy} converge. */
    public static final String RELEASE = "ecs-bluegreen:release";

    /**
     * On the service: the CodePipeline job that failed last, tagged before its failure is reported. A delivery of the
     * same job (Lambda retries an invocation whose report did not go through) then changes nothing and reports the
     * failure again, instead of redoing what the first delivery judged bad and put back.
     */
    public static final String FAILED_JOB = "ecs-bluegreen:failed-job";

    private Tags() {}
}
