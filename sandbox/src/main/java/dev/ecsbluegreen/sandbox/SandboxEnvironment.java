package dev.ecsbluegreen.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.local.MotoServer;
import dev.ecsbluegreen.sandbox.aws.CloudWatchMetrics;
import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the sandbox runs, started in order and stopped in reverse by {@link #close()}: the moto server, blue
 * and green, the emulator's load balancer / ECS service / CodeDeploy deployment (or, for the external controller,
 * the service's task sets and what registers their stand-in tasks), the report endpoint, the local listeners, and
 * the publisher of their metrics into the emulator's CloudWatch. Nothing is left behind: processes are stopped,
 * temporary files deleted, and on a shared moto server ({@code MOTO_ENDPOINT}) the resources are deleted again (all
 * but CodeDeploy's, which moto cannot delete).
 */
public final class SandboxEnvironment implements AutoCloseable {
    private static final ObjectMapper JSON = Json.newMapper();
    public static final String SWAP_FUNCTION = "ecs-bluegreen-swap";
    public static final String SWAP_HANDLER = "dev.ecsbluegreen.swap.SwapHandler::handleRequest";
    public static final String HOOK_HANDLER = "dev.ecsbluegreen.hooks.HookHandler::handleRequest";
    public static final String CONTROLLER_FUNCTION = "ecs-bluegreen-controller";
    public static final String CONTROLLER_HANDLER = "dev.ecsbluegreen.controller.ControllerHandler::handleRequest";
    public static final List<String> HOOKS = List.of("AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic");

    private final List<AutoCloseable> started = new ArrayList<>();
    private final Path root;
    private final Path swapJar;
    private final Path hooksJar;
    private final Path controllerJar;
    private boolean external;
    private TaskSetTargets taskSetTargets;
    private MotoServer moto;
    private App blue;
    private App green;
    private Emulator emulator;
    private Emulator.Created created;
    private ReportRecorder recorder;
    private DataPlane dataPlane;
    private CloudWatchMetrics cloudWatch;
    private MetricsPublisher metricsPublisher;
    private String deploymentId;
    private boolean closed;

    private SandboxEnvironment(Path root) {
        this.root = root;
        this.swapJar = root.resolve("swap-function/target/swap-function.jar");
        this.hooksJar = root.resolve("hooks/target/hooks.jar");
        this.controllerJar = root.resolve("controller/target/controller.jar");
    }

    /**
     * Starts everything; on any failure stops what was already started and rethrows.
     *
     * @param root      the repository (holds {@code events/} and the functions' {@code target/} folders)
     * @param greenMode how green behaves
     */
    public static SandboxEnvironment start(Path root, DemoApp.Mode greenMode) {
        return start(root, greenMode, null, null);
    }

    /**
     * As {@link #start(Path, DemoApp.Mode)}, with the user's own applications instead of the demo apps where given
     * ({@code greenMode} then applies to a demo green only).
     */
    public static SandboxEnvironment start(Path root, DemoApp.Mode greenMode, App.Yours yourBlue, App.Yours yourGreen) {
        return start(root, greenMode, 0, yourBlue, yourGreen);
    }

    /** As {@link #start(Path, DemoApp.Mode, App.Yours, App.Yours)}, with a demo green failing {@code greenErrorPercent} % of {@value DemoApp#ORDERS_PATH}. */
    public static SandboxEnvironment start(Path root, DemoApp.Mode greenMode, int greenErrorPercent, App.Yours yourBlue,
                                           App.Yours yourGreen) {
        return started(new SandboxEnvironment(root), greenMode, greenErrorPercent, yourBlue, yourGreen);
    }

    /**
     * The external deployment controller's sandbox: as {@link #start(Path, DemoApp.Mode, int, App.Yours, App.Yours)}
     * with the demo apps, but the emulator holds a service under the EXTERNAL deployment controller with blue's task
     * set primary ({@link Emulator#createExternal}), and {@link TaskSetTargets} registers the demo apps as the task
     * sets' tasks. Needs {@code controller/target/controller.jar}.
     */
    public static SandboxEnvironment startExternal(Path root, DemoApp.Mode greenMode, int greenErrorPercent) {
        SandboxEnvironment environment = new SandboxEnvironment(root);
        environment.external = true;
        return started(environment, greenMode, greenErrorPercent, null, null);
    }

    /** Starts everything in {@code environment}; stops whatever did start when a part fails. */
    private static SandboxEnvironment started(SandboxEnvironment environment, DemoApp.Mode greenMode, int greenErrorPercent,
                                              App.Yours yourBlue, App.Yours yourGreen) {
        try {
            environment.startAll(greenMode, greenErrorPercent, yourBlue, yourGreen);
            return environment;
        } catch (RuntimeException e) {
            environment.close();
            throw e;
        }
    }

    private void startAll(DemoApp.Mode greenMode, int greenErrorPercent, App.Yours yourBlue, App.Yours yourGreen) {
        for (Path jar : external ? List.of(controllerJar) : List.of(swapJar, hooksJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("missing " + jar + ": build the functions first "
                        + "(./mvnw -DskipTests install, or ./sandbox.sh, which does it)");
            }
        }
        // moto then reports the ECS service's one task as running, like a settled green (its TASK_COUNTS gate)
        moto = keep(MotoServer.provision(Map.of("MOTO_ECS_SERVICE_RUNNING", "1")));
        blue = yourBlue != null ? yourBlue : keep(new DemoApp("blue", "v1", DemoApp.Mode.HEALTHY, Emulator.LIVE_PORT));
        green = yourGreen != null ? yourGreen : keep(new DemoApp("green", "v2", greenMode, Emulator.LIVE_PORT, greenErrorPercent));
        Names names = Names.of(moto.external() ? "-" + randomId(4).toLowerCase() : "");
        emulator = new Emulator(moto.endpoint(), names);
        started.add(() -> {
            try {
                List<String> left = moto.external() ? emulator.delete() : List.of();
                if (!left.isEmpty()) {
                    throw new IllegalStateException("some resources stay in the shared moto server "
                            + moto.endpoint() + ": " + String.join("; ", left));
                }
            } finally {
                emulator.close();
            }
        });
        if (external) {
            created = emulator.createExternal(blue.version());
            taskSetTargets = keep(new TaskSetTargets(emulator, List.of(created.blueTargetGroupArn(), created.greenTargetGroupArn()),
                    List.of(blue, green), warning -> System.err.println("sandbox: " + warning)));
            recorder = keep(new ReportRecorder(moto.endpoint()));
        } else {
            Map<String, String> hookFunctions = new LinkedHashMap<>();
            HOOKS.forEach(hook -> hookFunctions.put(hook, hookFunctionName(hook)));
            created = emulator.create(blue.port(), green.port(), hookFunctions);
            recorder = keep(new ReportRecorder(moto.endpoint()));
            deploymentId = "d-" + randomId(9);
            recorder.aliasDeployment(deploymentId, created.deploymentId());
        }
        TrafficMetrics traffic = new TrafficMetrics(created.loadBalancerArn());
        dataPlane = keep(new DataPlane(emulator, List.of(Emulator.LIVE_PORT, Emulator.TEST_PORT), traffic));
        cloudWatch = keep(new CloudWatchMetrics(moto.endpoint()));
        metricsPublisher = keep(new MetricsPublisher(traffic, () -> List.copyOf(dataPlane.routing().targetGroups().values()),
                cloudWatch, warning -> System.err.println("sandbox: " + warning), Clock.systemUTC()));
    }

    private <T extends AutoCloseable> T keep(T resource) {
        started.add(resource);
        return resource;
    }

    /**
     * A new CodePipeline job for the swap function: {@code events/codepipeline-job.json} with {@code jobId} and the
     * sandbox's load balancer as {@code {"ElbName": …}}. The report endpoint is told to expect the job.
     */
    public String swapJobEvent(String jobId) {
        return swapJobEvent(jobId, "{\"ElbName\": \"" + names().loadBalancer() + "\"}", null);
    }

    /**
     * A job for the swap function with {@code userParameters}; with a {@code continuationToken}, the job CodePipeline
     * sends after a {@code PutJobSuccessResult} that carried it ({@code events/codepipeline-job-continuation.json}).
     */
    public String swapJobEvent(String jobId, String userParameters, String continuationToken) {
        return jobEvent(SWAP_FUNCTION, jobId, userParameters, continuationToken);
    }

    /**
     * A new CodePipeline job of an Invoke action for the Lambda function {@code functionName}:
     * {@code events/codepipeline-job.json} with {@code jobId}, the function's name and {@code userParameters}; with a
     * {@code continuationToken}, the job CodePipeline sends after a {@code PutJobSuccessResult} that carried it. The
     * report endpoint is told to expect the job.
     */
    public String jobEvent(String functionName, String jobId, String userParameters, String continuationToken) {
        recorder.expectJob(jobId);
        ObjectNode event = (ObjectNode) readEvent("codepipeline-job.json");
        ObjectNode job = (ObjectNode) event.get("CodePipeline.job");
        job.put("id", jobId);
        ObjectNode configuration = (ObjectNode) job.at("/data/actionConfiguration/configuration");
        configuration.put("FunctionName", functionName);
        configuration.put("UserParameters", userParameters);
        if (continuationToken != null) {
            ((ObjectNode) job.get("data")).put("continuationToken", continuationToken);
        }
        return event.toString();
    }

    /** A CodeDeploy lifecycle hook event ({@code events/codedeploy-hook.json}) for the sandbox's deployment. */
    public String hookEvent(String executionId) {
        ObjectNode event = (ObjectNode) readEvent("codedeploy-hook.json");
        event.put("DeploymentId", deploymentId);
        event.put("LifecycleEventHookExecutionId", executionId);
        return event.toString();
    }

    /** A hook execution id of the length and alphabet CodeDeploy uses. */
    public static String newHookExecutionId() {
        byte[] random = new byte[96];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    /** A file of {@code events/}, parsed. */
    JsonNode readEvent(String name) {
        try {
            return JSON.readTree(Files.readString(root.resolve("events").resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the event " + name, e);
        }
    }

    static String hookFunctionName(String hook) {
        return "CodeDeployHook_" + hook;
    }

    private static String randomId(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    public Path root() { return root; }
    public Path swapJar() { return swapJar; }
    public Path hooksJar() { return hooksJar; }
    public Path controllerJar() { return controllerJar; }
    /** Whether this is the external controller's sandbox ({@link #startExternal}). */
    public boolean external() { return external; }
    /** What registers the demo apps as the task sets' tasks; null unless {@link #external()}. */
    public TaskSetTargets taskSetTargets() { return taskSetTargets; }
    public MotoServer moto() { return moto; }
    public App blue() { return blue; }
    public App green() { return green; }
    public Emulator emulator() { return emulator; }
    public Emulator.Created created() { return created; }
    public Names names() { return emulator.names(); }
    public ReportRecorder recorder() { return recorder; }
    public DataPlane dataPlane() { return dataPlane; }
    /** The emulator's CloudWatch, holding the load balancer's metrics. */
    public CloudWatchMetrics cloudWatch() { return cloudWatch; }
    public MetricsPublisher metricsPublisher() { return metricsPublisher; }
    /** The CodeDeploy-shaped id the hooks see for the emulator's deployment; null when {@link #external()}. */
    public String deploymentId() { return deploymentId; }

    /** Whether moto reports the ECS service's tasks as all running, which the TASK_COUNTS gate needs. */
    public boolean taskCountsReported() {
        return created.reportedRunningTasks() != null && created.reportedRunningTasks() == created.desiredTasks();
    }

    /** Stops everything that was started, newest first; every step is attempted. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("could not stop everything cleanly: " + e.getMessage(), e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
