package dev.ecsbluegreen.hooks.ecs;

import dev.ecsbluegreen.hooks.Listener;

/** The lifecycle stages at which Amazon ECS's own blue/green deployments call a hook, and what each tests. */
public enum EcsStage {
    RECONCILE_SERVICE(null),
    PRE_SCALE_UP(null),
    POST_SCALE_UP(null),
    TEST_TRAFFIC_SHIFT(Listener.TEST),
    /** Green has the test traffic: the place for smoke tests. */
    POST_TEST_TRAFFIC_SHIFT(Listener.TEST),
    PRE_PRODUCTION_TRAFFIC_SHIFT(Listener.TEST),
    PRODUCTION_TRAFFIC_SHIFT(Listener.PRODUCTION),
    POST_PRODUCTION_TRAFFIC_SHIFT(Listener.PRODUCTION);

    private final Listener listener;

    EcsStage(Listener listener) {
        this.listener = listener;
    }

    /** The listener green is reached through at this stage, or null when green takes no traffic yet. */
    public Listener listener() {
        return listener;
    }

    /** @return null for a stage this function does not know */
    static EcsStage parse(String name) {
        for (EcsStage stage : values()) {
            if (stage.name().equals(name)) {
                return stage;
            }
        }
        return null;
    }
}
