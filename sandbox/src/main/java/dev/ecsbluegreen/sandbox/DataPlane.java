package dev.ecsbluegreen.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.core.Wildcards;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load balancer's data plane on this machine: one loopback port per listener of the emulator's load balancer.
 * Each request is routed as an ALB routes it — rules in priority order (path-pattern and host-header conditions),
 * then the default action; a weighted forward picks a target group by weight; healthy targets round-robin — using
 * the emulator's routing read at most {@link #ROUTING_TTL} ago. Forwards only to targets on 127.0.0.1, with the
 * {@code X-Forwarded-For/-Proto/-Port} headers an ALB adds. Adds
 * {@code X-Sandbox-Target-Group} to every answer so a caller can see which target group served it, and tells its
 * {@link TrafficObserver} of every answer a target gave (the load balancer's metrics).
 */
public final class DataPlane implements AutoCloseable {
    static final Duration ROUTING_TTL = Duration.ofMillis(200);
    static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(10);
    public static final String SERVED_BY = "X-Sandbox-Target-Group";
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final RoutingSource source;
    private final TrafficObserver observer;
    private final Map<Integer, HttpServer> servers = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicLong roundRobin = new AtomicLong();
    private Routing cached;
    private long cachedAt;

    /** @param listenerPorts the emulator's listener ports to serve, each on a free loopback port */
    public DataPlane(RoutingSource source, List<Integer> listenerPorts) {
        this(source, listenerPorts, TrafficObserver.NONE);
    }

    /** @param observer told of every target's answer */
    public DataPlane(RoutingSource source, List<Integer> listenerPorts, TrafficObserver observer) {
        this.source = source;
        this.observer = observer;
        for (int listenerPort : listenerPorts) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                server.createContext("/", exchange -> serve(listenerPort, exchange));
                server.setExecutor(executor);
                server.start();
                servers.put(listenerPort, server);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The local URL serving the emulator's listener on {@code listenerPort}. */
    public URI url(int listenerPort) {
        HttpServer server = servers.get(listenerPort);
        if (server == null) {
            throw new IllegalArgumentException("no local port serves listener :" + listenerPort);
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The routing at most {@link #ROUTING_TTL} old. */
    public synchronized Routing routing() {
        long now = System.nanoTime();
        if (cached == null || now - cachedAt > ROUTING_TTL.toNanos()) {
            cached = source.read();
            cachedAt = System.nanoTime();
        }
        return cached;
    }

    /**
     * Reads the routing now, for a caller that must see a change it just made: with steady traffic the cache is
     * always young, so a request right after a change could still be routed by what was there before.
     */
    public synchronized Routing refresh() {
        cached = source.read();
        cachedAt = System.nanoTime();
        return cached;
    }

    /** {@link #refresh()}, or the cached routing when the emulator cannot be read now. */
    private Routing refreshQuietly() {
        try {
            return refresh();
        } catch (RuntimeException e) {
            return routing();
        }
    }

    private void serve(int listenerPort, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Routing routing;
            try {
                routing = routing();
            } catch (RuntimeException e) {
                answer(exchange, 503, null, "the emulator did not say where listener :" + listenerPort
                        + " routes: " + e.getMessage());
                return;
            }
            String host = exchange.getRequestHeaders().getFirst("Host");
            Routing.Rule rule = match(routing.listener(listenerPort), exchange.getRequestURI().getPath(), host);
            if (rule == null || rule.forward() == null) {
                answer(exchange, 503, null, "listener :" + listenerPort + " does not forward this request ("
                        + (rule == null ? "no rule matches" : rule.otherAction() + " actions are not emulated") + ")");
                return;
            }
            String picked = pick(rule.forward());
            if (picked == null) {
                answer(exchange, 503, null, "every target group of the forward has weight 0");
                return;
            }
            Routing.TargetGroup group = routing.targetGroups().get(picked);
            if (group != null && group.targets().isEmpty()) {
                // a target registered since the cached reading serves at once (the external mode registers a new task
                // set's stand-in a moment after ECS says STEADY_STATE), instead of a 503 for up to ROUTING_TTL
                group = refreshQuietly().targetGroups().getOrDefault(picked, group);
            }
            if (group == null || group.targets().isEmpty()) {
                answer(exchange, 503, group == null ? null : group.name(), "no registered targets");
                return;
            }
            List<Routing.Target> healthy = group.targets().stream().filter(Routing.Target::healthy).toList();
            // like ELB: with no healthy target, route to all of them ("fail open")
            List<Routing.Target> candidates = healthy.isEmpty() ? group.targets() : healthy;
            Routing.Target target = candidates.get((int) Math.floorMod(roundRobin.getAndIncrement(), (long) candidates.size()));
            if (!"127.0.0.1".equals(target.ip())) {
                answer(exchange, 502, group.name(), "target " + target.ip() + ":" + target.port()
                        + " is not on 127.0.0.1: the sandbox forwards to this machine only");
                return;
            }
            forward(exchange, listenerPort, body, group, target);
        }
    }

    private void forward(HttpExchange exchange, int listenerPort, byte[] body, Routing.TargetGroup group, Routing.Target target)
            throws IOException {
        String groupName = group.name();
        URI uri = URI.create("http://127.0.0.1:" + target.port() + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(FORWARD_TIMEOUT)
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.toLowerCase(Locale.ROOT).startsWith("x-forwarded-")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        // what an ALB tells its targets about the request
        request.header("X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress());
        request.header("X-Forwarded-Proto", "http");
        request.header("X-Forwarded-Port", String.valueOf(listenerPort));
        HttpResponse<byte[]> response;
        long sent = System.nanoTime();
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            answer(exchange, 502, groupName, "target 127.0.0.1:" + target.port() + " did not answer: " + e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(exchange, 502, groupName, "interrupted");
            return;
        }
        observe(group.arn(), response.statusCode(), Duration.ofNanos(System.nanoTime() - sent));
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.getResponseHeaders().set(SERVED_BY, groupName);
        byte[] answer = response.body();
        boolean noBody = "HEAD".equals(exchange.getRequestMethod()) || answer.length == 0;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    /** The observer's trouble is never the request's. */
    private void observe(String targetGroupArn, int status, Duration responseTime) {
        try {
            observer.served(targetGroupArn, status, responseTime);
        } catch (RuntimeException e) {
            // the metrics miss one answer; the request goes on
        }
    }

    /** The first rule whose conditions all match (the default rule has none), or null. */
    static Routing.Rule match(Routing.Listener listener, String path, String host) {
        for (Routing.Rule rule : listener.rules()) {
            if (rule.conditions().stream().allMatch(condition -> matches(condition, path, host))) {
                return rule;
            }
        }
        return null;
    }

    private static boolean matches(Routing.Condition condition, String path, String host) {
        return switch (condition.field()) {
            case "path-pattern" -> condition.values().stream().anyMatch(value -> wildcard(value, path, false));
            case "host-header" -> host != null && condition.values().stream()
                    .anyMatch(value -> wildcard(value, host.replaceFirst(":\\d+$", ""), true));
            default -> false; // http-header, query-string, source-ip, …: not emulated, so never matched
        };
    }

    /** ELB's wildcards: {@code *} any characters, {@code ?} one character. */
    static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        return Wildcards.matches(pattern, value, ignoreCase);
    }

    /** A target group ARN drawn with probability proportional to its weight (weights of 0 never drawn); null when no weight is above 0. */
    static String pick(Forward forward) {
        int total = forward.totalWeight();
        if (total == 0) {
            return null;
        }
        int draw = ThreadLocalRandom.current().nextInt(total);
        for (TargetWeight target : forward.targets()) {
            draw -= target.weight();
            if (draw < 0) {
                return target.targetGroupArn();
            }
        }
        throw new IllegalStateException("unreachable: weights " + forward.targets());
    }

    private static void answer(HttpExchange exchange, int status, String groupName, String message) throws IOException {
        byte[] body = ("sandbox load balancer: " + message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (groupName != null) {
            exchange.getResponseHeaders().set(SERVED_BY, groupName);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        servers.values().forEach(server -> server.stop(0));
        executor.shutdownNow();
    }
}
