package dev.ecsbluegreen.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of an AWS endpoint (moto, or the sandbox's report endpoint) that counts the API calls going
 * through it: the functions' {@code AWS_ENDPOINT_URL_<SERVICE>} point here, so every call they make is counted as
 * it is on the wire, SDK retries included. Each call is named {@code service:Operation} from the request's SigV4
 * credential scope and its {@code X-Amz-Target} header (JSON protocols) or {@code Action} parameter (query
 * protocol).
 *
 * <p>Requests are read only as far as needed to find their end (head, then {@code Content-Length} bytes) and are
 * passed on byte for byte; answers are not parsed at all. That keeps the cost to a loopback hop (well under a
 * millisecond; an HTTP-level proxy on the JDK's server and client cost 3–4 ms a call here). Thread-safe.
 */
final class CountingProxy implements AutoCloseable {
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([^&]+)");
    private static final int MAX_HEAD = 64 * 1024;

    /**
     * Calls by {@code service:Operation}, and the most calls that were in flight at once, shared by the proxies of
     * one fixture. A call is in flight from its request until the first bytes of its answer. Thread-safe.
     */
    static final class Calls {
        private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();

        /** What was counted since the last {@link #take()}. */
        record Counted(Map<String, Long> byOperation, int peakConcurrency) {
            Counted {
                byOperation = Collections.unmodifiableMap(new TreeMap<>(byOperation));
            }

            long total() {
                return byOperation.values().stream().mapToLong(Long::longValue).sum();
            }
        }

        void started(String operation) {
            byOperation.computeIfAbsent(operation, k -> new LongAdder()).increment();
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        }

        void answered(int calls) {
            inFlight.addAndGet(-calls);
        }

        /** The counts so far, and zero again. */
        synchronized Counted take() {
            Map<String, Long> counts = new TreeMap<>();
            byOperation.forEach((operation, count) -> {
                long value = count.sumThenReset();
                if (value > 0) {
                    counts.put(operation, value);
                }
            });
            return new Counted(counts, peak.getAndSet(inFlight.get()));
        }
    }

    private final InetSocketAddress upstream;
    private final Calls calls;
    private final long latencyMillis;
    private final ServerSocket server;
    private volatile boolean closed;

    CountingProxy(URI upstream, Calls calls) {
        this(upstream, calls, 0);
    }

    /**
     * @param latencyMillis added to every call before it is passed on, standing in for the network round trip and
     *                      service time of AWS (calls on separate connections wait at the same time, as on a network)
     */
    CountingProxy(URI upstream, Calls calls, long latencyMillis) {
        this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        this.calls = calls;
        this.latencyMillis = latencyMillis;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("counting-proxy-" + server.getLocalPort()).start(this::accept);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("bench proxy: " + e);
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket target = new Socket()) {
            client.setTcpNoDelay(true);
            target.setTcpNoDelay(true);
            target.connect(upstream, 5000);
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            OutputStream toTarget = target.getOutputStream();
            AtomicInteger unanswered = new AtomicInteger();
            Thread answers = Thread.ofVirtual().start(() -> answers(target, client, unanswered));
            while (true) {
                byte[] head = readHead(fromClient);
                if (head == null) {
                    break;
                }
                String headText = new String(head, StandardCharsets.ISO_8859_1);
                long length = contentLength(headText);
                if (length < 0) {
                    // chunked or unknown length: count it, then pass the rest of the connection through as it is
                    unanswered.incrementAndGet();
                    calls.started(operation(headText, new byte[0]));
                    toTarget.write(head);
                    fromClient.transferTo(toTarget);
                    break;
                }
                if (headText.toLowerCase(Locale.ROOT).contains("\nexpect: 100-continue")) {
                    // the client sends the body only once the server says so: let the head through first
                    toTarget.write(head);
                    toTarget.flush();
                    head = new byte[0];
                }
                byte[] body = fromClient.readNBytes((int) length);
                unanswered.incrementAndGet();
                calls.started(operation(headText, body));
                byte[] request = new byte[head.length + body.length];
                System.arraycopy(head, 0, request, 0, head.length);
                System.arraycopy(body, 0, request, head.length, body.length);
                if (latencyMillis > 0) {
                    Thread.sleep(latencyMillis);
                }
                toTarget.write(request);
                toTarget.flush();
            }
            target.shutdownOutput();
            answers.join();
        } catch (IOException e) {
            // a side hung up: the other one sees the connection close, as without the proxy
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Passes the answers back as they come; the first bytes after a request mark it answered. */
    private void answers(Socket from, Socket to, AtomicInteger unanswered) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (unanswered.get() > 0) {
                    unanswered.decrementAndGet();
                    calls.answered(1);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        } finally {
            calls.answered(unanswered.getAndSet(0));
        }
    }

    /** The request line and headers up to and including the blank line; null at the end of the stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head over " + MAX_HEAD + " bytes");
            }
        }
        return head.size() == 0 ? null : head.toByteArray();
    }

    /** The body's length: Content-Length, 0 without a body, -1 when chunked. */
    private static long contentLength(String head) {
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\ntransfer-encoding:") && lower.contains("chunked")) {
            return -1;
        }
        String value = header(head, "Content-Length");
        return value == null ? 0 : Long.parseLong(value.strip());
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** {@code elasticloadbalancing:DescribeRules}, {@code codedeploy:GetDeployment}, … */
    static String operation(String head, byte[] body) {
        String authorization = header(head, "Authorization");
        Matcher scope = authorization == null ? null : SCOPE.matcher(authorization);
        String service = scope != null && scope.find() ? scope.group(1) : "unsigned";
        String target = header(head, "X-Amz-Target");
        if (target != null) {
            return service + ":" + target.substring(target.indexOf('.') + 1);
        }
        String requestLine = head.substring(0, Math.max(0, head.indexOf("\r\n")));
        String[] parts = requestLine.split(" ");
        String uri = parts.length > 1 ? parts[1] : "";
        String query = uri.contains("?") ? uri.substring(uri.indexOf('?') + 1) : "";
        for (String form : new String[] {new String(body, StandardCharsets.UTF_8), query}) {
            Matcher action = ACTION.matcher(form);
            if (action.find()) {
                return service + ":" + URLDecoder.decode(action.group(1), StandardCharsets.UTF_8);
            }
        }
        return service + ":" + (parts.length > 0 ? parts[0] : "?") + " " + uri.replaceFirst("\\?.*", "");
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
