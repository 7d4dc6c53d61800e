package dev.ecsbluegreen.core.priming;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK HTTP client that never touches the network: each API call is answered by {@code responder} from the
 * operation's name ({@code Action} of a query-protocol call, the part of {@code X-Amz-Target} after the dot of a
 * JSON one) and the request body. For SnapStart priming: a function runs its real code, SDK marshalling, signing
 * and unmarshalling included, against canned answers before the snapshot is taken.
 */
public final class CannedHttpClient implements SdkHttpClient {
    private final BiFunction<String, String, String> responder;

    /** @param responder (operation, request body) → response body, answered with status 200 */
    public CannedHttpClient(BiFunction<String, String, String> responder) {
        this.responder = responder;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                String body = request.contentStreamProvider().map(p -> read(p.newStream())).orElse("");
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null);
                boolean json = target != null;
                String operation = json ? target.substring(target.indexOf('.') + 1) : queryAction(body);
                byte[] answer = responder.apply(operation, body).getBytes(StandardCharsets.UTF_8);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", json ? "application/x-amz-json-1.1" : "text/xml")
                                .putHeader("Content-Length", String.valueOf(answer.length))
                                .putHeader("x-amzn-RequestId", "priming")
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer)))
                        .build();
            }

            @Override
            public void abort() {}
        };
    }

    /** The {@code Action} parameter of a query-protocol (form-encoded) request body, or "" when there is none. */
    static String queryAction(String body) {
        for (String pair : body.split("&")) {
            if (pair.startsWith("Action=")) {
                return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String clientName() {
        return "canned";
    }

    @Override
    public void close() {}
}
