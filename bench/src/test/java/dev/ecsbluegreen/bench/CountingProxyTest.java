package dev.ecsbluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CountingProxyTest {
    private static final String ELB_AUTH = "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/elasticloadbalancing/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=00";
    private static final String CODEDEPLOY_AUTH = ELB_AUTH.replace("elasticloadbalancing", "codedeploy");

    private HttpServer upstream;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean slowAnswers = new AtomicBoolean();
    private final CountingProxy.Calls calls = new CountingProxy.Calls();
    private CountingProxy proxy;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (slowAnswers.get()) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + new String(body, StandardCharsets.UTF_8));
            byte[] answer = ("answer to " + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.start();
        proxy = new CountingProxy(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()), calls);
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.stop(0);
    }

    @Test
    void passesRequestsAndAnswersThroughAndCountsThemByOperation() throws Exception {
        for (String action : List.of("DescribeRules", "ModifyRule", "DescribeRules")) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(proxy.endpoint().resolve("/"))
                    .header("Authorization", ELB_AUTH)
                    .POST(HttpRequest.BodyPublishers.ofString("Action=" + action + "&Version=2015-12-01")));
            assertEquals("answer to Action=" + action + "&Version=2015-12-01", response.body());
        }
        send(HttpRequest.newBuilder(proxy.endpoint().resolve("/"))
                .header("Authorization", CODEDEPLOY_AUTH)
                .header("X-Amz-Target", "CodeDeploy_20141006.GetDeployment")
                .POST(HttpRequest.BodyPublishers.ofString("{\"deploymentId\":\"d-1\"}")));
        send(HttpRequest.newBuilder(proxy.endpoint().resolve("/?Action=DescribeTags&Version=2015-12-01"))
                .header("Authorization", ELB_AUTH).GET());

        assertEquals(Map.of("elasticloadbalancing:DescribeRules", 2L, "elasticloadbalancing:ModifyRule", 1L,
                "codedeploy:GetDeployment", 1L, "elasticloadbalancing:DescribeTags", 1L), calls.take().byOperation());
        assertEquals(Map.of(), calls.take().byOperation());
        assertEquals("POST / {\"deploymentId\":\"d-1\"}", received.get(3));
    }

    @Test
    void countsTheMostCallsInFlightAtOnce() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        slowAnswers.set(true);
        for (int i = 0; i < 3; i++) {
            sent.add(http.sendAsync(HttpRequest.newBuilder(proxy.endpoint().resolve("/")).header("Authorization", ELB_AUTH)
                    .POST(HttpRequest.BodyPublishers.ofString("Action=ModifyRule")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        sent.forEach(CompletableFuture::join);
        send(HttpRequest.newBuilder(proxy.endpoint().resolve("/")).header("Authorization", ELB_AUTH)
                .POST(HttpRequest.BodyPublishers.ofString("Action=DescribeRules")));

        CountingProxy.Calls.Counted counted = calls.take();
        assertEquals(4, counted.total());
        assertEquals(3, counted.peakConcurrency());
        send(HttpRequest.newBuilder(proxy.endpoint().resolve("/")).header("Authorization", ELB_AUTH)
                .POST(HttpRequest.BodyPublishers.ofString("Action=DescribeRules")));
        assertEquals(1, calls.take().peakConcurrency());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
