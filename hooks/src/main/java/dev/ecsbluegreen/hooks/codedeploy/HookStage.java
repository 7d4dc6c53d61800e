package dev.ecsbluegreen.hooks.codedeploy;

import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.hooks.Listener;
import java.util.EnumSet;
import java.util.Set;

/** The CodeDeploy ECS lifecycle hooks a validator function can serve, with what each one tests. */
public enum HookStage {
    /** Green is behind the test listener; production traffic still goes to blue. */
    AFTER_ALLOW_TEST_TRAFFIC("AfterAllowTestTraffic", Listener.TEST, EnumSet.noneOf(Gate.class)),
    /** The last gate before production traffic moves: green must also be fully healthy and scaled. */
    BEFORE_ALLOW_TRAFFIC("BeforeAllowTraffic", Listener.TEST, EnumSet.allOf(Gate.class)),
    /** Production traffic has moved to green. */
    AFTER_ALLOW_TRAFFIC("AfterAllowTraffic", Listener.PRODUCTION, EnumSet.noneOf(Gate.class));

    private final String hookName;
    private final Listener listener;
    private final EnumSet<Gate> defaultGates;

    HookStage(String hookName, Listener listener, EnumSet<Gate> defaultGates) {
        this.hookName = hookName;
        this.listener = listener;
        this.defaultGates = defaultGates;
    }

    /** The name used in the appspec's {@code Hooks} section. */
    public String hookName() {
        return hookName;
    }

    public Listener listener() {
        return listener;
    }

    public Set<Gate> defaultGates() {
        return EnumSet.copyOf(defaultGates);
    }

    /** @throws InvalidConfigurationException for anything but the three hook names */
    public static HookStage fromHookName(String name) {
        for (HookStage stage : values()) {
            if (stage.hookName.equalsIgnoreCase(name.trim())) {
                return stage;
            }
        }
        throw new InvalidConfigurationException("HOOK_STAGE '" + name + "' is not one of AfterAllowTestTraffic, "
                + "BeforeAllowTraffic, AfterAllowTraffic (earlier hooks run before green is reachable)");
    }
}
