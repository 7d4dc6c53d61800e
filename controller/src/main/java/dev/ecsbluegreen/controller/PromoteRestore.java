package dev.ecsbluegreen.controller;

import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.util.List;

/**
 * What a promote puts back, recorded before its first write, and the putting back: both listeners and the primary
 * task set, each write assumed landed whatever its answer, verified by read-back. One per promote run.
 */
final class PromoteRestore {
    static final String RESTORE_INCOMPLETE = "RESTORE INCOMPLETE: ";
    static final String PUT_BACK = "Put back, as read back: ";

    /** What a promote puts back: both listeners and the primary task set. */
    record Snapshot(Forward live, Forward test, String primaryArn, String primaryId) {
        /** As read before the promote's first write. */
        static Snapshot of(Observation o) {
            TaskSet primary = o.primaries().get(0);
            return new Snapshot(o.live(), o.test(), primary.arn(), primary.id());
        }

        /**
         * What a progressive promote started from when a run finds it under way (a continuation, a retried job): live →
         * blue, test → green, blue primary. Empty when no step of {@code release} is in place.
         */
        static java.util.Optional<Snapshot> midRelease(Observation o, String release, Target target) {
            if (o.primaries().size() != 1) {
                return java.util.Optional.empty();
            }
            TaskSet primary = o.primaries().get(0);
            TaskSet green = o.taskSets().stream().filter(t -> t.ofRelease(release) && !t.primary()).findFirst().orElse(null);
            if (green == null || !primary.targetGroupArn().equals(target.other(green.targetGroupArn()))
                    || o.live().percentOf(green.targetGroupArn()) == 0) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new Snapshot(new Forward(List.of(new TargetWeight(primary.targetGroupArn(), 1))),
                    new Forward(List.of(new TargetWeight(green.targetGroupArn(), 1))), primary.arn(), primary.id()));
        }

        /** Whether {@code o} routes as this: the same shares on both listeners, the same primary. */
        boolean matches(Observation o) {
            List<TaskSet> primaries = o.primaries();
            return Observation.shares(o.live()).equals(Observation.shares(live)) && Observation.shares(o.test())
                    .equals(Observation.shares(test)) && primaries.size() == 1 && primaries.get(0).arn().equals(primaryArn);
        }
    }

    record Restored(boolean verified, String message) {}

    private final EcsTaskSets ecs;
    private final ListenerForwards listeners;
    private final Target target;
    private final Deadline work;
    private final Snapshot snapshot;

    /** @param work what bounds the restore's calls: the run's deadline, whose last seconds the promote kept for this */
    PromoteRestore(EcsTaskSets ecs, ListenerForwards listeners, Target target, Deadline work, Snapshot snapshot) {
        this.ecs = ecs;
        this.listeners = listeners;
        this.target = target;
        this.work = work;
        this.snapshot = snapshot;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Puts back what the promote may have changed: writes what a read shows different (live first, then the primary,
     * then test), then reads again; twice at most, within the run's deadline.
     */
    Restored restore() {
        String asRead = "the routing could not be read back";
        for (int round = 0; round < 2; round++) {
            try {
                Current now = current();
                if (now.matches(snapshot)) {
                    return new Restored(true, PUT_BACK + now.describe());
                }
                asRead = now.describe();
                if (!Observation.shares(now.live).equals(Observation.shares(snapshot.live()))) {
                    listeners.within(work).write(target.liveListenerArn(), snapshot.live());
                }
                if (!snapshot.primaryArn().equals(now.primaryArn)) {
                    ecs.within(work).setPrimary(target.cluster(), target.service(), snapshot.primaryArn());
                }
                if (!Observation.shares(now.test).equals(Observation.shares(snapshot.test()))) {
                    listeners.within(work).write(target.testListenerArn(), snapshot.test());
                }
            } catch (RuntimeException | Error e) {
                asRead = asRead + " (putting back: " + e.getMessage() + ")";
            }
        }
        try {
            Current now = current();
            if (now.matches(snapshot)) {
                return new Restored(true, PUT_BACK + now.describe());
            }
            asRead = now.describe();
        } catch (RuntimeException | Error e) {
            asRead = asRead + " (read-back: " + e.getMessage() + ")";
        }
        return new Restored(false, RESTORE_INCOMPLETE + "as read, " + asRead + "; before the promote it was live → "
                + Observation.describe(snapshot.live()) + ", test → " + Observation.describe(snapshot.test())
                + ", primary " + snapshot.primaryId());
    }

    private record Current(Forward live, Forward test, String primaryArn, String primaryId) {
        boolean matches(Snapshot s) {
            return Observation.shares(live).equals(Observation.shares(s.live()))
                    && Observation.shares(test).equals(Observation.shares(s.test())) && s.primaryArn().equals(primaryArn);
        }

        String describe() {
            return "live → " + Observation.describe(live) + ", test → " + Observation.describe(test) + ", primary " + primaryId;
        }
    }

    private Current current() {
        List<TaskSet> primaries = ecs.within(work).taskSets(target.cluster(), target.service()).stream()
                .filter(TaskSet::primary).toList();
        String arn = primaries.size() == 1 ? primaries.get(0).arn() : null;
        String id = primaries.size() == 1 ? primaries.get(0).id() : primaries.size() + " primaries";
        return new Current(listeners.within(work).read(target.liveListenerArn()),
                listeners.within(work).read(target.testListenerArn()), arn, id);
    }
}
