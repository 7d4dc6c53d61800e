package dev.ecsbluegreen.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeferredTrust} against a real HTTPS server on loopback whose certificate (made by the JDK's keytool for
 * {@code localhost}) is in no default trust store: trust is built at the first handshake, not before, and decides
 * exactly as the JDK's own trust manager does — the unknown certificate refused, a trusted one accepted only for the
 * host it names.
 */
class DeferredTrustTest {
    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static KeyStore keyStore;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), "keytool: " + output);
        keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, "changeit".toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String get(String host, TrustManager trust) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        HttpsURLConnection connection = (HttpsURLConnection) URI.create(
                "https://" + host + ":" + server.getAddress().getPort() + "/").toURL().openConnection();
        connection.setSSLSocketFactory(context.getSocketFactory());
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    /** The server's own certificate as the only trusted one. */
    private static X509ExtendedTrustManager trustingTheServer() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("server", keyStore.getCertificate("server"));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTrustManagerIsBuiltAtTheFirstHandshakeAndOnlyOnce() throws Exception {
        AtomicInteger created = new AtomicInteger();
        DeferredTrust trust = new DeferredTrust(() -> {
            created.incrementAndGet();
            return trustingTheServer();
        });
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        assertFalse(trust.created(), "built with the SSLContext");
        assertEquals("ok", get("localhost", trust));
        assertEquals("ok", get("localhost", trust));
        assertEquals(1, created.get());
    }

    @Test
    void aCertificateTheJdksDefaultTrustDoesNotHoldIsRefusedAsTheDefaultRefusesIt() throws Exception {
        SSLHandshakeException deferred = assertThrows(SSLHandshakeException.class,
                () -> get("localhost", new DeferredTrust(DeferredTrust::jdkDefault)));
        SSLHandshakeException plain = assertThrows(SSLHandshakeException.class,
                () -> get("localhost", DeferredTrust.jdkDefault()));
        assertTrue(deferred.getMessage().contains("PKIX path building failed"), deferred.getMessage());
        assertEquals(plain.getMessage(), deferred.getMessage());
    }

    @Test
    void aTrustedCertificateIsStillCheckedAgainstTheHostItNames() throws Exception {
        assertEquals("ok", get("localhost", new DeferredTrust(DeferredTrustTest::trustingTheServer)));
        // 127.0.0.1 is not in the certificate's names: endpoint identification refuses it, as without the deferral
        IOException mismatch = assertThrows(IOException.class,
                () -> get("127.0.0.1", new DeferredTrust(DeferredTrustTest::trustingTheServer)));
        IOException plain = assertThrows(IOException.class, () -> get("127.0.0.1", trustingTheServer()));
        assertEquals(plain.getClass(), mismatch.getClass());
        assertTrue(String.valueOf(mismatch.getMessage()).contains("127.0.0.1"), String.valueOf(mismatch.getMessage()));
    }

    @Test
    void everySdkClientGetsTheSameDeferredDefault() {
        assertEquals(1, DeferredTrust.managers().length);
        assertTrue(DeferredTrust.managers()[0] == DeferredTrust.DEFAULT);
    }

    /** An SDK client built the project's way trusts what the JDK trusts: the loopback server's certificate is refused. */
    @Test
    void anSdkClientBuiltTheProjectsWayRefusesAnEndpointTheDefaultTrustDoesNotHold() {
        try (var client = AwsClients.configure(software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client
                        .builder(), java.util.Map.of())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("id", "secret")))
                .endpointOverride(URI.create("https://localhost:" + server.getAddress().getPort()))
                .build()) {
            Exception e = assertThrows(software.amazon.awssdk.core.exception.SdkClientException.class,
                    client::describeLoadBalancers);
            Throwable cause = e;
            while (cause != null && !(cause instanceof SSLHandshakeException)) {
                cause = cause.getCause();
            }
            assertTrue(cause != null && cause.getMessage().contains("PKIX path building failed"), e.toString());
        }
    }
}
