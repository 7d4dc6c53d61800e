package dev.ecsbluegreen.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One version of the application (blue v1 or green v2) on a loopback port: {@code /} and {@code /health}
 * answer with the version, {@value #ORDERS_PATH} (the load generator's path) with a small JSON document;
 * {@link Mode#BROKEN} answers 500 everywhere, {@link Mode#SLOW} answers correctly but only after
 * {@link #SLOW_DELAY}. An error rate of N % answers 500 to N of every 100 requests to {@value #ORDERS_PATH},
 * evenly spread (the 1st, 21st, 41st … at 5 %), and to nothing else: the smoke tests never see it, the metrics do.
 */
public final class DemoApp implements App, AutoCloseable {
    /** How long a slow green takes for every answer: longer than the hooks' latency limit, shorter than their timeout. */
    static final Duration SLOW_DELAY = Duration.ofMillis(1500);
    /** The application's API: what the load generator asks for, and the only path an error rate fails. */
    public static final String ORDERS_PATH = "/api/orders";

    public enum Mode {
        HEALTHY(null), BROKEN("--broken-green"), SLOW("--slow-green"), FAILS_LIVE("--green-fails-live");

        private final String flag;

        Mode(String flag) {
            this.flag = flag;
        }

        /** The command-line flag that selects this mode for green; null for the healthy default. */
        public String flag() {
            return flag;
        }
    }

    private final String color;
    private final String version;
    private final Mode mode;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private final int livePort;
    private final int errorPercent;
    private final AtomicLong ordersAnswered = new AtomicLong();

    /** @param livePort the load balancer's live listener port, which {@link Mode#FAILS_LIVE} fails */
    public DemoApp(String color, String version, Mode mode, int livePort) {
        this(color, version, mode, livePort, 0);
    }

    /** @param errorPercent 0–100: the share of {@value #ORDERS_PATH} requests answered 500 */
    public DemoApp(String color, String version, Mode mode, int livePort, int errorPercent) {
        if (errorPercent < 0 || errorPercent > 100) {
            throw new IllegalArgumentException("an error rate is a percentage from 0 to 100, not " + errorPercent);
        }
        this.errorPercent = errorPercent;
        this.livePort = livePort;
        this.color = color;
        this.version = version;
        this.mode = mode;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String color() {
        return color;
    }

    public String version() {
        return version;
    }

    public Mode mode() {
        return mode;
    }

    /** The share of {@value #ORDERS_PATH} requests it answers 500, in percent. */
    public int errorPercent() {
        return errorPercent;
    }

    /**
     * Whether the n-th request (from 1) is one of the failing ones: exactly {@code percent} of every 100, spread
     * evenly (the n-th fails when n × percent / 100, rounded up, reaches a new whole number), so a run fails the same
     * requests.
     */
    static boolean failsRequest(long n, int percent) {
        // the first of each share, not the last: a canary's first few requests already show the error rate, so that
        // a short bake catches it however its measurements fall (every 20th, at request 20, could come after them)
        return ceilDiv(n * percent, 100) > ceilDiv((n - 1) * percent, 100);
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (mode == Mode.SLOW) {
                try {
                    Thread.sleep(SLOW_DELAY);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            String path = exchange.getRequestURI().getPath();
            int status;
            String body;
            boolean live = String.valueOf(livePort).equals(exchange.getRequestHeaders().getFirst("X-Forwarded-Port"));
            if (mode == Mode.BROKEN || (mode == Mode.FAILS_LIVE && live)) {
                status = 500;
                body = color + " " + version + ": internal error (started with " + mode.flag() + ")\n";
            } else if ("/health".equals(path)) {
                status = 200;
                body = "ok " + version + "\n";
            } else if ("/".equals(path)) {
                status = 200;
                body = "hello from " + color + " " + version + "\n";
            } else if (ORDERS_PATH.equals(path)) {
                boolean fails = failsRequest(ordersAnswered.incrementAndGet(), errorPercent);
                status = fails ? 500 : 200;
                body = fails ? color + " " + version + ": internal error (" + errorPercent + " % of " + ORDERS_PATH
                        + " fail, --green-error-rate)\n" : "{\"orders\":[],\"servedBy\":\"" + version + "\"}\n";
            } else {
                status = 404;
                body = "not found (" + color + " " + version + ")\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("X-App-Version", version);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
