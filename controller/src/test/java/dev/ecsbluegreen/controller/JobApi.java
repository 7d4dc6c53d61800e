package dev.ecsbluegreen.controller;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.core.Json;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * CodePipeline's job API on a local server (moto answers {@code PutJob*Result} with HTTP 500): answers 200 unless
 * told to fail, and gives the test each report as it came on the wire.
 */
final class JobApi implements AutoCloseable {
    private final MockWebServer server = new MockWebServer();

    /** @param operation {@code PutJobSuccessResult} or {@code PutJobFailureResult}, from {@code X-Amz-Target} */
    record Report(String operation, JsonNode body) {
        boolean continues() {
            return body.hasNonNull("continuationToken");
        }
    }

    private final AtomicInteger failures = new AtomicInteger();

    JobApi() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                boolean fail = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                return new MockResponse.Builder().code(fail ? 500 : 200).setHeader("Content-Type", "application/x-amz-json-1.1")
                        .body(fail ? "{\"__type\":\"InternalFailure\",\"message\":\"down\"}" : "{}").build();
            }
        });
        server.start();
    }

    URI endpoint() {
        return server.url("/").uri();
    }

    /** The next {@code times} reports are answered 500. */
    void failNext(int times) {
        failures.set(times);
    }

    Report next() throws Exception {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(request, "nothing was reported to CodePipeline");
        String target = request.getHeaders().get("X-Amz-Target");
        return new Report(target.substring(target.indexOf('.') + 1), Json.newMapper().readTree(request.getBody().utf8()));
    }

    void assertNothingMore() throws InterruptedException {
        assertNull(server.takeRequest(200, TimeUnit.MILLISECONDS), "a second report reached CodePipeline");
    }

    @Override
    public void close() {
        server.close();
    }
}
