package dev.ecsbluegreen.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What a continued CodePipeline job carries from one invocation to the next:
 * {@code {"v":1,"action":"deploy","release":"r-0123456789ab","startedAt":1764590000000}}, and for a progressive
 * promote the step it is baking and since when ({@code "step":1,"stepSince":1764590300000}). Everything else is read
 * again from ECS and ELB, so the token stays far below CodePipeline's 2048 characters (a release id is at most 128).
 *
 * @param startedAt when the action's first invocation began, epoch milliseconds: its waits count from there
 */
public record ContinuationToken(String action, String release, long startedAt, Outcome.Baking baking) {
    static final int MAX_LENGTH = 2048;

    public ContinuationToken(String action, String release, long startedAt) {
        this(action, release, startedAt, null);
    }

    String encode(ObjectMapper mapper) {
        var node = mapper.createObjectNode().put("v", 1).put("action", action).put("release", release)
                .put("startedAt", startedAt);
        if (baking != null) {
            node.put("step", baking.step()).put("stepSince", baking.sinceMillis());
        }
        String token = node.toString();
        if (token.length() > MAX_LENGTH) {
            throw new IllegalStateException("continuation token of " + token.length() + " characters");
        }
        return token;
    }

    /** @throws ConfigurationException for a token this controller did not write */
    static ContinuationToken decode(String token, ObjectMapper mapper) {
        try {
            JsonNode node = mapper.readTree(token);
            if (node != null && node.path("v").asInt() == 1 && node.path("action").isTextual() && node.path("startedAt").isNumber()) {
                Outcome.Baking baking = node.path("step").canConvertToInt() && node.path("step").asInt() > 0
                        && node.path("stepSince").isNumber()
                        ? new Outcome.Baking(node.path("step").asInt(), node.path("stepSince").asLong()) : null;
                return new ContinuationToken(node.path("action").asText(),
                        node.path("release").isTextual() ? node.path("release").asText() : null, node.path("startedAt").asLong(),
                        baking);
            }
        } catch (IOException e) {
            // falls through to the error below
        }
        throw new ConfigurationException("the job's continuation token is not one this controller wrote");
    }
}
