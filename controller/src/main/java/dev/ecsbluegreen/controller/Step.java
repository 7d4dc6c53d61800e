package dev.ecsbluegreen.controller;

import java.util.Map;

/** One write the controller makes: the {@link Planner} decides it, the {@link Controller} sends it. */
public sealed interface Step {
    /** For the progress line: what is about to change. */
    String describe();

    /** A new revision of {@code from}'s family with {@code images}, tagged with the release. */
    record RegisterTaskDefinition(String from, Map<String, String> images, String release) implements Step {
        public String describe() {
            return "register a task definition from " + Names.taskDefinition(from) + " with " + images + " (release " + release + ")";
        }
    }

    /** Green: a task set of {@code taskDefinitionArn} on {@code targetGroupArn} at 100 %, placed as {@code placedLike}. */
    record CreateTaskSet(String taskDefinitionArn, String targetGroupArn, String release, String placedLike) implements Step {
        public String describe() {
            return "create task set of " + Names.taskDefinition(taskDefinitionArn) + " on " + Names.targetGroup(targetGroupArn)
                    + " at 100 % (release " + release + ")";
        }
    }

    /** Point a listener's default action at one target group. */
    record Route(String listenerArn, String listenerRole, String targetGroupArn) implements Step {
        public String describe() {
            return listenerRole + " listener → " + Names.targetGroup(targetGroupArn);
        }
    }

    /** Point a listener's default action at blue and green by weight: {@code greenPercent} to green, the rest to blue. */
    record Weigh(String listenerArn, String listenerRole, String blueGroupArn, String greenGroupArn, int greenPercent)
            implements Step {
        public String describe() {
            return listenerRole + " listener → " + Names.targetGroup(blueGroupArn) + " " + (100 - greenPercent) + " % / "
                    + Names.targetGroup(greenGroupArn) + " " + greenPercent + " %";
        }
    }

    record SetPrimary(String taskSetArn, String id) implements Step {
        public String describe() {
            return "make " + id + " the primary task set";
        }
    }

    record Scale(String taskSetArn, String id, double percent) implements Step {
        public String describe() {
            return "scale " + id + " to " + Names.percent(percent);
        }
    }

    /** Never of the primary: the {@link Controller} checks that again on a fresh read before it sends it. */
    record DeleteTaskSet(String taskSetArn, String id) implements Step {
        public String describe() {
            return "delete task set " + id;
        }
    }

    record DeregisterTaskDefinition(String taskDefinitionArn) implements Step {
        public String describe() {
            return "deregister task definition " + Names.taskDefinition(taskDefinitionArn);
        }
    }
}
