package dev.ecsbluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The Runtime API against a runtime played by a plain HTTP client, as the RIC speaks to it. */
class RuntimeApiTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void handsTheEventToTheNextPollWithLambdasHeadersAndTimesTheAnswer() throws Exception {
        try (RuntimeApi api = new RuntimeApi("fn", Duration.ofSeconds(60))) {
            URI base = URI.create("http://" + api.address() + "/2018-06-01/runtime/");
            CompletableFuture<String> runtime = CompletableFuture.supplyAsync(() -> {
                HttpResponse<String> next = send(HttpRequest.newBuilder(base.resolve("invocation/next")).GET());
                String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                long deadline = Long.parseLong(next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
                assertTrue(deadline > System.currentTimeMillis() + 55_000, "deadline " + deadline);
                assertEquals("arn:aws:lambda:us-east-1:123456789012:function:fn",
                        next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn").orElseThrow());
                HttpResponse<String> posted = send(HttpRequest.newBuilder(base.resolve("invocation/" + id + "/response"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"echo\":" + next.body() + "}")));
                assertEquals(202, posted.statusCode());
                return id;
            });

            RuntimeApi.Result result = api.invoke("{\"n\":1}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10), () -> true);

            assertEquals(runtime.get(), result.requestId());
            assertFalse(result.error());
            assertEquals("{\"echo\":{\"n\":1}}", result.body());
            assertTrue(api.firstPollNanos() > 0 && result.sentNanos() >= api.firstPollNanos()
                    && result.answeredNanos() >= result.sentNanos());
        }
    }

    @Test
    void aPostedErrorIsAFunctionErrorAndAnUnknownRequestIsRefused() throws Exception {
        try (RuntimeApi api = new RuntimeApi("fn", Duration.ofSeconds(60))) {
            URI base = URI.create("http://" + api.address() + "/2018-06-01/runtime/");
            CompletableFuture.runAsync(() -> {
                assertEquals(400, send(HttpRequest.newBuilder(base.resolve("invocation/nope/response"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode());
                String id = send(HttpRequest.newBuilder(base.resolve("invocation/next")).GET()).headers()
                        .firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                send(HttpRequest.newBuilder(base.resolve("invocation/" + id + "/error"))
                        .header("Lambda-Runtime-Function-Error-Type", "Runtime.Boom")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"errorMessage\":\"boom\"}")));
            });

            RuntimeApi.Result result = api.invoke("{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10), () -> true);

            assertTrue(result.error());
            assertEquals("[Runtime.Boom] {\"errorMessage\":\"boom\"}", result.body());
        }
    }

    @Test
    void theTraceHeaderIsSampledUnsampledOrAbsentAsTold() throws Exception {
        for (RuntimeApi.Trace trace : RuntimeApi.Trace.values()) {
            try (RuntimeApi api = new RuntimeApi("fn", Duration.ofSeconds(60), trace)) {
                URI base = URI.create("http://" + api.address() + "/2018-06-01/runtime/");
                CompletableFuture<String> header = CompletableFuture.supplyAsync(() -> {
                    HttpResponse<String> next = send(HttpRequest.newBuilder(base.resolve("invocation/next")).GET());
                    String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                    send(HttpRequest.newBuilder(base.resolve("invocation/" + id + "/response"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}")));
                    return next.headers().firstValue("Lambda-Runtime-Trace-Id").orElse(null);
                });

                api.invoke("{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10), () -> true);

                String value = header.get();
                switch (trace) {
                    case SAMPLED -> assertTrue(value.startsWith("Root=1-") && value.endsWith(";Sampled=1"), value);
                    case UNSAMPLED -> assertTrue(value.startsWith("Root=1-") && value.endsWith(";Sampled=0"), value);
                    case NONE -> assertEquals(null, value);
                }
            }
        }
    }

    @Test
    void aRuntimeThatDiesEndsTheWaitAtOnce() {
        try (RuntimeApi api = new RuntimeApi("fn", Duration.ofSeconds(60))) {
            long started = System.nanoTime();
            BenchFailure failure = assertThrows(BenchFailure.class,
                    () -> api.invoke(new byte[0], Duration.ofSeconds(30), () -> false));
            assertTrue(failure.getMessage().contains("exited"), failure.getMessage());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
