package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.Strategy;
import dev.ecsbluegreen.swap.JobRecord.JobState;
import java.util.List;

/**
 * What a later invocation of a progressive release does, decided from what it read — the release's record and
 * progress tag on the load balancer, the routing, the operator's command — and the continuation token it carries.
 * The load balancer's tags are the truth; the token only says which step its sender saw. So a redelivered job, a
 * token lost or replayed, or one behind or ahead of the tags answers with where the release is and changes nothing:
 * only a token that agrees with the tags, from a job that has not acted yet, may judge and go on. Pure: no I/O.
 *
 * <p>In order:
 * <table>
 *   <tr><th>the load balancer says</th><th>the invocation</th></tr>
 *   <tr><td>state {@code restored}</td><td>{@link RolledBack}: already put back, nothing changed</td></tr>
 *   <tr><td>state {@code done}, no progress tag</td><td>{@link Finished}: already finished</td></tr>
 *   <tr><td>no readable record of the routing before</td><td>{@link RecordUnreadable}: changes nothing</td></tr>
 *   <tr><td>any state but {@code baking} or {@code done}</td><td>{@link PutBack}: an earlier invocation was cut
 *       off mid-write; put back the routing before the release</td></tr>
 *   <tr><td>the token's fingerprint of the routing before differs</td><td>{@link FingerprintDrift}</td></tr>
 *   <tr><td>this job acted already, or no token, or the token's step or start differ</td><td>{@link Converge}:
 *       answer with the tags' step, change nothing</td></tr>
 *   <tr><td>a recorded route is not at the step in place</td><td>{@link RoutingDrift}</td></tr>
 *   <tr><td>{@code command=abort} / {@code promote}</td><td>{@link Abort} / {@link Promote}</td></tr>
 *   <tr><td>otherwise</td><td>{@link Bake}: judge, wait, and step on when the bake is over</td></tr>
 * </table>
 */
final class Convergence {
    private Convergence() {}

    /** What the invocation does. */
    sealed interface Action {}

    record RolledBack() implements Action {}

    record Finished() implements Action {}

    record RecordUnreadable() implements Action {}

    /** @param state what the interrupted invocation left */
    record PutBack(JobState state) implements Action {}

    /** @param now the fingerprint of the routing before, as read now; {@code started} as the token has it */
    record FingerprintDrift(String now, String started) implements Action {}

    /** @param progress where the load balancer says the release is (the token itself when it agrees) */
    record Converge(Progress progress) implements Action {}

    record RoutingDrift(List<String> differences) implements Action {}

    /** @param finalBake the whole swap is in place, baking */
    record Abort(boolean finalBake) implements Action {}

    record Promote(boolean finalBake) implements Action {}

    /** @param ignoredCommand an operator command that is neither promote nor abort (cleared and logged); or null */
    record Bake(boolean finalBake, String ignoredCommand) implements Action {}

    /**
     * @param jobId this invocation's job
     * @param release the release the job acts on (the job that started it)
     * @param record the release's record on the load balancer (the same job's: the caller checked)
     * @param tag the progress tag; null when missing or unreadable
     * @param original the routing before the release as recorded; null when missing or unreadable
     * @param now the routing as read
     * @param token the continuation token; null for a redelivery of the first job
     * @param command the operator's command tag; null when none
     */
    static Action decide(String jobId, String release, JobRecord record, StepTag tag, OriginalRoutes original,
                         Routing now, Progress token, String command, Strategy strategy) {
        if (record.state() == JobState.RESTORED) {
            return new RolledBack();
        }
        if (record.state() == JobState.DONE && tag == null) {
            return new Finished();
        }
        if (original == null) {
            return new RecordUnreadable();
        }
        if (record.state() != JobState.BAKING && record.state() != JobState.DONE) {
            return new PutBack(record.state());
        }
        String fingerprint = original.fingerprint(now);
        if (token != null && !token.fingerprint().equals(fingerprint)) {
            return new FingerprintDrift(fingerprint, token.fingerprint());
        }
        boolean agrees = token != null && token.step() == tag.step() && token.stepStarted() == tag.started();
        if (jobId.equals(tag.lastJob()) || !agrees) {
            return new Converge(agrees ? token : new Progress(release, tag.step(), tag.started(), fingerprint, 0, ""));
        }
        boolean finalBake = record.state() == JobState.DONE;
        List<String> differences = StepWriter.differences(now, original,
                finalBake ? 100 : strategy.percentAt(tag.step()));
        if (!differences.isEmpty()) {
            return new RoutingDrift(differences);
        }
        if ("abort".equals(command)) {
            return new Abort(finalBake);
        }
        if ("promote".equals(command)) {
            return new Promote(finalBake);
        }
        return new Bake(finalBake, command);
    }
}
