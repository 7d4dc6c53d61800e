package dev.ecsbluegreen.sandbox;

import java.util.List;

/**
 * Who drives the release in the sandbox: CodeDeploy and CodePipeline (hooks, approval, swap function: the default,
 * all at once, or in the swap function's own canary or linear steps), or Amazon ECS's built-in blue/green
 * deployment shifting live traffic in steps itself and calling the hook function at every step, or the project's
 * external deployment controller moving task sets of a service under the EXTERNAL deployment controller.
 */
public enum ReleaseStrategy {
    CODEDEPLOY(null, List.of()),
    /** ECS {@code LINEAR} with {@code stepPercent} 33: 33 → 66 → 100 %. */
    ECS_LINEAR("--ecs-linear", List.of(33, 66, 100)),
    /** ECS {@code CANARY} with {@code canaryPercent} 10: 10 → 100 %. */
    ECS_CANARY("--ecs-canary", List.of(10, 100)),
    /** The swap function's own canary, judged between steps: 10 → 100 %. */
    SWAP_CANARY("--canary", List.of(10, 100)),
    /** The swap function's own linear steps: 25 → 50 → 75 → 100 %. */
    SWAP_LINEAR("--linear", List.of(25, 50, 75, 100)),
    /**
     * The project's external deployment controller on a service with {@code deploymentController EXTERNAL}: deploy
     * green as a task set, promote it, clean up blue (or roll back), each a CodePipeline Invoke action.
     */
    EXTERNAL("--external", List.of()),
    /** The same, its promote a canary by weight between the target groups: 10 % of live traffic, baked, then 100 %. */
    EXTERNAL_CANARY("--external --canary", List.of(10, 100));

    private final String flag;
    private final List<Integer> steps;

    ReleaseStrategy(String flag, List<Integer> steps) {
        this.flag = flag;
        this.steps = steps;
    }

    /** The command-line flag; null for the default. */
    public String flag() {
        return flag;
    }

    /** Green's share of live traffic after each step, in percent, ending at 100; empty for CodeDeploy and EXTERNAL. */
    public List<Integer> steps() {
        return steps;
    }

    public boolean ecs() {
        return this == ECS_LINEAR || this == ECS_CANARY;
    }

    /** The external deployment controller drives task sets ({@link ExternalRelease}). */
    public boolean external() {
        return this == EXTERNAL || this == EXTERNAL_CANARY;
    }

    /** The swap function moves live traffic in steps (CodePipeline drives it through continuation tokens). */
    public boolean progressiveSwap() {
        return this == SWAP_CANARY || this == SWAP_LINEAR;
    }

    /** In words, for the release report's title. */
    public String describe() {
        return switch (this) {
            case CODEDEPLOY -> "CodeDeploy hooks, approval and the swap function";
            case ECS_LINEAR, ECS_CANARY -> "Amazon ECS " + (this == ECS_LINEAR ? "linear" : "canary") + " "
                    + String.join(" → ", steps.stream().map(p -> p + " %").toList());
            case SWAP_CANARY, SWAP_LINEAR -> "the swap function's " + (this == SWAP_LINEAR ? "linear" : "canary") + " "
                    + String.join(" → ", steps.stream().map(p -> p + " %").toList()) + ", judged between steps";
            case EXTERNAL -> "the external deployment controller: task sets, deploy → promote → cleanup";
            case EXTERNAL_CANARY -> "the external deployment controller: task sets, deploy → canary promote "
                    + String.join(" → ", steps.stream().map(p -> p + " %").toList()) + " → cleanup";
        };
    }
}
