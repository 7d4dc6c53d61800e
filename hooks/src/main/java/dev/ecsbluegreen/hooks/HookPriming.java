package dev.ecsbluegreen.hooks;

import static dev.ecsbluegreen.core.priming.CannedElb.BLUE;
import static dev.ecsbluegreen.core.priming.CannedElb.GREEN;
import static dev.ecsbluegreen.core.priming.CannedElb.LB;
import static dev.ecsbluegreen.core.priming.CannedElb.LIVE;
import static dev.ecsbluegreen.core.priming.CannedElb.TEST;
import static dev.ecsbluegreen.core.priming.CannedElb.listener;
import static dev.ecsbluegreen.core.priming.CannedElb.response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.analysis.check.HttpProbe;
import dev.ecsbluegreen.analysis.check.http.OkHttpProbe;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.priming.CannedHttpClient;
import dev.ecsbluegreen.core.priming.Priming;
import dev.ecsbluegreen.hooks.aws.AwsAdapters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import okhttp3.OkHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The validator's SnapStart priming: one whole invocation of each trigger through second {@link HookHandler}s
 * wired like the function's own — real SDK clients (marshalling, signing, unmarshalling) answering from a
 * {@link CannedHttpClient}, the real {@link OkHttpProbe}, the real configuration parsing — so that the snapshot
 * holds their classes loaded. Nothing reaches AWS, and no request leaves the machine.
 *
 * <ul>
 *   <li><b>CodeDeploy</b> ({@code priming-codedeploy-hook.json}), configured as the {@code AfterAllowTestTraffic}
 *       hook with the default check and both gates: discovery ({@code GetDeployment} → {@code GetDeploymentGroup}
 *       → {@code DescribeListeners} → {@code DescribeLoadBalancers}), the gates ({@code DescribeTargetHealth},
 *       {@code DescribeServices} with a task set), the check through the test listener, and the report
 *       ({@code PutLifecycleEventHookExecutionStatus}, {@code Succeeded}).</li>
 *   <li><b>Amazon ECS</b> ({@code priming-ecs-hook.json}, {@code POST_TEST_TRAFFIC_SHIFT}) with {@code CHECKS}
 *       from {@code priming-checks.json} — every kind of expectation and a small burst — and the
 *       {@code TASK_COUNTS} gate on the service's primary deployment: answered {@code SUCCEEDED}.</li>
 * </ul>
 *
 * <p>Green is a tiny HTTP server ({@code com.sun.net.httpserver}) on an ephemeral port of 127.0.0.1, started and
 * stopped inside the priming; the canned load balancer's DNS name is {@code 127.0.0.1} and its test listener that
 * port. Serving the checks, rather than pointing them at a port nothing listens on, primes what every real
 * invocation runs — OkHttp writing the request and reading status, headers and body, the expectations judging
 * them, the success verdict — not just a refused connection. Should the server not start (a runtime without
 * the {@code jdk.httpserver} module, no loopback), the checks go to a port nothing listens on instead: refused at
 * once, the attempts fail without waiting (the priming's sleeper does not sleep), the hooks report
 * {@code Failed} to the canned CodeDeploy and still prime everything but the response handling.
 *
 * <p>The probe has an OkHttp client of its own, never the function's. Its pooled connection is closed, and the
 * server stopped, before {@link #run} returns: the snapshot holds no socket, and the function's own connection
 * pool has never been used.
 */
final class HookPriming {
    private static final ObjectMapper JSON = Json.newMapper();
    /** The base URL written in {@code priming-ecs-hook.json}, replaced by the priming server's. */
    private static final String BASE_URL_PLACEHOLDER = "http://green.priming.invalid";
    /** What green answers to every request; {@code priming-checks.json} expects exactly this. */
    private static final byte[] GREEN_BODY = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    private final List<String> operations = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();
    private final List<String> served = new ArrayList<>();
    private volatile int port;

    private HookPriming() {}

    /**
     * What priming did.
     *
     * @param codeDeployAnswer what the handler returned for the CodeDeploy event
     * @param ecsAnswer        what it returned for the Amazon ECS event
     * @param awsOperations    the AWS calls made, as {@code service:Operation}, in order
     * @param reportedStatuses the statuses reported with {@code PutLifecycleEventHookExecutionStatus}
     * @param greenRequests    the requests green was sent, as {@code METHOD path}; empty when it could not start
     * @param connectionsLeft  connections left in the priming HTTP client's pool at the end (0)
     */
    record Primed(String codeDeployAnswer, String ecsAnswer, List<String> awsOperations, List<String> reportedStatuses,
                  List<String> greenRequests, int connectionsLeft) {}

    /** Runs the priming invocations. */
    static Primed run() {
        return run(true);
    }

    /** @param serveGreen false to prime as if green's server could not be started (tests) */
    static Primed run(boolean serveGreen) {
        HookPriming priming = new HookPriming();
        HttpServer green = serveGreen ? priming.startGreen() : null;
        if (green == null) {
            priming.port = nothingListens();
        }
        OkHttpClient http = new OkHttpClient();
        try {
            AwsAdapters aws = AwsAdapters.of(
                    Priming.client(CodeDeployClient.builder(), priming.recording("codedeploy", priming::codeDeploy)),
                    Priming.client(ElasticLoadBalancingV2Client.builder(), priming.recording("elasticloadbalancing", priming::elb)),
                    Priming.client(EcsClient.builder(), priming.recording("ecs", HookPriming::ecs)),
                    // the primed invocations run no analysis: CloudWatch is never called
                    Priming.client(CloudWatchClient.builder(), priming.recording("cloudwatch", (operation, body) -> "{}")));
            HttpProbe probe = new OkHttpProbe(http);
            Sleeper noWait = duration -> { };
            Map<String, String> codeDeployEnv = Map.of("HOOK_STAGE", "AfterAllowTestTraffic",
                    "GATES", "TARGET_HEALTH,TASK_COUNTS");
            Map<String, String> ecsEnv = Map.of("GATES", "TASK_COUNTS",
                    "CHECKS", Priming.resource(HookPriming.class, "priming-checks.json"));
            String codeDeployAnswer = Priming.invoke(
                    new HookHandler(codeDeployEnv::get, aws, probe, noWait, Clock.systemUTC()),
                    Priming.resource(HookPriming.class, "priming-codedeploy-hook.json"));
            String ecsAnswer = Priming.invoke(
                    new HookHandler(ecsEnv::get, aws, probe, noWait, Clock.systemUTC()),
                    Priming.resource(HookPriming.class, "priming-ecs-hook.json")
                            .replace(BASE_URL_PLACEHOLDER, "http://127.0.0.1:" + priming.port));
            return priming.primed(codeDeployAnswer, ecsAnswer, http);
        } finally {
            if (green != null) {
                green.stop(0);
            }
            http.connectionPool().evictAll();
        }
    }

    private synchronized Primed primed(String codeDeployAnswer, String ecsAnswer, OkHttpClient http) {
        http.connectionPool().evictAll();
        return new Primed(codeDeployAnswer, ecsAnswer, List.copyOf(operations), List.copyOf(reports),
                List.copyOf(served), http.connectionPool().connectionCount());
    }

    /** Green on 127.0.0.1 (its port in {@link #port}), or null when it cannot be started. */
    private HttpServer startGreen() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::serve);
            server.start();
            port = server.getAddress().getPort();
            return server;
        } catch (IOException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** A port of 127.0.0.1 that was free a moment ago: connections to it are refused at once. */
    private static int nothingListens() {
        try (ServerSocket released = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return released.getLocalPort();
        } catch (IOException e) {
            return 9; // discard: nothing listens there in a Lambda sandbox
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            body.readAllBytes();
            synchronized (this) {
                served.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : GREEN_BODY.length);
            if (!head) {
                out.write(GREEN_BODY);
            }
        }
    }

    private BiFunction<String, String, String> recording(String service, BiFunction<String, String, String> answers) {
        return (operation, body) -> {
            synchronized (this) {
                operations.add(service + ":" + operation);
            }
            return answers.apply(operation, body);
        };
    }

    private String codeDeploy(String operation, String body) {
        return switch (operation) {
            case "GetDeployment" -> """
                    {"deploymentInfo": {"deploymentId": "d-PRIMING00", "applicationName": "priming",
                     "deploymentGroupName": "priming", "status": "InProgress", "computePlatform": "ECS"}}""";
            case "GetDeploymentGroup" -> """
                    {"deploymentGroupInfo": {"applicationName": "priming", "deploymentGroupName": "priming",
                     "computePlatform": "ECS",
                     "ecsServices": [{"serviceName": "priming", "clusterName": "priming"}],
                     "loadBalancerInfo": {"targetGroupPairInfoList": [{
                       "targetGroups": [{"name": "priming-blue"}, {"name": "priming-green"}],
                       "prodTrafficRoute": {"listenerArns": ["%s"]},
                       "testTrafficRoute": {"listenerArns": ["%s"]}}]}}}""".formatted(LIVE, TEST);
            case "PutLifecycleEventHookExecutionStatus" -> {
                String status = read(body).path("status").asText();
                synchronized (this) {
                    reports.add(status);
                }
                yield "{\"lifecycleEventHookExecutionId\": \"priming\"}";
            }
            default -> "{}";
        };
    }

    private String elb(String operation, String body) {
        return switch (operation) {
            case "DescribeListeners" -> response(operation, "<Listeners>" + listener(LIVE, 80, BLUE)
                    + listener(TEST, port, GREEN) + "</Listeners>");
            case "DescribeLoadBalancers" -> response(operation, "<LoadBalancers><member><LoadBalancerArn>" + LB
                    + "</LoadBalancerArn><LoadBalancerName>priming</LoadBalancerName><Type>application</Type>"
                    + "<Scheme>internal</Scheme><DNSName>127.0.0.1</DNSName></member></LoadBalancers>");
            case "DescribeTargetHealth" -> response(operation, "<TargetHealthDescriptions><member><Target>"
                    + "<Id>10.0.0.1</Id><Port>8080</Port></Target><TargetHealth><State>healthy</State></TargetHealth>"
                    + "</member></TargetHealthDescriptions>");
            default -> response(operation, "");
        };
    }

    /**
     * A CodeDeploy-controlled service has task sets (green's is the one behind the green target group); a service
     * using Amazon ECS's own blue/green ({@code priming-ecs}) has deployments.
     */
    private static String ecs(String operation, String body) {
        if (!"DescribeServices".equals(operation)) {
            return "{}";
        }
        if (body.contains("priming-ecs")) {
            return """
                    {"services": [{"serviceName": "priming-ecs", "status": "ACTIVE", "desiredCount": 1, "runningCount": 1,
                     "deployments": [{"id": "ecs-svc/0000000000000000002", "status": "PRIMARY", "desiredCount": 1,
                                      "runningCount": 1, "pendingCount": 0}]}], "failures": []}""";
        }
        return """
                {"services": [{"serviceName": "priming", "status": "ACTIVE", "desiredCount": 1, "runningCount": 2,
                 "taskSets": [
                   {"id": "ecs-svc/0000000000000000001", "status": "PRIMARY", "computedDesiredCount": 1, "runningCount": 1,
                    "loadBalancers": [{"targetGroupArn": "%s", "containerName": "app", "containerPort": 8080}]},
                   {"id": "ecs-svc/0000000000000000002", "status": "ACTIVE", "computedDesiredCount": 1, "runningCount": 1,
                    "loadBalancers": [{"targetGroupArn": "%s", "containerName": "app", "containerPort": 8080}]}]}],
                 "failures": []}""".formatted(BLUE, GREEN);
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
