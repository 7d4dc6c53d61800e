package dev.ecsbluegreen.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where moto's answers depart from the AWS wire protocol, and the fix the local tooling (tests, sandbox) applies on
 * the way back to the functions. Never part of a function's package.
 */
public final class MotoQuirks {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final List<String> TIME_FIELDS = List.of("createTime", "startTime", "completeTime");

    private MotoQuirks() {}

    /**
     * moto 5.2's CodeDeploy {@code GetDeployment} / {@code BatchGetDeployments} answer {@code createTime} and friends
     * as ISO-8601 strings (or null), where CodeDeploy's JSON protocol sends epoch seconds and the SDK refuses anything
     * else: the same answer with epoch seconds, and the nulls left out.
     */
    public static byte[] codeDeployTimesAsEpochSeconds(byte[] answer) {
        try {
            JsonNode root = JSON.readTree(answer);
            List<JsonNode> deployments = new ArrayList<>();
            if (root.has("deploymentInfo")) {
                deployments.add(root.get("deploymentInfo"));
            }
            root.path("deploymentsInfo").forEach(deployments::add);
            for (JsonNode info : deployments) {
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
            }
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException("moto's CodeDeploy answer is not JSON", e);
        }
    }
}
