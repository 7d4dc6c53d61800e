package dev.ecsbluegreen.analysis.check.http;

import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.Exchange;
import dev.ecsbluegreen.analysis.check.HttpProbe;
import dev.ecsbluegreen.core.Redaction;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * {@link HttpProbe} over one shared OkHttp client: explicit timeouts, redirects only when a check asks and
 * never to another host, TLS verified unless a check explicitly relaxes it, bodies read up to a bound. The clients
 * that speak TLS are built at the first {@code https} request; {@code http} checks never build them.
 */
public final class OkHttpProbe implements HttpProbe {
    /** Redirects followed at most (docs/hooks.md, {@code followRedirects}); one more fails the request. */
    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** The {@code User-Agent} of the hooks' requests (and the default). */
    public static final String HOOKS_USER_AGENT = "ecs-bluegreen-hooks";
    private static final Set<String> NEEDS_BODY = Set.of("POST", "PUT", "PATCH");

    private final String userAgent;
    /** For {@code http} URLs: no TLS, so building it reads no certificates. */
    private final OkHttpClient cleartext;
    private final OkHttpClient base;
    /** For {@code https} URLs, built at the first one ({@link #tls()}). */
    private Tls tls;

    /** The clients for each {@link Check.Tls} setting. */
    private record Tls(OkHttpClient verifying, OkHttpClient anyHostName, OkHttpClient anyCertificate) {}

    /** A client trusting the JDK's certificate authorities. */
    public OkHttpProbe() {
        this(newBaseClient());
    }

    /**
     * @param base the client whose connection pool and trust settings every request shares (tests pass one
     *             trusting their own certificate authority)
     */
    public OkHttpProbe(OkHttpClient base) {
        this(base, HOOKS_USER_AGENT);
    }

    /** @param userAgent what green's access log sees: which function sent the check */
    public OkHttpProbe(OkHttpClient base, String userAgent) {
        this.userAgent = userAgent;
        this.base = base.newBuilder()
                .followRedirects(false)
                .followSslRedirects(false)
                // replaces a pooled connection the server closed while idle (a frozen Lambda sandbox, a server
                // closing without saying so); a failure on a fresh connection is still reported, not retried
                .retryOnConnectionFailure(true)
                .build();
        this.cleartext = this.base.newBuilder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
    }

    /**
     * The production base client: OkHttp's defaults, but cleartext only, so that building it does not read the
     * JDK's CA certificates (OkHttp does that in the constructor of any client that may speak TLS: ~50 ms of a
     * hook's cold start, measured). The probe's TLS clients are derived from it at the first {@code https} check,
     * with OkHttp's default connection specs, trust and host-name verification.
     */
    public static OkHttpClient newBaseClient() {
        return new OkHttpClient.Builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
    }

    /** Whether the TLS clients were built (for tests: an {@code http} check builds none). */
    synchronized boolean tlsBuilt() {
        return tls != null;
    }

    private synchronized Tls tls() {
        if (tls == null) {
            // a base that speaks TLS keeps its own specs; the cleartext-only production base gets OkHttp's defaults
            List<ConnectionSpec> specs = base.connectionSpecs().stream().anyMatch(ConnectionSpec::isTls)
                    ? base.connectionSpecs() : List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT);
            OkHttpClient verifying = base.newBuilder().connectionSpecs(specs).build();
            OkHttpClient anyHostName = verifying.newBuilder().hostnameVerifier((hostname, session) -> true).build();
            X509TrustManager trustAll = new TrustEveryCertificate();
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new javax.net.ssl.TrustManager[] {trustAll}, null);
                tls = new Tls(verifying, anyHostName, anyHostName.newBuilder()
                        .sslSocketFactory(context.getSocketFactory(), trustAll)
                        .build());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK offers no TLS", e);
            }
        }
        return tls;
    }

    @Override
    public Exchange send(Check check, URI baseUrl, Duration timeout) {
        long started = System.nanoTime();
        try {
            HttpUrl url = url(check, baseUrl);
            String method = check.method();
            String body = check.body();
            for (int hop = 0; ; hop++) {
                // per hop: a redirect on the same host may change the scheme
                Call call = client(check, url, baseUrl, timeout).newCall(request(check, url, method, body));
                call.timeout().timeout(Math.max(1, timeout.toMillis() - elapsed(started).toMillis()), TimeUnit.MILLISECONDS);
                try (Response response = call.execute()) {
                    String location = response.header("Location");
                    if (check.followRedirects() && REDIRECTS.contains(response.code()) && location != null) {
                        HttpUrl next = url.resolve(location);
                        if (next == null || !next.host().equalsIgnoreCase(url.host())) {
                            return Exchange.failed("redirect (" + response.code() + ") to another host refused: "
                                    + Redaction.url(location), elapsed(started));
                        }
                        if (hop >= MAX_REDIRECTS) {
                            // this is redirect number hop + 1: MAX_REDIRECTS of them were followed already
                            return Exchange.failed("more than " + MAX_REDIRECTS + " redirects", elapsed(started));
                        }
                        if (response.code() != 307 && response.code() != 308) {
                            method = "HEAD".equals(method) ? "HEAD" : "GET";
                            body = null;
                        }
                        url = next;
                        continue;
                    }
                    return read(response, check.maxBodyBytes(), started);
                }
            }
        } catch (IOException e) {
            return Exchange.failed(describe(e, timeout), elapsed(started));
        } catch (RuntimeException e) {
            return Exchange.failed("request failed: " + e, elapsed(started));
        }
    }

    /** The base URL (its path a prefix) with the check's path, on the check's host name when it names one. */
    static HttpUrl url(Check check, URI baseUrl) {
        HttpUrl base = HttpUrl.get(baseUrl.toString());
        String origin = new HttpUrl.Builder()
                .scheme(base.scheme())
                .host(check.host() != null ? check.host() : base.host())
                .port(base.port())
                .build().toString();
        return HttpUrl.get(origin.substring(0, origin.length() - 1) + base.encodedPath().replaceFirst("/$", "") + check.path());
    }

    private OkHttpClient client(Check check, HttpUrl url, URI baseUrl, Duration timeout) {
        OkHttpClient chosen = !url.isHttps() ? cleartext : switch (check.tls()) {
            case VERIFY -> tls().verifying();
            case ACCEPT_OTHER_HOST_NAME -> tls().anyHostName();
            case ACCEPT_ANY_CERTIFICATE -> tls().anyCertificate();
        };
        OkHttpClient.Builder builder = chosen.newBuilder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout);
        if (check.host() != null && !check.host().equalsIgnoreCase(baseUrl.getHost())) {
            // connect to the base URL's address while Host, SNI and certificate checks use the application's name
            String realHost = check.host();
            String address = baseUrl.getHost();
            builder.dns(hostname -> hostname.equalsIgnoreCase(realHost)
                    ? List.of(InetAddress.getAllByName(address))
                    : List.of(InetAddress.getAllByName(hostname)));
        }
        return builder.build();
    }

    private Request request(Check check, HttpUrl url, String method, String body) {
        Request.Builder builder = new Request.Builder().url(url).header("User-Agent", userAgent);
        check.headers().forEach(builder::header);
        RequestBody requestBody = null;
        if (body != null) {
            String type = check.headers().entrySet().stream()
                    .filter(h -> h.getKey().equalsIgnoreCase("Content-Type")).map(Map.Entry::getValue)
                    .findFirst().orElse("application/json");
            requestBody = RequestBody.create(body, MediaType.parse(type));
        } else if (NEEDS_BODY.contains(method)) {
            requestBody = RequestBody.create(new byte[0], null);
        }
        return builder.method(method, requestBody).build();
    }

    private static Exchange read(Response response, int maxBodyBytes, long started) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : response.headers().names()) {
            headers.put(name.toLowerCase(Locale.ROOT), response.headers(name));
        }
        ResponseBody body = response.body();
        BufferedSource source = body.source();
        boolean truncated = source.request(maxBodyBytes + 1L);
        long available = Math.min(source.getBuffer().size(), maxBodyBytes);
        byte[] bytes = source.getBuffer().readByteArray(available);
        MediaType type = body.contentType();
        Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
        return new Exchange(response.code(), headers, new String(bytes, charset), truncated, elapsed(started), null);
    }

    private static String describe(IOException e, Duration timeout) {
        if (e instanceof UnknownHostException) {
            return "host not found: " + e.getMessage();
        }
        if (e instanceof ConnectException) {
            return "connection failed: " + e.getMessage();
        }
        if (e instanceof InterruptedIOException) {
            return "no complete response within " + timeout.toMillis() + " ms (" + e.getMessage() + ")";
        }
        if (e instanceof SSLException) {
            return "TLS failed: " + e.getMessage();
        }
        return "connection failed: " + e;
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** For checks that explicitly accept any certificate: the connection stays encrypted, but unauthenticated. */
    private static final class TrustEveryCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // accepting is the point: the check asked for ACCEPT_ANY_CERTIFICATE
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // accepting is the point: the check asked for ACCEPT_ANY_CERTIFICATE
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
