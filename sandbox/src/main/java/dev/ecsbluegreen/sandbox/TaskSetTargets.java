package dev.ecsbluegreen.sandbox;

import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What ECS does between task sets and target groups, played with the demo apps standing in for the tasks: a task set
 * with a scale above 0 on target group X registers, as X's target, the demo app its image names by its tag
 * ({@code sandbox/demo:v2} → the app answering {@code v2}); a target group with no such task set has its targets
 * deregistered. A daemon thread keeps the registrations in step every {@link #INTERVAL}; {@link #sync()} does it
 * at once, for a caller about to read the routing. Thread-safe.
 */
public final class TaskSetTargets implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofMillis(200);

    private final TaskSetRegistry registry;
    private final List<String> targetGroupArns;
    private final Map<String, Integer> portsByVersion;
    private final Consumer<String> warnings;
    private final Thread thread;
    private volatile boolean stopped;
    private String lastWarning;

    /**
     * Starts keeping the registrations in step.
     *
     * @param targetGroupArns the target groups it manages (blue's and green's); others are left alone
     * @param apps            the demo apps that stand in for the tasks, by the version their image names
     * @param warnings        told of a failed round or an image that names no app, once until it changes
     */
    public TaskSetTargets(TaskSetRegistry registry, List<String> targetGroupArns, List<App> apps, Consumer<String> warnings) {
        this.registry = registry;
        this.targetGroupArns = List.copyOf(targetGroupArns);
        Map<String, Integer> ports = new LinkedHashMap<>();
        apps.stream().filter(app -> app.version() != null).forEach(app -> ports.put(app.version(), app.port()));
        this.portsByVersion = Map.copyOf(ports);
        this.warnings = warnings;
        sync();
        this.thread = Thread.ofPlatform().daemon().name("sandbox-task-set-targets").start(this::loop);
    }

    /**
     * The loopback ports each target group should have as targets: those of the apps named by the images of the task
     * sets on it with a scale above 0. Task sets of other target groups, and images naming no app, add nothing.
     */
    static Map<String, Set<Integer>> desired(List<Emulator.TaskSet> taskSets, List<String> targetGroupArns,
                                             Map<String, Integer> portsByVersion) {
        Map<String, Set<Integer>> desired = new LinkedHashMap<>();
        targetGroupArns.forEach(arn -> desired.put(arn, new TreeSet<>()));
        for (Emulator.TaskSet taskSet : taskSets) {
            Set<Integer> ports = desired.get(taskSet.targetGroupArn());
            Integer port = port(portsByVersion, taskSet);
            if (ports != null && port != null && taskSet.scalePercent() > 0 && !"DRAINING".equals(taskSet.status())) {
                ports.add(port);
            }
        }
        return desired;
    }

    /** The port of the app the task set's image names; null for an image of another repository or version. */
    private static Integer port(Map<String, Integer> portsByVersion, Emulator.TaskSet taskSet) {
        String version = Emulator.version(taskSet.image());
        return version == null ? null : portsByVersion.get(version);
    }

    /** One round now: reads the task sets and registers or deregisters what differs. */
    public synchronized void sync() {
        try {
            List<Emulator.TaskSet> taskSets = registry.taskSets();
            for (Emulator.TaskSet taskSet : taskSets) {
                if (targetGroupArns.contains(taskSet.targetGroupArn()) && port(portsByVersion, taskSet) == null) {
                    warn("task set " + taskSet.id() + " runs " + taskSet.image() + ", which names none of the demo apps "
                            + portsByVersion.keySet() + " (images " + Emulator.image("VERSION") + "): it gets no target");
                }
            }
            desired(taskSets, targetGroupArns, portsByVersion).forEach((targetGroup, wanted) -> {
                Set<Integer> registered = registry.registeredPorts(targetGroup);
                Set<Integer> missing = new TreeSet<>(wanted);
                missing.removeAll(registered);
                Set<Integer> extra = new TreeSet<>(registered);
                extra.removeAll(wanted);
                registry.register(targetGroup, missing);
                registry.deregister(targetGroup, extra);
            });
        } catch (RuntimeException e) {
            warn("could not keep the target groups in step with the task sets: " + e.getMessage());
        }
    }

    private void warn(String warning) {
        if (!Objects.equals(warning, lastWarning)) {
            lastWarning = warning;
            warnings.accept(warning);
        }
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            if (!stopped) {
                sync();
            }
        }
    }

    /** Stops the thread after its round (not interrupted: a call cut off half-way is a warning), registrations as they are. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
