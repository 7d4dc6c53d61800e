package dev.ecsbluegreen.bench.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What the swap function's handler does with Jackson whatever it logs with (SwapHandler: core's {@link Json} mapper
 * reads the CodePipeline job event and writes the answer), for the "after Jackson" configurations: there, what a
 * log writer costs is what it adds to a JVM that has loaded Jackson already.
 */
final class Prelude {
    private static final String EVENT = "{\"CodePipeline.job\":{\"id\":\"job-1\",\"accountId\":\"123456789012\","
            + "\"data\":{\"actionConfiguration\":{\"configuration\":{\"FunctionName\":\"swap-function\","
            + "\"UserParameters\":\"{\\\"listenerArn\\\":\\\"arn:aws:elasticloadbalancing:us-east-1:123456789012:"
            + "listener/app/demo/50dc6c495c0c9188/f2f7dc8efc522ab2\\\"}\"}},\"inputArtifacts\":[]}}}";

    private Prelude() {
    }

    static void runIf(String[] args) {
        if (args.length == 0 || !args[0].equals("--after-jackson")) {
            return;
        }
        ObjectMapper mapper = Json.newMapper();
        try {
            JsonNode event = mapper.readTree(new ByteArrayInputStream(EVENT.getBytes(StandardCharsets.UTF_8)));
            byte[] answer = mapper.writeValueAsBytes(mapper.createObjectNode()
                    .put("jobId", event.path("CodePipeline.job").path("id").asText()).put("status", "Succeeded"));
            if (answer.length == 0) {
                throw new IllegalStateException();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
