package dev.ecsbluegreen.hooks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A loopback proxy in front of moto's CodeDeploy that fixes one way moto 5.2 departs from the wire protocol:
 * {@code GetDeployment} answers {@code createTime} (and friends) as ISO-8601 strings, where CodeDeploy's JSON
 * protocol sends epoch seconds and the SDK refuses anything else. Everything else passes through unchanged.
 */
final class EpochTimestampProxy implements AutoCloseable {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");
    private static final List<String> TIME_FIELDS = List.of("createTime", "startTime", "completeTime");

    private final URI upstream;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    EpochTimestampProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> forward.header(name, value));
            }
        });
        try {
            HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] answer = response.body();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (response.statusCode() == 200 && target != null && target.endsWith(".GetDeployment")) {
                answer = epochTimes(answer);
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
            exchange.close();
        }
    }

    private static byte[] epochTimes(byte[] body) throws IOException {
        JsonNode root = JSON.readTree(body);
        JsonNode info = root.path("deploymentInfo");
        if (info instanceof ObjectNode deployment) {
            for (String field : TIME_FIELDS) {
                JsonNode value = deployment.get(field);
                if (value != null && value.isTextual()) {
                    deployment.put(field, Instant.parse(value.asText()).toEpochMilli() / 1000.0);
                } else if (value != null && value.isNull()) {
                    deployment.remove(field);
                }
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
