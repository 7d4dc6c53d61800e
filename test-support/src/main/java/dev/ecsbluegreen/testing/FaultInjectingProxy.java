package dev.ecsbluegreen.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A loopback HTTP proxy in front of an AWS endpoint (moto) that passes every call through except the ones a test
 * tells it to disturb, so failures happen on the wire exactly where AWS would produce them. It records every call it
 * saw, and can rewrite the successful answers of an action (to correct an emulator that departs from the wire
 * protocol). Thread-safe; close it after the test.
 *
 * <p>A fault is a rule: which calls ({@link #on(String) on} an action, optionally {@link FaultBuilder#where where} the
 * call matches a predicate), which of those ({@link FaultBuilder#after after} the first n, for
 * {@link FaultBuilder#times times} calls; by default every matching call from then on), and what happens to them:
 *
 * <pre>{@code
 * proxy.on("ModifyRule").where(call -> ruleArn.equals(call.param("RuleArn"))).fail(400, "ValidationError", "no");
 * proxy.on("ModifyListener").after(1).times(1).landThenDrop();  // the write lands in moto, the answer is lost
 * proxy.on("DescribeRules").delay(Duration.ofMillis(20));       // latency on every call, then forwarded
 * }</pre>
 *
 * <ul>
 *   <li>{@link FaultBuilder#fail fail}: an AWS error answer, the call does not reach moto (nothing changes);
 *   <li>{@link FaultBuilder#drop drop}: the connection closes without an answer, the call does not reach moto;
 *   <li>{@link FaultBuilder#landThenFail landThenFail}, {@link FaultBuilder#landThenDrop landThenDrop}: the call is
 *       forwarded to moto (a write lands) and moto's answer is replaced by an error, or by a closed connection;
 *   <li>{@link FaultBuilder#delay delay}: the call is held, then goes on to the other rules and moto.
 * </ul>
 *
 * <p>Each rule counts the calls that match it on its own, whatever other rules did with them, so
 * {@code on("X").times(1)} and {@code on("X").after(1).times(1)} catch the first and the second call of X. Every
 * matching delay applies, in the order the rules were added, before anything else; then the first rule added that
 * answers (fail, drop, land-then-...) decides the answer.
 *
 * <p>What the functions' clients do with it (the SDK's standard retry mode, as {@code core.aws.AwsClients} configures
 * it: up to 3 attempts): a dropped connection reaches them as an {@code SdkClientException}, and a 5xx, a throttling
 * error or a dropped connection is <em>retried</em>. So {@code times(1).landThenDrop()} on a write means moto sees
 * that write twice (the second attempt goes through) and the caller sees success; to make the caller see the failure,
 * catch all three attempts (the default, every call). 4xx errors other than throttling (AccessDenied,
 * ValidationError) are not retried.
 */
public final class FaultInjectingProxy implements AutoCloseable {
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> landed = new ConcurrentHashMap<>();
    private final Map<String, UnaryOperator<byte[]>> rewrites = new ConcurrentHashMap<>();

    /**
     * One API call as the proxy received it.
     *
     * @param action the query protocol's {@code Action} (ELBv2), the JSON protocols' {@code X-Amz-Target} operation
     *               (CodeDeploy, ECS, CodePipeline), else the method and path
     * @param form   the URL-decoded form parameters of a query-protocol call ({@code RuleArn},
     *               {@code ResourceArns.member.1}, ...), in order; empty for other protocols
     * @param body   the request body as text (the JSON of a JSON-protocol call)
     */
    public record Call(String action, Map<String, List<String>> form, String body) {
        public Call {
            form = Collections.unmodifiableMap(new LinkedHashMap<>(form));
        }

        /** The first value of form parameter {@code name}, or null. */
        public String param(String name) {
            List<String> values = form.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** True when some form parameter has the value {@code value}: "this call names resource ARN x". */
        public boolean mentions(String value) {
            return form.values().stream().anyMatch(values -> values.contains(value));
        }
    }

    /** A registered fault: how many calls it acted on; {@link #remove} switches it off. */
    public final class Fault {
        private final String action;
        private final Predicate<Call> where;
        private final int skip;
        private final int times;
        private final Outcome outcome;
        private final AtomicInteger matched = new AtomicInteger();
        private final AtomicInteger caught = new AtomicInteger();

        private Fault(String action, Predicate<Call> where, int skip, int times, Outcome outcome) {
            this.action = action;
            this.where = where;
            this.skip = skip;
            this.times = times;
            this.outcome = outcome;
        }

        /** How many calls this fault delayed, failed or dropped so far. */
        public int caught() {
            return caught.get();
        }

        /** Switches this fault off; calls in flight are not affected. */
        public void remove() {
            faults.remove(this);
        }

        /** Counts {@code call} if it matches, and says whether it falls in this fault's window. */
        private boolean inWindow(Call call) {
            if (!action.equals(call.action()) || !where.test(call)) {
                return false;
            }
            int n = matched.getAndIncrement();
            return n >= skip && n - skip < times;
        }
    }

    /** Which calls a fault catches; ends with what happens to them, which registers the fault. */
    public final class FaultBuilder {
        private final String action;
        private Predicate<Call> where = call -> true;
        private int skip;
        private int times = Integer.MAX_VALUE;

        private FaultBuilder(String action) {
            this.action = action;
        }

        /** Only calls for which {@code predicate} holds (e.g. one rule's ARN); the others pass and are not counted. */
        public FaultBuilder where(Predicate<Call> predicate) {
            where = where.and(predicate);
            return this;
        }

        /** Lets the first {@code calls} matching calls pass untouched. */
        public FaultBuilder after(int calls) {
            skip = requireNonNegative(calls);
            return this;
        }

        /** Catches {@code calls} matching calls, then lets every later one pass (default: all of them). */
        public FaultBuilder times(int calls) {
            times = requireNonNegative(calls);
            return this;
        }

        /**
         * Answers an AWS query-protocol error (ELBv2's XML {@code ErrorResponse}) with {@code status}; the call does
         * not reach moto.
         */
        public Fault fail(int status, String code, String message) {
            return add(new Answer(new ErrorAnswer(status, code, message), false));
        }

        /** Closes the connection without an answer; the call does not reach moto. */
        public Fault drop() {
            return add(new Answer(null, false));
        }

        /** Forwards the call to moto (a write lands), then answers this AWS error instead of moto's answer. */
        public Fault landThenFail(int status, String code, String message) {
            return add(new Answer(new ErrorAnswer(status, code, message), true));
        }

        /** Forwards the call to moto (a write lands), then closes the connection without an answer. */
        public Fault landThenDrop() {
            return add(new Answer(null, true));
        }

        /** Holds each caught call for {@code latency} before it goes on (to the other faults, then to moto). */
        public Fault delay(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("negative latency " + latency);
            }
            return add(new Delay(latency));
        }

        private Fault add(Outcome outcome) {
            Fault fault = new Fault(action, where, skip, times, outcome);
            faults.add(fault);
            return fault;
        }
    }

    private sealed interface Outcome permits Delay, Answer {}

    private record Delay(Duration latency) implements Outcome {}

    /** @param error the error to answer, null to close the connection instead */
    private record Answer(ErrorAnswer error, boolean forwardFirst) implements Outcome {}

    private record ErrorAnswer(int status, String code, String message) {
        byte[] body() {
            return """
                    <ErrorResponse xmlns="https://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
                      <Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>
                      <RequestId>00000000-0000-0000-0000-000000000000</RequestId>
                    </ErrorResponse>""".formatted(status >= 500 ? "Receiver" : "Sender", code, message)
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    public FaultInjectingProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** A fault on the calls of {@code action} ({@code ModifyRule}, {@code GetDeployment}, ...): see the class comment. */
    public FaultBuilder on(String action) {
        return new FaultBuilder(Objects.requireNonNull(action, "action"));
    }

    /**
     * Makes calls of a query-protocol {@code action} (ELBv2's {@code ModifyRule}, …) fail with an AWS error after
     * {@code skip} calls of it have passed, for {@code times} calls (use {@link Integer#MAX_VALUE} for "from then
     * on"): {@code on(action).after(skip).times(times).fail(status, code, message)}.
     */
    public void failQueryAction(String action, int skip, int times, int status, String code, String message) {
        on(action).after(skip).times(times).fail(status, code, message);
    }

    /** Adds {@code latency} to calls of {@code action}: {@code on(action).after(skip).times(times).delay(latency)}. */
    public void delay(String action, int skip, int times, Duration latency) {
        on(action).after(skip).times(times).delay(latency);
    }

    /** Switches every fault off (answer rewrites stay: they correct the emulator, they are not faults). */
    public void clearFaults() {
        faults.clear();
    }

    /** Passes every successful (200) answer to {@code action} through {@code rewrite} on its way back. */
    public void rewriteAnswers(String action, UnaryOperator<byte[]> rewrite) {
        rewrites.put(action, rewrite);
    }

    /** Every call that reached the proxy, in order of arrival. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Every API action that reached the proxy, in order (query {@code Action} or JSON {@code X-Amz-Target}). */
    public List<String> actions() {
        return calls().stream().map(Call::action).toList();
    }

    /** How many calls of {@code action} reached the proxy (retries included). */
    public long count(String action) {
        return actions().stream().filter(action::equals).count();
    }

    /** How many calls of {@code action} the proxy forwarded to moto: passed through, or landed before a fault. */
    public int landed(String action) {
        AtomicInteger n = landed.get(action);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Call call = callOf(exchange, body);
            calls.add(call);
            Answer answer = null;
            for (Fault fault : faults) {
                if (!fault.inWindow(call)) {
                    continue;
                }
                if (fault.outcome instanceof Delay delay) {
                    fault.caught.incrementAndGet();
                    sleep(delay.latency());
                } else if (answer == null) {
                    fault.caught.incrementAndGet();
                    answer = (Answer) fault.outcome;
                }
            }
            if (answer == null) {
                relay(exchange, call, forward(exchange, call, body));
                return;
            }
            if (answer.forwardFirst()) {
                forward(exchange, call, body);
            }
            if (answer.error() == null) {
                // before any response header: the JDK's server then closes the connection without an answer
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            respond(exchange, answer.error().status(), answer.error().body());
        } finally {
            exchange.close();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, Call call, byte[] body) throws IOException {
        HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> forward.header(name, value));
            }
        });
        try {
            HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            landed.computeIfAbsent(call.action(), a -> new AtomicInteger()).incrementAndGet();
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while forwarding " + call.action());
        }
    }

    private void relay(HttpExchange exchange, Call call, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        UnaryOperator<byte[]> rewrite = rewrites.get(call.action());
        respond(exchange, response.statusCode(),
                rewrite != null && response.statusCode() == 200 ? rewrite.apply(response.body()) : response.body());
    }

    private static Call callOf(HttpExchange exchange, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            return new Call(target.substring(target.indexOf('.') + 1), Map.of(), text);
        }
        Map<String, List<String>> form = new LinkedHashMap<>();
        try {
            for (String pair : text.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    form.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                }
            }
        } catch (IllegalArgumentException notAForm) {
            form.clear();
        }
        List<String> action = form.get("Action");
        if (action != null && !action.isEmpty()) {
            return new Call(action.get(0), form, text);
        }
        return new Call(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(), form, text);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(Duration latency) throws InterruptedIOException {
        try {
            Thread.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while delaying a call");
        }
    }

    private static int requireNonNegative(int calls) {
        if (calls < 0) {
            throw new IllegalArgumentException("negative call count " + calls);
        }
        return calls;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
