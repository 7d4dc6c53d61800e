package dev.ecsbluegreen.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.local.MotoQuirks;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sandbox's stand-in for the AWS report APIs moto lacks, in front of moto for everything else. The functions'
 * {@code AWS_ENDPOINT_URL_CODEPIPELINE} and {@code AWS_ENDPOINT_URL_CODEDEPLOY} point here.
 *
 * <p>It answers and records {@code CodePipeline_20150709.PutJobSuccessResult}/{@code PutJobFailureResult} and
 * {@code CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus} itself, with AWS's rules: a job or hook
 * execution is reported once ({@code InvalidJobStateException}, {@code LifecycleEventAlreadyCompletedException}
 * after that), unknown ids are refused. Every other request is forwarded to moto unchanged except for two ways
 * moto 5.2 departs from CodeDeploy's wire protocol: its deployment ids are UUIDs where CodeDeploy's are
 * {@code d-XXXXXXXXX} (the sandbox gives each deployment such an alias, translated both ways here), and it
 * answers times as ISO-8601 strings where the protocol (and the SDK) want epoch seconds.
 */
public final class ReportRecorder implements AutoCloseable {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    private static final Set<String> JOB_RESULTS = Set.of("CodePipeline_20150709.PutJobSuccessResult",
            "CodePipeline_20150709.PutJobFailureResult");
    private static final String HOOK_STATUS = "CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus";

    /**
     * One report call as it arrived, and how it was answered.
     *
     * @param operation e.g. {@code PutJobSuccessResult}
     * @param error     the AWS error code it was answered with, or null when accepted
     */
    public record Report(Instant at, String service, String operation, JsonNode body, String error) {
        /** The report in one line: ids, status or summary. */
        public String describe() {
            String text = switch (operation) {
                case "PutLifecycleEventHookExecutionStatus" -> body.path("deploymentId").asText() + " "
                        + body.path("status").asText();
                case "PutJobSuccessResult" -> "job " + shortId(body.path("jobId").asText()) + ": "
                        + body.at("/executionDetails/summary").asText("");
                case "PutJobFailureResult" -> "job " + shortId(body.path("jobId").asText()) + ": "
                        + body.at("/failureDetails/type").asText() + ": " + body.at("/failureDetails/message").asText();
                default -> body.toString();
            };
            return service + " " + operation + " " + text + (error == null ? "" : "  → answered " + error);
        }

        private static String shortId(String id) {
            return id.length() > 8 ? id.substring(0, 8) + "…" : id;
        }
    }

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> motoIdByAlias = new ConcurrentHashMap<>();
    private final Map<String, String> aliasByMotoId = new ConcurrentHashMap<>();
    private final Set<String> knownJobs = ConcurrentHashMap.newKeySet();
    private final Set<String> reportedJobs = new HashSet<>();
    private final Set<String> reportedHookExecutions = new HashSet<>();
    private final List<Report> reports = new ArrayList<>();

    public ReportRecorder(URI upstream) {
        this.upstream = upstream;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Makes {@code alias} (a CodeDeploy-shaped {@code d-XXXXXXXXX}) stand for moto's deployment id {@code motoId}. */
    public void aliasDeployment(String alias, String motoId) {
        motoIdByAlias.put(alias, motoId);
        aliasByMotoId.put(motoId, alias);
    }

    /** Lets the job's results be reported (CodePipeline refuses results for jobs it did not hand out). */
    public void expectJob(String jobId) {
        knownJobs.add(jobId);
    }

    /** Every report so far, in order of arrival. */
    public List<Report> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null && (JOB_RESULTS.contains(target) || HOOK_STATUS.equals(target))) {
                record(exchange, target, body);
            } else {
                forward(exchange, body, target);
            }
        } catch (RuntimeException e) {
            answer(exchange, 500, error("InternalFailure", "sandbox report endpoint: " + e));
        }
    }

    private void record(HttpExchange exchange, String target, byte[] raw) throws IOException {
        String service = target.startsWith("CodePipeline") ? "codepipeline" : "codedeploy";
        String operation = target.substring(target.indexOf('.') + 1);
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            answer(exchange, 400, error("SerializationException", "the body is not JSON"));
            return;
        }
        String errorCode = null;
        String message = null;
        synchronized (reports) {
            if (service.equals("codepipeline")) {
                String jobId = body.path("jobId").asText("");
                if (!knownJobs.contains(jobId)) {
                    errorCode = "JobNotFoundException";
                    message = "The job was not found: " + jobId;
                } else if (!reportedJobs.add(jobId)) {
                    errorCode = "InvalidJobStateException";
                    message = "The job " + jobId + " is already completed";
                }
            } else {
                String deploymentId = body.path("deploymentId").asText("");
                String execution = body.path("lifecycleEventHookExecutionId").asText("");
                String status = body.path("status").asText("");
                if (!motoIdByAlias.containsKey(deploymentId)) {
                    errorCode = "DeploymentDoesNotExistException";
                    message = "The deployment " + deploymentId + " could not be found";
                } else if (!status.equals("Succeeded") && !status.equals("Failed")) {
                    errorCode = "InvalidLifecycleEventHookExecutionStatusException";
                    message = "status must be Succeeded or Failed, not " + status;
                } else if (execution.isEmpty()) {
                    errorCode = "LifecycleEventHookExecutionIdRequiredException";
                    message = "lifecycleEventHookExecutionId is required";
                } else if (!reportedHookExecutions.add(execution)) {
                    errorCode = "LifecycleEventAlreadyCompletedException";
                    message = "The lifecycle event hook execution is already completed";
                }
            }
            reports.add(new Report(Instant.now(), service, operation, body, errorCode));
        }
        if (errorCode != null) {
            answer(exchange, 400, error(errorCode, message));
        } else if (service.equals("codedeploy")) {
            answer(exchange, 200, JSON.createObjectNode().put("lifecycleEventHookExecutionId",
                    body.path("lifecycleEventHookExecutionId").asText()).toString().getBytes(StandardCharsets.UTF_8));
        } else {
            answer(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void forward(HttpExchange exchange, byte[] body, String target) throws IOException {
        byte[] outgoing = replace(body, motoIdByAlias);
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(outgoing));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            answer(exchange, 503, error("ServiceUnavailable", "moto did not answer: " + e.getMessage()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(exchange, 503, error("ServiceUnavailable", "interrupted"));
            return;
        }
        byte[] answer = replace(response.body(), aliasByMotoId);
        if (response.statusCode() == 200 && target != null
                && (target.endsWith(".GetDeployment") || target.endsWith(".BatchGetDeployments"))) {
            answer = MotoQuirks.codeDeployTimesAsEpochSeconds(answer);
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
    }

    private static byte[] replace(byte[] body, Map<String, String> replacements) {
        if (body.length == 0 || replacements.isEmpty()) {
            return body;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String replaced = text;
        for (Map.Entry<String, String> entry : replacements.entrySet()) {
            replaced = replaced.replace(entry.getKey(), entry.getValue());
        }
        return replaced.equals(text) ? body : replaced.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] error(String code, String message) {
        return JSON.createObjectNode().put("__type", code).put("message", message).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
