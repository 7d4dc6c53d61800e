package dev.ecsbluegreen.hooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.hooks.aws.AwsAdapters;
import dev.ecsbluegreen.hooks.http.OkHttpProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The validator function: {@code dev.ecsbluegreen.hooks.HookHandler::handleRequest}. One handler serves
 * both triggers, told apart by the event's shape: CodeDeploy's lifecycle hook event ({@code DeploymentId},
 * {@code LifecycleEventHookExecutionId}) is answered by reporting to CodeDeploy; Amazon ECS's hook request
 * ({@code executionId}, {@code lifecycleStage}) by the returned {@code hookStatus}.
 */
public final class HookHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = Json.newMapper();

    private final Function<String, String> env;
    private final CodeDeployHook codeDeploy;
    private final EcsHook ecs;

    /** Lambda's constructor: real AWS clients and one HTTP client, built once per execution environment. */
    public HookHandler() {
        this(System::getenv, AwsAdapters.create(), new OkHttpProbe(), Sleeper.THREAD, Clock.systemUTC());
    }

    HookHandler(Function<String, String> env, AwsAdapters aws, HttpProbe probe, Sleeper sleeper, Clock clock) {
        this(env, aws.topology(), aws.reporter(), aws.targetHealth(), aws.taskCounts(), probe, sleeper, clock);
    }

    HookHandler(Function<String, String> env, DeploymentTopology topology, HookReporter reporter,
                TargetHealthSource targetHealth, TaskCountsSource taskCounts, HttpProbe probe, Sleeper sleeper,
                Clock clock) {
        this.env = env;
        Validation validation = new Validation(new CheckRunner(probe, sleeper), targetHealth, taskCounts);
        // the configuration is read per invocation so that a bad one becomes a reported Failed, not an init error
        this.codeDeploy = new CodeDeployHook(this::config, topology, validation, reporter);
        this.ecs = new EcsHook(this::config, validation, clock);
    }

    private HookConfig config() {
        return HookConfig.fromEnvironment(env);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HookLog log = new HookLog(line -> context.getLogger().log(line + "\n"));
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
