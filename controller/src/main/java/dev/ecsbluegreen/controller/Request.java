package dev.ecsbluegreen.controller;

import dev.ecsbluegreen.core.routing.Strategy;
import java.time.Duration;

/**
 * One run of the controller.
 *
 * @param release the release id; null to derive it from {@code images}
 * @param images the new images: needed by {@code deploy}; for the other actions only a way to name the release
 * @param waitTimeout how long {@code deploy} waits for green's {@code STEADY_STATE} (and {@code rollback} for blue's)
 * @param cleanupWait how long {@code cleanup} waits from its start before it deletes anything
 * @param checks what {@code deploy} validates green with through the test listener before it is done; null for
 *     nothing (green is then validated outside the controller, or not at all)
 * @param strategy how {@code promote} moves live traffic: all at once (the default), or the swap function's canary or
 *     linear steps, each baked (and judged by the deploy's checks) before the next
 * @param taskDefinitionFile what {@code deploy} registers (its images replaced by {@code images} where given) instead of
 *     the primary's definition with {@code images}; null for that
 */
public record Request(Action action, Target target, String release, Images images, Duration waitTimeout, Duration cleanupWait,
                      GreenChecks checks, Strategy strategy, TaskDefinitionFile taskDefinitionFile) {
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofMinutes(15);

    /** A request whose deploy validates nothing itself. */
    public Request(Action action, Target target, String release, Images images, Duration waitTimeout, Duration cleanupWait) {
        this(action, target, release, images, waitTimeout, cleanupWait, null, Strategy.ALL_AT_ONCE, null);
    }


    public Request {
        if (action == Action.DEPLOY && images == null && taskDefinitionFile == null) {
            throw new ConfigurationException("deploy needs the new image: --image REPO:TAG (or CONTAINER=REPO:TAG), or a "
                    + "task definition file");
        }
        if (action != Action.STATUS && release == null && images == null && taskDefinitionFile == null) {
            throw new ConfigurationException(action.word() + " needs the release: --release ID, or the --image values of its deploy");
        }
        if (release != null && !release.matches("[A-Za-z0-9._:/@+=-]{1,128}")) {
            throw new ConfigurationException("release id \"" + release + "\" must be 1–128 letters, digits or ._:/@+=-");
        }
        if (strategy == null) {
            strategy = Strategy.ALL_AT_ONCE;
        }
        if (!strategy.finalBake().isZero()) {
            throw new ConfigurationException("the controller's promote ends with green primary and blue's task set kept for a "
                    + "rollback: instead of the strategy's finalBakeSeconds, give cleanup a wait (cleanupWaitSeconds, "
                    + "--cleanup-wait) and validate green during it");
        }
        if (waitTimeout == null) {
            waitTimeout = DEFAULT_WAIT_TIMEOUT;
        }
        if (cleanupWait == null) {
            cleanupWait = Duration.ZERO;
        }
        if (waitTimeout.isNegative() || cleanupWait.isNegative()) {
            throw new ConfigurationException("waits cannot be negative");
        }
    }

    /** The same request for another action (the command line's approval: deploy, then promote or rollback). */
    public Request then(Action next) {
        return new Request(next, target, releaseId(), images, waitTimeout, cleanupWait, checks, strategy, taskDefinitionFile);
    }

    /**
     * The release id: the one given, else the task definition file's with the images, else the images'; null for a
     * {@code status} that names none.
     */
    public String releaseId() {
        if (release != null) {
            return release;
        }
        if (taskDefinitionFile != null) {
            return taskDefinitionFile.releaseId(images);
        }
        return images == null ? null : images.releaseId();
    }
}
