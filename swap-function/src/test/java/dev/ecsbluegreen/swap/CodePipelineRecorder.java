package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Json;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Stands in for CodePipeline's job API (moto does not implement {@code PutJob*Result}): answers as CodePipeline
 * does and hands each request, as it arrived on the wire, to the test.
 */
final class CodePipelineRecorder implements AutoCloseable {
    static final String SUCCESS = "CodePipeline_20150709.PutJobSuccessResult";
    static final String FAILURE = "CodePipeline_20150709.PutJobFailureResult";
    private static final ObjectMapper MAPPER = Json.newMapper();

    /** One report as it arrived: the {@code X-Amz-Target} operation and the JSON body. */
    record Report(String target, JsonNode body) {
        String failureType() {
            return body.path("failureDetails").path("type").asText();
        }

        String failureMessage() {
            return body.path("failureDetails").path("message").asText();
        }

        String summary() {
            return body.path("executionDetails").path("summary").asText();
        }
    }

    private final MockWebServer server = new MockWebServer();

    CodePipelineRecorder() throws IOException {
        server.start();
    }

    URI endpoint() {
        return server.url("/").uri();
    }

    void answerOk() {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/x-amz-json-1.1").body("{}").build());
    }

    void answerAlreadyReported() {
        server.enqueue(new MockResponse.Builder().code(400).setHeader("Content-Type", "application/x-amz-json-1.1")
                .body("{\"__type\":\"InvalidJobStateException\",\"message\":\"Job is not in progress\"}").build());
    }

    void answerServerError(int times) {
        for (int i = 0; i < times; i++) {
            server.enqueue(new MockResponse.Builder().code(500).setHeader("Content-Type", "application/x-amz-json-1.1")
                    .body("{\"__type\":\"InternalFailure\",\"message\":\"boom\"}").build());
        }
    }

    /** The next report; fails the test when none arrives. */
    Report take() throws Exception {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(request, "no report reached CodePipeline");
        assertEquals("POST", request.getMethod());
        assertEquals("application/x-amz-json-1.1", request.getHeaders().get("Content-Type"));
        return new Report(request.getHeaders().get("X-Amz-Target"), MAPPER.readTree(request.getBody().utf8()));
    }

    void assertNoMoreReports() throws InterruptedException {
        assertNull(server.takeRequest(200, TimeUnit.MILLISECONDS), "more than one report reached CodePipeline");
    }

    int count() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        server.close();
    }
}
