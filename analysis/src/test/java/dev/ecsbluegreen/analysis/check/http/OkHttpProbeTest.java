package dev.ecsbluegreen.analysis.check.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.ChecksParser;
import dev.ecsbluegreen.analysis.check.Exchange;
import dev.ecsbluegreen.analysis.check.Expectations;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP side against real local servers: status, timeouts, dropped connections, redirects, size, TLS. */
class OkHttpProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final MockWebServer green = new MockWebServer();
    private final MockWebServer elsewhere = new MockWebServer();
    private final OkHttpProbe probe = new OkHttpProbe();

    @BeforeEach
    void start() throws IOException {
        elsewhere.start();
    }

    @AfterEach
    void stop() {
        green.close();
        elsewhere.close();
    }

    private static Check check(String json) {
        return ChecksParser.parse("[" + json + "]").get(0);
    }

    private URI base() throws IOException {
        if (!green.getStarted()) {
            green.start();
        }
        return green.url("/").uri();
    }

    @Test
    void readsA200ResponseWithItsHeadersAndBody() throws Exception {
        green.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"status\":\"UP\"}").build());

        Exchange exchange = probe.send(check("{\"path\":\"/health?deep=1\",\"headers\":{\"X-Smoke\":\"yes\"}}"), base(), TIMEOUT);

        assertNull(exchange.error());
        assertEquals(200, exchange.status());
        assertEquals("{\"status\":\"UP\"}", exchange.body());
        assertEquals(List.of("application/json"), exchange.header("content-type"));
        RecordedRequest request = green.takeRequest();
        assertEquals("/health?deep=1", request.getTarget());
        assertEquals("yes", request.getHeaders().get("X-Smoke"));
        assertEquals("ecs-bluegreen-hooks", request.getHeaders().get("User-Agent"));
    }

    @Test
    void sendsTheConfiguredMethodAndBody() throws Exception {
        green.enqueue(new MockResponse.Builder().code(201).build());

        Exchange exchange = probe.send(check("{\"method\":\"POST\",\"path\":\"/orders\",\"body\":{\"sku\":\"A-1\"}}"), base(), TIMEOUT);

        assertEquals(201, exchange.status());
        RecordedRequest request = green.takeRequest();
        assertEquals("POST", request.getMethod());
        assertEquals("{\"sku\":\"A-1\"}", request.getBody().utf8());
        assertTrue(request.getHeaders().get("Content-Type").startsWith("application/json"));
    }

    @Test
    void reportsA500AsAnAnsweredExchangeThatFailsTheDefaultExpectation() throws Exception {
        green.enqueue(new MockResponse.Builder().code(500).body("oops").build());
        Check check = check("{}");

        Exchange exchange = probe.send(check, base(), TIMEOUT);

        assertEquals(500, exchange.status());
        assertEquals(List.of("status 500, expected 2xx"), Expectations.failures(check.expect(), exchange));
    }

    @Test
    void givesUpOnHeadersThatArriveAfterTheTimeout() throws Exception {
        green.enqueue(new MockResponse.Builder().code(200).headersDelay(10, TimeUnit.SECONDS).build());

        Exchange exchange = probe.send(check("{}"), base(), Duration.ofMillis(300));

        assertFalse(exchange.answered());
        assertTrue(exchange.error().startsWith("no complete response within 300 ms"), exchange.error());
        assertTrue(exchange.latency().compareTo(Duration.ofSeconds(3)) < 0, exchange.latency().toString());
    }

    @Test
    void reportsADroppedConnectionWithoutRetryingIt() throws Exception {
        green.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        green.enqueue(new MockResponse.Builder().code(200).build());

        Exchange exchange = probe.send(check("{}"), base(), TIMEOUT);

        assertFalse(exchange.answered());
        assertTrue(exchange.error().startsWith("connection failed"), exchange.error());
        assertEquals(1, green.getRequestCount());
    }

    @Test
    void opensANewConnectionWhenThePooledOneWasClosedWhileIdle() throws Exception {
        // as after a frozen Lambda sandbox, or a server that closes without saying so: not a failure of green
        CountDownLatch closedByServer = new CountDownLatch(1);
        green.setServerSocketFactory(new SignallingServerSocketFactory(closedByServer));
        green.enqueue(new MockResponse.Builder().code(200).body("first").onResponseEnd(new SocketEffect.CloseSocket()).build());
        green.enqueue(new MockResponse.Builder().code(200).body("second").build());
        URI base = base();
        assertEquals(200, probe.send(check("{}"), base, TIMEOUT).status());
        // not a pause that may or may not be long enough: the server's side of the pooled connection is closed
        assertTrue(closedByServer.await(10, TimeUnit.SECONDS), "the server closed the first connection");

        Exchange again = probe.send(check("{}"), base, TIMEOUT);

        assertEquals(200, again.status(), String.valueOf(again.error()));
        assertEquals("second", again.body());
    }

    @Test
    void doesNotFollowRedirectsUnlessTheCheckAsks() throws Exception {
        green.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/login").build());

        Exchange exchange = probe.send(check("{}"), base(), TIMEOUT);

        assertEquals(302, exchange.status());
        assertEquals(1, green.getRequestCount());
    }

    @Test
    void followsARedirectOnTheSameHostWhenAsked() throws Exception {
        green.enqueue(new MockResponse.Builder().code(301).addHeader("Location", "/v2/health").build());
        green.enqueue(new MockResponse.Builder().code(200).body("ok").build());

        Exchange exchange = probe.send(check("{\"path\":\"/health\",\"followRedirects\":true}"), base(), TIMEOUT);

        assertEquals(200, exchange.status());
        green.takeRequest();
        assertEquals("/v2/health", green.takeRequest().getTarget());
    }

    @Test
    void followsAtMostFiveRedirects() throws Exception {
        assertEquals(5, OkHttpProbe.MAX_REDIRECTS, "docs/hooks.md promises up to 5");
        for (int i = 1; i <= 5; i++) {
            green.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/hop" + i).build());
        }
        green.enqueue(new MockResponse.Builder().code(200).body("arrived").build());
        URI base = base();

        Exchange five = probe.send(check("{\"followRedirects\":true}"), base, TIMEOUT);

        assertEquals(200, five.status(), String.valueOf(five.error()));
        assertEquals("arrived", five.body());
        assertEquals(6, green.getRequestCount());

        for (int i = 1; i <= 6; i++) {
            green.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/again" + i).build());
        }
        Exchange six = probe.send(check("{\"followRedirects\":true}"), base, TIMEOUT);

        assertFalse(six.answered());
        assertEquals("more than 5 redirects", six.error());
        assertEquals(12, green.getRequestCount());
    }

    @Test
    void refusesARedirectToAnotherHostEvenWhenAskedToFollow() throws Exception {
        // green is reached as "localhost"; 127.0.0.1 is, by name, another host
        String away = "http://127.0.0.1:" + elsewhere.getPort() + "/collect";
        green.enqueue(new MockResponse.Builder().code(302).addHeader("Location", away).build());

        Exchange exchange = probe.send(check("{\"followRedirects\":true}"),
                URI.create("http://localhost:" + base().getPort()), TIMEOUT);

        assertFalse(exchange.answered());
        assertEquals("redirect (302) to another host refused: " + away, exchange.error());
        assertEquals(0, elsewhere.getRequestCount());
    }

    @Test
    void readsNoMoreThanTheBodyLimit() throws Exception {
        green.enqueue(new MockResponse.Builder().code(200).body("x".repeat(2_000_000)).build());

        Exchange exchange = probe.send(check("{\"maxBodyBytes\":1024}"), base(), TIMEOUT);

        assertEquals(200, exchange.status());
        assertTrue(exchange.bodyTruncated());
        assertEquals(1024, exchange.body().length());
    }

    /** Reading the JDK's CA certificates is the most expensive part of building a TLS client: http checks skip it. */
    @Test
    void anHttpCheckBuildsNoTlsClient() throws Exception {
        green.enqueue(new MockResponse.Builder().code(200).body("ok").build());

        assertEquals(200, probe.send(check("{}"), base(), TIMEOUT).status());

        assertFalse(probe.tlsBuilt());
    }

    /** A redirect on the same host may move to https: the next hop gets a TLS client, built then. */
    @Test
    void aRedirectFromHttpToHttpsOnTheSameHostIsFollowedOverTls() throws Exception {
        HeldCertificate selfSigned = new HeldCertificate.Builder().commonName("green").addSubjectAlternativeName("localhost").build();
        elsewhere.close();
        MockWebServer secure = new MockWebServer();
        secure.useHttps(new HandshakeCertificates.Builder().heldCertificate(selfSigned).build().sslSocketFactory());
        secure.start();
        try {
            secure.enqueue(new MockResponse.Builder().code(200).body("over tls").build());
            green.enqueue(new MockResponse.Builder().code(301)
                    .addHeader("Location", "https://localhost:" + secure.getPort() + "/health").build());
            URI base = URI.create("http://localhost:" + base().getPort());

            Exchange exchange = probe.send(check("{\"followRedirects\":true,\"tls\":\"acceptAnyCertificate\"}"), base, TIMEOUT);

            assertEquals(200, exchange.status(), exchange.error());
            assertEquals("over tls", exchange.body());
            assertTrue(probe.tlsBuilt());
            assertTrue(secure.takeRequest().getHandshake() != null, "not over TLS");
        } finally {
            secure.close();
        }
    }

    @Test
    void refusesASelfSignedCertificateByDefaultAndAcceptsItOnlyWhenTheCheckSaysSo() throws Exception {
        HeldCertificate selfSigned = new HeldCertificate.Builder().commonName("green").addSubjectAlternativeName("localhost").build();
        green.useHttps(new HandshakeCertificates.Builder().heldCertificate(selfSigned).build().sslSocketFactory());
        green.enqueue(new MockResponse.Builder().code(200).body("secret").build());
        green.enqueue(new MockResponse.Builder().code(200).body("secret").build());
        URI base = URI.create("https://localhost:" + base().getPort());

        Exchange verified = probe.send(check("{}"), base, TIMEOUT);
        Exchange accepted = probe.send(check("{\"tls\":\"acceptAnyCertificate\"}"), base, TIMEOUT);

        assertFalse(verified.answered());
        assertTrue(verified.error().startsWith("TLS failed"), verified.error());
        assertEquals(200, accepted.status());
        assertEquals("secret", accepted.body());
    }

    @Test
    void callsTheLoadBalancerAddressWithTheApplicationsHostNameForHostSniAndCertificate() throws Exception {
        HeldCertificate authority = new HeldCertificate.Builder().certificateAuthority(0).build();
        HeldCertificate shop = new HeldCertificate.Builder().commonName("shop.example.com")
                .addSubjectAlternativeName("shop.example.com").signedBy(authority).build();
        green.useHttps(new HandshakeCertificates.Builder().heldCertificate(shop).build().sslSocketFactory());
        green.setProtocols(List.of(Protocol.HTTP_1_1)); // so that the Host header is on the wire as such
        HandshakeCertificates trusting = new HandshakeCertificates.Builder().addTrustedCertificate(authority.certificate()).build();
        OkHttpProbe trustingProbe = new OkHttpProbe(new OkHttpClient.Builder()
                .sslSocketFactory(trusting.sslSocketFactory(), trusting.trustManager()).build());
        for (int i = 0; i < 3; i++) {
            green.enqueue(new MockResponse.Builder().code(200).body("shop").build());
        }
        URI loadBalancer = URI.create("https://localhost:" + base().getPort());

        Exchange byLoadBalancerName = trustingProbe.send(check("{}"), loadBalancer, TIMEOUT);
        Exchange otherNameAccepted = trustingProbe.send(check("{\"tls\":\"acceptOtherHostName\"}"), loadBalancer, TIMEOUT);
        Exchange byApplicationName = trustingProbe.send(check("{\"host\":\"shop.example.com\"}"), loadBalancer, TIMEOUT);

        assertFalse(byLoadBalancerName.answered());
        assertTrue(byLoadBalancerName.error().startsWith("TLS failed"), byLoadBalancerName.error());
        assertEquals(200, otherNameAccepted.status());
        assertEquals(200, byApplicationName.status(), String.valueOf(byApplicationName.error()));
        green.takeRequest();
        RecordedRequest request = green.takeRequest();
        assertEquals("shop.example.com:" + loadBalancer.getPort(), request.getHeaders().get("Host"));
        assertEquals(List.of("shop.example.com"), request.getHandshakeServerNames());
    }

    /** Server sockets whose accepted connections count {@code closed} down when the server closes them. */
    private static final class SignallingServerSocketFactory extends ServerSocketFactory {
        private final CountDownLatch closed;

        SignallingServerSocketFactory(CountDownLatch closed) {
            this.closed = closed;
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket socket = new Socket() {
                        @Override
                        public synchronized void close() throws IOException {
                            super.close();
                            closed.countDown();
                        }
                    };
                    implAccept(socket);
                    return socket;
                }
            };
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }
    }
}
