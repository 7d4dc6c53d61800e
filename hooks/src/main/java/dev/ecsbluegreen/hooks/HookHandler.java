package dev.ecsbluegreen.hooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.analysis.check.CheckRunner;
import dev.ecsbluegreen.analysis.check.HttpProbe;
import dev.ecsbluegreen.analysis.check.http.OkHttpProbe;
import dev.ecsbluegreen.analysis.gate.TargetHealthSource;
import dev.ecsbluegreen.analysis.gate.TaskCountsSource;
import dev.ecsbluegreen.analysis.metrics.Providers;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.telemetry.Invocation;
import dev.ecsbluegreen.core.telemetry.Level;
import dev.ecsbluegreen.core.telemetry.MetricsLog;
import dev.ecsbluegreen.core.telemetry.StructuredLog;
import dev.ecsbluegreen.hooks.aws.AwsAdapters;
import dev.ecsbluegreen.hooks.codedeploy.CodeDeployHook;
import dev.ecsbluegreen.hooks.codedeploy.DeploymentTopology;
import dev.ecsbluegreen.hooks.codedeploy.HookReporter;
import dev.ecsbluegreen.hooks.ecs.EcsHook;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.crac.Core;
import org.crac.Resource;

/**
 * The validator function: {@code dev.ecsbluegreen.hooks.HookHandler::handleRequest}. One handler serves
 * both triggers, told apart by the event's shape: CodeDeploy's lifecycle hook event ({@code DeploymentId},
 * {@code LifecycleEventHookExecutionId}) is answered by reporting to CodeDeploy; Amazon ECS's hook request
 * ({@code executionId}, {@code lifecycleStage}) by the returned {@code hookStatus}.
 *
 * <p>With SnapStart, {@link #beforeCheckpoint} primes the snapshot with one whole invocation of each trigger on
 * canned answers ({@link HookPriming}): nothing reaches AWS or green, and the restored function starts with its
 * classes loaded.
 */
public final class HookHandler implements RequestStreamHandler, Resource {
    private static final ObjectMapper JSON = Json.newMapper();
    /** The service name of this function's logs and metrics when {@code POWERTOOLS_SERVICE_NAME} is not set. */
    public static final String SERVICE = "ecs-bluegreen-hooks";

    private final Function<String, String> env;
    private final LongSupplier nanoClock;
    /** Where the log and the metrics go: standard output in Lambda, the context's logger in tests. */
    private Function<Context, Consumer<String>> output = context -> line -> context.getLogger().log(line + "\n");
    private final CodeDeployHook codeDeploy;
    private final EcsHook ecs;
    /** The pool of the function's own HTTP client, emptied before a snapshot; null when a test passes a probe. */
    private final ConnectionPool connections;

    /** Lambda's constructor: real AWS clients and one HTTP client, built once per execution environment. */
    public HookHandler() {
        this(System::getenv, AwsAdapters.create(), OkHttpProbe.newBaseClient(), Sleeper.THREAD, Clock.systemUTC());
        this.output = context -> StructuredLog.stdout();
        Core.getGlobalContext().register(this);
    }

    /** The production wiring around {@code http}, whose connection pool {@link #beforeCheckpoint} empties. */
    HookHandler(Function<String, String> env, AwsAdapters aws, OkHttpClient http, Sleeper sleeper, Clock clock) {
        this(env, aws, new OkHttpProbe(http), sleeper, clock, System::nanoTime, http.connectionPool());
    }

    HookHandler(Function<String, String> env, AwsAdapters aws, HttpProbe probe, Sleeper sleeper, Clock clock) {
        this(env, aws, probe, sleeper, clock, System::nanoTime, null);
    }

    /** For tests that need neither the analysis's nor the drift check's AWS calls (they fail if made). */
    HookHandler(Function<String, String> env, DeploymentTopology topology, HookReporter reporter,
                TargetHealthSource targetHealth, TaskCountsSource taskCounts, HttpProbe probe, Sleeper sleeper,
                Clock clock) {
        this(env, topology, reporter, targetHealth, taskCounts, probe, sleeper, clock, System::nanoTime);
    }

    /** @param nanoClock the monotonic clock of the validation's deadline ({@code System::nanoTime}) */
    HookHandler(Function<String, String> env, DeploymentTopology topology, HookReporter reporter,
                TargetHealthSource targetHealth, TaskCountsSource taskCounts, HttpProbe probe, Sleeper sleeper,
                Clock clock, LongSupplier nanoClock) {
        this(env, new AwsAdapters(topology, reporter, targetHealth, taskCounts, Unwired.ROUTING, Unwired.ALARMS,
                Unwired.METRICS), probe, sleeper, clock, nanoClock, null);
    }

    /** @param nanoClock the monotonic clock of the validation's deadline ({@code System::nanoTime}) */
    HookHandler(Function<String, String> env, AwsAdapters aws, HttpProbe probe, Sleeper sleeper, Clock clock,
                LongSupplier nanoClock) {
        this(env, aws, probe, sleeper, clock, nanoClock, null);
    }

    private HookHandler(Function<String, String> env, AwsAdapters aws, HttpProbe probe, Sleeper sleeper, Clock clock,
                        LongSupplier nanoClock, ConnectionPool connections) {
        this.env = env;
        this.nanoClock = nanoClock;
        this.connections = connections;
        Validation validation = new Validation(new CheckRunner(probe, sleeper), aws.targetHealth(), aws.taskCounts());
        Analysis analysis = new Analysis(new Providers(aws.alarms(), aws.metrics()), sleeper, clock);
        // the configuration is read per invocation so that a bad one becomes a reported Failed, not an init error
        this.codeDeploy = new CodeDeployHook(this::config, aws.topology(), validation, analysis, aws.reporter(), clock,
                nanoClock);
        this.ecs = new EcsHook(this::config, validation, aws.serviceRouting(), analysis, clock, nanoClock);
    }

    /**
     * SnapStart: prime before the snapshot (see {@link HookPriming}); a priming that fails only costs its time.
     * Then the function's own HTTP client lets go of its pooled connections: a snapshot must not hold a socket
     * that would be dead after a restore (none under SnapStart, which snapshots before the first invocation; a
     * CRaC checkpoint taken later could find some).
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            HookPriming.run();
        } catch (RuntimeException | LinkageError e) {
            System.err.println("ecs-bluegreen: priming before the SnapStart snapshot failed, continuing without it: " + e);
        }
        if (connections != null) {
            connections.evictAll();
        }
        Invocation.coldStartAgain(); // the priming's invocations were not real ones
    }

    /**
     * Nothing to refresh: the snapshot holds no HTTP connection to green (priming's client and server are closed,
     * the function's pool was emptied before it); the function's SDK clients are unused before a SnapStart
     * snapshot and in any case fetch credentials and reconnect by themselves; the configuration is read per
     * invocation; and the hooks keep no random generator or clock reading of their own.
     */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // see above; the first invocation of a restored snapshot is this environment's cold start (as Powertools counts it)
        Invocation.coldStartAgain();
    }

    private HookConfig config() {
        return HookConfig.fromEnvironment(env);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = nanoClock.getAsLong();
        Invocation invocation = Invocation.of(SERVICE, context, env::apply);
        Consumer<String> out = this.output.apply(context);
        HookLog log = new HookLog(new StructuredLog(invocation, Level.threshold(env::apply), out, true),
                new MetricsLog(invocation, env::apply, out));
        try {
            byte[] raw = input.readAllBytes();
            JsonNode event = parse(raw);
            ObjectNode answer;
            if (CodeDeployHook.recognises(event)) {
                answer = codeDeploy.handle(event, context, log);
            } else if (EcsHook.recognises(event)) {
                answer = ecs.handle(event, context, log);
            } else {
                // the raw event is never logged (it could carry anything); its top-level field names are enough
                List<String> names = new ArrayList<>();
                if (event != null && event.isObject()) {
                    event.fieldNames().forEachRemaining(names::add);
                }
                log.note("unrecognised-event", HookLog.fields().put("bytes", raw.length)
                        .put("fields", String.join(",", names)));
                throw new IllegalArgumentException("neither a CodeDeploy lifecycle hook event (DeploymentId, "
                        + "LifecycleEventHookExecutionId) nor an Amazon ECS hook request (executionId, lifecycleStage); "
                        + "fields: " + names);
            }
            JSON.writeValue(output, answer);
        } finally {
            log.count((nanoClock.getAsLong() - started) / 1_000_000.0);
        }
    }

    private static JsonNode parse(byte[] raw) {
        try {
            return JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
