package dev.ecsbluegreen.controller;

import static dev.ecsbluegreen.controller.Observation.sendsAllTo;

import dev.ecsbluegreen.controller.Decision.Bake;
import dev.ecsbluegreen.controller.Decision.Done;
import dev.ecsbluegreen.controller.Decision.Refused;
import dev.ecsbluegreen.controller.Decision.Wait;
import dev.ecsbluegreen.controller.Decision.Write;
import dev.ecsbluegreen.controller.Step.CreateTaskSet;
import dev.ecsbluegreen.controller.Step.DeleteTaskSet;
import dev.ecsbluegreen.controller.Step.DeregisterTaskDefinition;
import dev.ecsbluegreen.controller.Step.RegisterTaskDefinition;
import dev.ecsbluegreen.controller.Step.Route;
import dev.ecsbluegreen.controller.Step.Scale;
import dev.ecsbluegreen.controller.Step.SetPrimary;
import dev.ecsbluegreen.controller.Step.Weigh;
import dev.ecsbluegreen.core.routing.Strategy;
import java.util.List;
import java.util.Map;

/**
 * The task-set state machine, as a pure function: from what was read, the next write of an action, or that it
 * must wait, is done, or is refused. The {@link Controller} sends the write, reads again and asks again, so every
 * action converges: run twice, the second run finds the end state and writes nothing.
 *
 * <p>The states of a release R (blue = the primary task set before R, green = R's task set):
 * <pre>
 *   deployed:  blue PRIMARY, green ACTIVE STEADY_STATE; live → blue, test → green
 *   promoting: test → blue (both on blue), then live → green, then green PRIMARY
 *   promoted:  green PRIMARY; live → green, test → blue; blue's task set still there (rollback swaps back)
 *   cleaned:   green the only task set; blue's task definition deregistered (no rollback any more)
 * </pre>
 * Every write keeps exactly one primary task set ({@code UpdateServicePrimaryTaskSet} moves it in one call), the
 * primary is never deleted, and live traffic moves in one listener write.
 */
public final class Planner {
    private Planner() {}

    /**
     * The next decision of {@code request}'s action (its release, images or task definition file, target and strategy).
     *
     * @param wroteThisRun whether this run already wrote: {@code promote} goes on from its own half-way state
     *     (test → blue, live still → blue), which at the start of a run means the listeners drifted
     * @param bakedStep the last step of a progressive promote whose bake is over and whose green was judged good (0:
     *     none); the promote stays at a later step ({@link Bake}) until the caller says it baked
     * @throws ConfigurationException when the images do not fit the task definition
     */
    public static Decision next(Request request, Observation o, boolean wroteThisRun, int bakedStep) {
        Action action = request.action();
        String release = request.releaseId();
        Images images = request.images();
        Target target = request.target();
        Strategy strategy = request.strategy();
        if (action == Action.STATUS) {
            return new Done(o.describe());
        }
        List<TaskSet> primaries = o.primaries();
        if (primaries.size() != 1) {
            return new Refused("the service has " + primaries.size() + " primary task sets; the controller acts only on a "
                    + "service with exactly one (the task set serving live traffic). " + o.describe());
        }
        TaskSet primary = primaries.get(0);
        List<TaskSet> ofRelease = o.taskSets().stream().filter(t -> t.ofRelease(release)).toList();
        if (ofRelease.size() > 1) {
            return new Refused("the service has " + ofRelease.size() + " task sets of release " + release + "; expected at most one");
        }
        TaskSet green = ofRelease.isEmpty() ? null : ofRelease.get(0);
        return switch (action) {
            case DEPLOY -> deploy(release, images, request.taskDefinitionFile(), target, o, primary, green);
            case PROMOTE -> promote(release, target, o, primary, green, wroteThisRun, strategy, bakedStep);
            case CLEANUP -> cleanup(release, target, o, primary, green);
            case ROLLBACK -> rollback(release, target, o, primary, green);
            case STATUS -> throw new IllegalStateException("status is answered above");
        };
    }

    private static Decision deploy(String release, Images images, TaskDefinitionFile file, Target target, Observation o,
                                   TaskSet blue, TaskSet green) {
        if (green != null && green.primary()) {
            return new Done("release " + release + " is already live: " + green.describe());
        }
        String blueGroup = blue.targetGroupArn();
        String greenGroup = target.other(blueGroup);
        if (greenGroup == null) {
            return new Refused("the primary task set " + blue.id() + " serves " + Names.targetGroup(blueGroup)
                    + ", which is not one of the pair " + names(target.targetGroups()));
        }
        if (!sendsAllTo(o.live(), blueGroup)) {
            return new Refused("the live listener forwards to " + Observation.describe(o.live()) + " but the primary task set "
                    + blue.id() + " serves " + Names.targetGroup(blueGroup) + ": the listeners drifted, nothing was changed");
        }
        for (TaskSet other : o.taskSets()) {
            if (!other.primary() && other != green) {
                return new Refused("task set " + other.id() + (other.release() == null ? "" : " of release " + other.release())
                        + " is also on the service: roll it back or clean it up before deploying release " + release);
            }
        }
        if (green == null) {
            TaskDefinition base = file != null ? file.asDefinition() : o.definitions().get(blue.taskDefinitionArn());
            if (base == null) {
                return new Refused("the primary task set's task definition " + Names.taskDefinition(blue.taskDefinitionArn())
                        + " could not be read");
            }
            Map<String, String> wanted = file != null ? file.imagesWith(images) : images.applyTo(base);
            // a definition an earlier deploy of this release registered (its answer lost, or its task set not created)
            TaskDefinition latest = o.latestOfFamily();
            if (latest != null && latest.active() && release.equals(latest.release()) && latest.images().equals(wanted)
                    && !latest.arn().equals(base.arn())) {
                return new Write(new CreateTaskSet(latest.arn(), greenGroup, release, blue.arn()));
            }
            return file != null ? new Write(new Step.RegisterFromFile(file, wanted, release))
                    : new Write(new RegisterTaskDefinition(base.arn(), wanted, release));
        }
        if (!greenGroup.equals(green.targetGroupArn())) {
            return new Refused("the task set " + green.id() + " of release " + release + " serves "
                    + Names.targetGroup(green.targetGroupArn()) + ", not green " + Names.targetGroup(greenGroup));
        }
        if (green.scalePercent() != 100) {
            return new Write(new Scale(green.arn(), green.id(), 100));
        }
        if (!green.steady()) {
            return new Wait("green " + green.describe());
        }
        if (!sendsAllTo(o.test(), greenGroup)) {
            return new Write(new Route(target.testListenerArn(), "test", greenGroup));
        }
        return new Done("green " + green.describe() + "; test listener → " + Names.targetGroup(greenGroup)
                + ", live listener → " + Names.targetGroup(blueGroup) + " (blue " + blue.id() + ")");
    }

    /** The checks every promote makes, then all at once or in steps. */
    private static Decision promote(String release, Target target, Observation o, TaskSet primary, TaskSet green, boolean midRun,
                                    Strategy strategy, int bakedStep) {
        if (green == null) {
            return new Refused("there is no task set of release " + release + ": deploy it first");
        }
        String greenGroup = green.targetGroupArn();
        String blueGroup = target.other(greenGroup);
        if (blueGroup == null) {
            return new Refused("the task set of release " + release + " serves " + Names.targetGroup(greenGroup)
                    + ", which is not one of the pair " + names(target.targetGroups()));
        }
        if (green.primary()) {
            if (!sendsAllTo(o.live(), greenGroup)) {
                return new Refused("release " + release + " is primary but the live listener forwards to "
                        + Observation.describe(o.live()) + ": the listeners drifted, nothing was changed");
            }
            if (!sendsAllTo(o.test(), blueGroup)) {
                return new Write(new Route(target.testListenerArn(), "test", blueGroup));
            }
            return new Done("release " + release + " is live: " + green.describe() + "; live listener → "
                    + Names.targetGroup(greenGroup) + ", test listener → " + Names.targetGroup(blueGroup));
        }
        if (!blueGroup.equals(primary.targetGroupArn())) {
            return new Refused("the primary task set " + primary.id() + " serves " + Names.targetGroup(primary.targetGroupArn())
                    + ", not " + Names.targetGroup(blueGroup));
        }
        if (!green.steady() || green.scalePercent() != 100) {
            return new Refused("green is not ready: " + green.describe());
        }
        return strategy.progressive() ? inSteps(release, target, o, green, blueGroup, strategy, bakedStep)
                : allAtOnce(target, o, green, blueGroup, midRun);
    }

    /** Test → blue, live → green (production moves in this one write), green primary. */
    private static Decision allAtOnce(Target target, Observation o, TaskSet green, String blueGroup, boolean midRun) {
        String greenGroup = green.targetGroupArn();
        boolean liveOnBlue = sendsAllTo(o.live(), blueGroup);
        boolean testOnBlue = sendsAllTo(o.test(), blueGroup);
        if (liveOnBlue && sendsAllTo(o.test(), greenGroup)) {
            return new Write(new Route(target.testListenerArn(), "test", blueGroup));
        }
        if (liveOnBlue && testOnBlue && midRun) {
            return new Write(new Route(target.liveListenerArn(), "live", greenGroup));
        }
        if (sendsAllTo(o.live(), greenGroup) && testOnBlue) {
            return new Write(new SetPrimary(green.arn(), green.id()));
        }
        return new Refused("the listeners drifted: live → " + Observation.describe(o.live()) + ", test → "
                + Observation.describe(o.test()) + "; promote expects live → " + Names.targetGroup(blueGroup) + " and test → "
                + Names.targetGroup(greenGroup) + ". Nothing was changed");
    }

    /**
     * A canary or linear promote: live moves to green through the strategy's weights, each step held until it baked,
     * while test stays on green; after the last step test → blue, live → green, green primary, as all at once.
     * Which step the release is at is read from the live listener's weights, so a continuation needs no record of it.
     */
    private static Decision inSteps(String release, Target target, Observation o, TaskSet green, String blueGroup,
                                    Strategy strategy, int bakedStep) {
        String greenGroup = green.targetGroupArn();
        int step = stepOf(o.live(), blueGroup, greenGroup, strategy);
        boolean testOnGreen = sendsAllTo(o.test(), greenGroup);
        boolean testOnBlue = sendsAllTo(o.test(), blueGroup);
        int last = strategy.steps() - 1;
        if (step == 0 && testOnGreen) {
            return new Write(new Weigh(target.liveListenerArn(), "live", blueGroup, greenGroup, strategy.percentAt(1)));
        }
        if (step >= 1 && step <= last && testOnGreen) {
            if (bakedStep < step) {
                return new Bake(step, strategy.percentAt(step));
            }
            return step < last
                    ? new Write(new Weigh(target.liveListenerArn(), "live", blueGroup, greenGroup, strategy.percentAt(step + 1)))
                    : new Write(new Route(target.testListenerArn(), "test", blueGroup));
        }
        if (step == last && testOnBlue && bakedStep >= last) {
            return new Write(new Route(target.liveListenerArn(), "live", greenGroup));
        }
        if (step == last + 1 && testOnBlue) {
            return new Write(new SetPrimary(green.arn(), green.id()));
        }
        return new Refused("the listeners drifted: live → " + Observation.describe(o.live()) + ", test → "
                + Observation.describe(o.test()) + "; a " + strategy.describe() + " promote of release " + release
                + " expects live on " + Names.targetGroup(blueGroup) + " and " + Names.targetGroup(greenGroup)
                + " at one of its steps " + strategy.percents() + " % with test → " + Names.targetGroup(greenGroup));
    }

    /**
     * The step a live forward is at: 0 all on blue, k when green has step k's share (within half a point), the
     * number of steps when all on green; -1 for anything else (a third target group, a share no step has).
     */
    static int stepOf(dev.ecsbluegreen.core.routing.Forward live, String blueGroup, String greenGroup, Strategy strategy) {
        boolean onlyThePair = live.targets().stream().filter(t -> t.weight() > 0)
                .allMatch(t -> t.targetGroupArn().equals(blueGroup) || t.targetGroupArn().equals(greenGroup));
        if (!onlyThePair || live.totalWeight() == 0) {
            return -1;
        }
        double green = live.percentOf(greenGroup);
        for (int step = 1; step <= strategy.steps(); step++) {
            if (Math.abs(green - strategy.percentAt(step)) <= 0.5) {
                return step;
            }
        }
        return green == 0 ? 0 : -1;
    }

    private static Decision cleanup(String release, Target target, Observation o, TaskSet primary, TaskSet green) {
        if (green == null || !green.primary()) {
            return new Refused("release " + release + " is not promoted" + (green == null ? " (it has no task set)" : "")
                    + ": cleanup deletes only task sets that are not primary, and the primary is " + primary.id()
                    + ". Nothing was changed");
        }
        if (!sendsAllTo(o.live(), green.targetGroupArn())) {
            return new Refused("the live listener forwards to " + Observation.describe(o.live()) + ", not to release "
                    + release + "'s " + Names.targetGroup(green.targetGroupArn()) + ": nothing was changed");
        }
        for (TaskSet old : o.taskSets()) {
            if (old.primary()) {
                continue;
            }
            if (old.scalePercent() > 0) {
                return new Write(new Scale(old.arn(), old.id(), 0));
            }
            Decision deregister = deregisterUnlessShared(old, o, primary);
            if (deregister != null) {
                return deregister;
            }
            return new Write(new DeleteTaskSet(old.arn(), old.id()));
        }
        return new Done("release " + release + " is the only task set: " + green.describe() + "; live listener → "
                + Names.targetGroup(green.targetGroupArn()));
    }

    private static Decision rollback(String release, Target target, Observation o, TaskSet primary, TaskSet green) {
        if (green == null) {
            return new Done("no task set of release " + release + " is on the service: nothing to roll back; "
                    + primary.describe() + ", live listener → " + Observation.describe(o.live()));
        }
        if (!green.primary()) {
            String blueGroup = primary.targetGroupArn();
            if (!sendsAllTo(o.live(), blueGroup)) {
                return new Write(new Route(target.liveListenerArn(), "live", blueGroup));
            }
            if (!sendsAllTo(o.test(), blueGroup)) {
                return new Write(new Route(target.testListenerArn(), "test", blueGroup));
            }
            if (green.scalePercent() > 0) {
                return new Write(new Scale(green.arn(), green.id(), 0));
            }
            Decision deregister = deregisterUnlessShared(green, o, primary);
            return deregister != null ? deregister : new Write(new DeleteTaskSet(green.arn(), green.id()));
        }
        List<TaskSet> previous = o.taskSets().stream().filter(t -> !t.primary()).toList();
        if (previous.isEmpty()) {
            return new Refused("release " + release + " was cleaned up: no earlier task set is left to roll back to. "
                    + "Deploy the earlier image as a new release instead");
        }
        if (previous.size() > 1) {
            return new Refused("more than one earlier task set is on the service; roll back by hand. " + o.describe());
        }
        TaskSet blue = previous.get(0);
        TaskDefinition blueDefinition = o.definitions().get(blue.taskDefinitionArn());
        if (blueDefinition != null && !blueDefinition.active()) {
            return new Refused("the earlier task set's task definition " + Names.taskDefinition(blue.taskDefinitionArn())
                    + " is deregistered (a cleanup began): roll back by deploying the earlier image as a new release");
        }
        if (blue.scalePercent() != 100) {
            return new Write(new Scale(blue.arn(), blue.id(), 100));
        }
        if (!blue.steady()) {
            return new Wait("blue " + blue.describe());
        }
        if (!sendsAllTo(o.live(), blue.targetGroupArn())) {
            return new Write(new Route(target.liveListenerArn(), "live", blue.targetGroupArn()));
        }
        return new Write(new SetPrimary(blue.arn(), blue.id()));
    }

    /** Deregisters the task definition of a task set on its way out, unless the primary runs it too or it is inactive. */
    private static Decision deregisterUnlessShared(TaskSet leaving, Observation o, TaskSet primary) {
        TaskDefinition definition = o.definitions().get(leaving.taskDefinitionArn());
        if (definition != null && definition.active() && !leaving.taskDefinitionArn().equals(primary.taskDefinitionArn())) {
            return new Write(new DeregisterTaskDefinition(leaving.taskDefinitionArn()));
        }
        return null;
    }

    private static String names(List<String> targetGroups) {
        return targetGroups.stream().map(Names::targetGroup).toList().toString();
    }
}
