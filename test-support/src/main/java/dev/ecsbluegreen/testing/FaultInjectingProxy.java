package dev.ecsbluegreen.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A loopback HTTP proxy in front of an AWS endpoint (moto) that passes every call through except the ones a
 * test tells it to fail, so failures happen on the wire exactly where AWS would produce them. It also
 * records the API action of every call it saw, and can rewrite the successful answers of an action (to correct an
 * emulator that departs from the wire protocol). Thread-safe; close it after the test.
 */
public final class FaultInjectingProxy implements AutoCloseable {
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final URI upstream;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<String> actions = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, UnaryOperator<byte[]>> rewrites = new ConcurrentHashMap<>();

    private record Fault(String action, int skip, AtomicInteger seen, int times, int status, String contentType,
                         String body) {}

    public FaultInjectingProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /**
     * Makes calls of a query-protocol {@code action} (ELBv2's {@code ModifyRule}, …) fail with an AWS error
     * after {@code skip} calls of it have passed, for {@code times} calls (use {@link Integer#MAX_VALUE} for
     * "from then on").
     */
    public void failQueryAction(String action, int skip, int times, int status, String code, String message) {
        String body = """
                <ErrorResponse xmlns="https://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
                  <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
                  <RequestId>00000000-0000-0000-0000-000000000000</RequestId>
                </ErrorResponse>""".formatted(code, message);
        faults.add(new Fault(action, skip, new AtomicInteger(), times, status, "text/xml", body));
    }

    /** Passes every successful (200) answer to {@code action} through {@code rewrite} on its way back. */
    public void rewriteAnswers(String action, UnaryOperator<byte[]> rewrite) {
        rewrites.put(action, rewrite);
    }

    /** Every API action that reached the proxy, in order (query {@code Action} or JSON {@code X-Amz-Target}). */
    public List<String> actions() {
        synchronized (actions) {
            return List.copyOf(actions);
        }
    }

    public long count(String action) {
        return actions().stream().filter(action::equals).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String action = actionOf(exchange, body);
        actions.add(action);
        for (Fault fault : faults) {
            if (fault.action().equals(action)) {
                int n = fault.seen().getAndIncrement();
                if (n >= fault.skip() && n - fault.skip() < fault.times()) {
                    respond(exchange, fault.status(), fault.contentType(), fault.body().getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> forward.header(name, value));
            }
        });
        try {
            HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            UnaryOperator<byte[]> rewrite = rewrites.get(action);
            byte[] answer = rewrite != null && response.statusCode() == 200 ? rewrite.apply(response.body()) : response.body();
            respond(exchange, response.statusCode(), null, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 502, "text/plain", new byte[0]);
        }
    }

    private static String actionOf(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            return target.substring(target.indexOf('.') + 1);
        }
        String form = new String(body, StandardCharsets.UTF_8);
        for (String pair : form.split("&")) {
            if (pair.startsWith("Action=")) {
                return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
            }
        }
        return exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
