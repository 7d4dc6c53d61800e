package dev.ecsbluegreen.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Lambda's service side of the Runtime API (version 2018-06-01) for one execution environment: the runtime polls
 * {@code GET /2018-06-01/runtime/invocation/next} and gets the next event with Lambda's headers
 * ({@code Lambda-Runtime-Aws-Request-Id}, {@code -Deadline-Ms}, {@code -Invoked-Function-Arn}, {@code -Trace-Id});
 * it posts the handler's result to {@code …/invocation/{id}/response} or {@code …/{id}/error}, and an init failure
 * to {@code /runtime/init/error}. Records when each step happened ({@link System#nanoTime()}), which is all the
 * benchmark's timing rests on. Thread-safe.
 *
 * <p>Nagle is off on its sockets (see {@link Bench}): otherwise a reply written in two parts can wait for a delayed
 * ACK (about 40 ms on Linux) and that wait would be counted as the function's.
 */
final class RuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime";

    /**
     * The {@code Lambda-Runtime-Trace-Id} of each event: sampled (Active tracing), unsampled (PassThrough with no
     * traced caller) or absent. The runtime client only copies it to the {@code com.amazonaws.xray.traceHeader}
     * system property; what it costs beyond that is the function's own tracing code.
     */
    enum Trace { SAMPLED, UNSAMPLED, NONE }

    /**
     * One invocation's outcome.
     *
     * @param error         the runtime posted to {@code /error} (a function error), not {@code /response}
     * @param body          what it posted
     * @param sentNanos     when the event was handed to the runtime
     * @param answeredNanos when its response (or error) arrived
     */
    record Result(String requestId, boolean error, String body, long sentNanos, long answeredNanos) {
        double millis() {
            return (answeredNanos - sentNanos) / 1e6;
        }
    }

    private record Pending(String requestId, byte[] event, CompletableFuture<Result> done, AtomicLong sent) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String functionArn;
    private final Duration functionTimeout;
    private final Trace trace;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong firstPoll = new AtomicLong();
    private volatile String initError;

    /**
     * @param functionTimeout the function's configured timeout: each event's deadline
     */
    RuntimeApi(String functionName, Duration functionTimeout) {
        this(functionName, functionTimeout, Trace.UNSAMPLED);
    }

    RuntimeApi(String functionName, Duration functionTimeout, Trace trace) {
        this.trace = trace;
        this.functionArn = "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
        this.functionTimeout = functionTimeout;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(PREFIX + "/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** When the runtime first asked for an event (the end of Lambda's init phase), or 0 while it has not. */
    long firstPollNanos() {
        return firstPoll.get();
    }

    /**
     * Hands {@code event} to the runtime's next poll and waits for its answer.
     *
     * @param alive whether the runtime's process still runs: a dead one ends the wait at once
     * @throws BenchFailure when the runtime reported an init error, died, or did not answer within {@code wait}
     */
    Result invoke(byte[] event, Duration wait, BooleanSupplier alive) {
        Pending pending = new Pending(UUID.randomUUID().toString(), event, new CompletableFuture<>(), new AtomicLong());
        inFlight.put(pending.requestId(), pending);
        queue.add(pending);
        long end = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                try {
                    return pending.done().get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (initError != null) {
                        throw new BenchFailure("the runtime reported an init error: " + initError);
                    }
                    if (!alive.getAsBoolean()) {
                        throw new BenchFailure("the function's JVM exited before answering");
                    }
                    if (System.nanoTime() > end) {
                        throw new BenchFailure("no answer within " + wait.toSeconds() + " s");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        } catch (ExecutionException e) {
            throw new BenchFailure("invocation failed: " + e.getCause());
        } finally {
            queue.remove(pending);
            inFlight.remove(pending.requestId());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("GET") && path.equals(PREFIX + "/invocation/next")) {
                next(exchange);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            long now = System.nanoTime();
            if (exchange.getRequestMethod().equals("POST") && path.equals(PREFIX + "/init/error")) {
                initError = errorType(exchange) + " " + new String(body, StandardCharsets.UTF_8);
                reply(exchange, 202, "{\"status\":\"OK\"}");
                return;
            }
            String invocationPrefix = PREFIX + "/invocation/";
            if (exchange.getRequestMethod().equals("POST") && path.startsWith(invocationPrefix)) {
                String rest = path.substring(invocationPrefix.length());
                int slash = rest.lastIndexOf('/');
                String requestId = slash < 0 ? "" : rest.substring(0, slash);
                String action = slash < 0 ? "" : rest.substring(slash + 1);
                Pending pending = inFlight.get(requestId);
                if (pending == null || !(action.equals("response") || action.equals("error"))) {
                    reply(exchange, 400, "{\"errorType\":\"InvalidRequestID\",\"errorMessage\":\"unknown request " + requestId + "\"}");
                    return;
                }
                String text = new String(body, StandardCharsets.UTF_8);
                if (action.equals("error")) {
                    text = errorType(exchange) + " " + text;
                }
                pending.done().complete(new Result(requestId, action.equals("error"), text, pending.sent().get(), now));
                reply(exchange, 202, "{\"status\":\"OK\"}");
                return;
            }
            reply(exchange, 404, "{\"errorType\":\"NotFound\",\"errorMessage\":\"" + path + "\"}");
        }
    }

    /** Long poll: blocks (a virtual thread) until an event is queued. */
    private void next(HttpExchange exchange) throws IOException {
        firstPoll.compareAndSet(0, System.nanoTime());
        Pending pending;
        try {
            pending = queue.take();
        } catch (InterruptedException e) {
            // shutting down: drop the connection, as a destroyed sandbox would
            Thread.currentThread().interrupt();
            return;
        }
        pending.sent().set(System.nanoTime());
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", pending.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + functionTimeout.toMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        if (trace != Trace.NONE) {
            headers.set("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                    + pending.requestId().replace("-", "").substring(0, 24) + ";Parent=0000000000000000;Sampled="
                    + (trace == Trace.SAMPLED ? "1" : "0"));
        }
        exchange.sendResponseHeaders(200, pending.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(pending.event());
        }
    }

    private static String errorType(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        return type == null ? "" : "[" + type + "]";
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
