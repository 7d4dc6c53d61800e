package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The report endpoint on the wire, with a local server standing in for moto behind it. */
class ReportRecorderTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final String MOTO_ID = "3354837e-0718-4b4b-8741-1bbeab692d87";
    private static final String ALIAS = "d-4B7XWQ2KP";

    private final List<String> upstreamBodies = new CopyOnWriteArrayList<>();
    private final HttpServer upstream = upstream();
    private final ReportRecorder recorder = new ReportRecorder(
            URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + "/"));
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        recorder.close();
        upstream.stop(0);
    }

    @Test
    void acceptsOneHookStatusPerExecutionAndRefusesWhatCodeDeployRefuses() throws Exception {
        recorder.aliasDeployment(ALIAS, MOTO_ID);
        String report = "{\"deploymentId\":\"" + ALIAS + "\",\"lifecycleEventHookExecutionId\":\"exec-1\",\"status\":\"Failed\"}";

        HttpResponse<String> first = call("CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus", report);
        HttpResponse<String> again = call("CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus", report);
        HttpResponse<String> unknown = call("CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus",
                "{\"deploymentId\":\"d-UNKNOWN00\",\"lifecycleEventHookExecutionId\":\"exec-2\",\"status\":\"Succeeded\"}");
        HttpResponse<String> badStatus = call("CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus",
                "{\"deploymentId\":\"" + ALIAS + "\",\"lifecycleEventHookExecutionId\":\"exec-3\",\"status\":\"InProgress\"}");

        assertEquals(200, first.statusCode());
        assertEquals("exec-1", JSON.readTree(first.body()).path("lifecycleEventHookExecutionId").asText());
        assertError(again, "LifecycleEventAlreadyCompletedException");
        assertError(unknown, "DeploymentDoesNotExistException");
        assertError(badStatus, "InvalidLifecycleEventHookExecutionStatusException");
        List<ReportRecorder.Report> reports = recorder.reports();
        assertEquals(4, reports.size(), "refused reports are recorded too");
        assertNull(reports.get(0).error());
        assertEquals("codedeploy PutLifecycleEventHookExecutionStatus d-4B7XWQ2KP Failed", reports.get(0).describe());
        assertEquals("LifecycleEventAlreadyCompletedException", reports.get(1).error());
        assertTrue(upstreamBodies.isEmpty(), "reports never reach moto");
    }

    @Test
    void acceptsOneResultPerHandedOutJob() throws Exception {
        recorder.expectJob("job-1");
        String success = "{\"jobId\":\"job-1\",\"executionDetails\":{\"summary\":\"live :80 → app-green\"}}";

        HttpResponse<String> first = call("CodePipeline_20150709.PutJobSuccessResult", success);
        HttpResponse<String> again = call("CodePipeline_20150709.PutJobFailureResult",
                "{\"jobId\":\"job-1\",\"failureDetails\":{\"type\":\"JobFailed\",\"message\":\"late\"}}");
        HttpResponse<String> unknown = call("CodePipeline_20150709.PutJobSuccessResult", "{\"jobId\":\"job-9\"}");

        assertEquals(200, first.statusCode());
        assertEquals("{}", first.body());
        assertError(again, "InvalidJobStateException");
        assertError(unknown, "JobNotFoundException");
        assertEquals("codepipeline PutJobSuccessResult job job-1: live :80 → app-green",
                recorder.reports().get(0).describe());
    }

    @Test
    void forwardsEveryOtherCallToMotoWithCodeDeployShapedIdsAndEpochTimes() throws Exception {
        recorder.aliasDeployment(ALIAS, MOTO_ID);

        HttpResponse<String> response = call("CodeDeploy_20141006.GetDeployment", "{\"deploymentId\":\"" + ALIAS + "\"}");

        assertEquals(200, response.statusCode());
        assertEquals(List.of("CodeDeploy_20141006.GetDeployment {\"deploymentId\":\"" + MOTO_ID + "\"}"), upstreamBodies,
                "moto is asked with its own id");
        JsonNode info = JSON.readTree(response.body()).path("deploymentInfo");
        assertEquals(ALIAS, info.path("deploymentId").asText());
        assertTrue(info.path("createTime").isNumber(), info.toString());
        assertEquals(1_795_000_000.123, info.path("createTime").asDouble(), 0.0001);
        assertFalse(info.has("startTime"), "a null time is left out, as AWS does");
        assertTrue(recorder.reports().isEmpty());
    }

    private HttpServer upstream() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    upstreamBodies.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + body);
                    byte[] answer = ("{\"deploymentInfo\":{\"deploymentId\":\"" + MOTO_ID + "\",\"createTime\":"
                            + "\"2026-11-18T11:06:40.123Z\",\"startTime\":null,\"status\":\"Created\"}}")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                    exchange.sendResponseHeaders(200, answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> call(String target, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(recorder.endpoint().resolve("/"))
                        .header("X-Amz-Target", target)
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, String code) throws IOException {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(code, JSON.readTree(response.body()).path("__type").asText());
    }
}
