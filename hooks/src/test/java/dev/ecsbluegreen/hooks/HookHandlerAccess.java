package dev.ecsbluegreen.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.analysis.check.HttpProbe;
import dev.ecsbluegreen.analysis.gate.TargetHealthSource;
import dev.ecsbluegreen.analysis.gate.TaskCountsSource;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.hooks.aws.AwsAdapters;
import dev.ecsbluegreen.hooks.codedeploy.DeploymentTopology;
import dev.ecsbluegreen.hooks.codedeploy.HookReporter;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** Lets tests in other packages build the handler from its seams (its test constructor is package-private). */
public final class HookHandlerAccess {
    private HookHandlerAccess() {}

    public static JsonNode invoke(Map<String, String> env, DeploymentTopology topology, HookReporter reporter,
                                  TargetHealthSource targetHealth, TaskCountsSource taskCounts, HttpProbe probe,
                                  String event, TestLambdaContext context) throws IOException {
        HookHandler handler = new HookHandler(env::get, topology, reporter, targetHealth, taskCounts, probe,
                duration -> { }, Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return Json.newMapper().readTree(out.toByteArray());
    }

    /** The handler with every AWS adapter wired, as in Lambda: real clocks, real sleeps. */
    public static JsonNode invoke(Map<String, String> env, AwsAdapters aws, HttpProbe probe, String event,
                                  TestLambdaContext context) throws IOException {
        HookHandler handler = new HookHandler(env::get, aws, probe, Sleeper.THREAD, Clock.systemUTC(), System::nanoTime);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return Json.newMapper().readTree(out.toByteArray());
    }
}
