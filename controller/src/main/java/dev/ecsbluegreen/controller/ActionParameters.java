package dev.ecsbluegreen.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.routing.Strategy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A Lambda action's UserParameters, a JSON object:
 * <pre>{@code
 * {"action": "deploy", "cluster": "prod", "service": "app", "image": "123.dkr.ecr…/app:1.4.2",
 *  "release": "optional id", "waitTimeoutSeconds": 900, "cleanupWaitSeconds": 0,
 *  "liveListener": "arn…", "testListener": "arn…", "targetGroups": ["arn…", "arn…"],
 *  "testUrl": "http://…:8080", "checks": [{"name": "health", "path": "/health", "expect": {"status": 200}}]}
 * }</pre>
 * {@code testUrl} and {@code checks} (the hooks' {@code CHECKS}: an array, or that array as a string) make a deploy
 * validate green through the test listener; they default to {@code TEST_URL} and {@code CHECKS}. {@code strategy} is the
 * swap function's ({@code {"type": "canary", "percent": 10, "bakeSeconds": 300}}, or {@code linear} with
 * {@code stepPercent} and {@code stepBakeSeconds}): how {@code promote} moves live traffic.
 * {@code image} is a string ({@code REPO:TAG} or {@code CONTAINER=REPO:TAG}), a list of them, or an object
 * {@code {"CONTAINER": "REPO:TAG"}}. Listeners and target groups default to the function's environment
 * ({@link Settings}), which the template sets.
 */
final class ActionParameters {
    static final List<String> KEYS = List.of("action", "cluster", "service", "image", "release", "waitTimeoutSeconds",
            "cleanupWaitSeconds", "liveListener", "testListener", "targetGroups", "testUrl", "checks", "strategy");

    private ActionParameters() {}

    /** @throws ConfigurationException saying what is wrong */
    static Request parse(String userParameters, ObjectMapper mapper, UnaryOperator<String> env) {
        if (userParameters == null || userParameters.isBlank()) {
            throw new ConfigurationException("the action has no UserParameters: give {\"action\": \"deploy\", \"cluster\": …, "
                    + "\"service\": …, \"image\": …}");
        }
        JsonNode p;
        try {
            p = mapper.readTree(userParameters);
        } catch (IOException e) {
            throw new ConfigurationException("UserParameters is not JSON: give {\"action\": \"deploy\", \"cluster\": …, \"service\": …, "
                    + "\"image\": …}");
        }
        if (p == null || !p.isObject()) {
            throw new ConfigurationException("UserParameters must be a JSON object");
        }
        for (String key : (Iterable<String>) p::fieldNames) {
            if (!KEYS.contains(key)) {
                // a misspelt "waitTimeoutSecond" must not silently fall back to the default
                throw new ConfigurationException("UserParameters has an unknown key \"" + key + "\" (known: " + KEYS + ")");
            }
        }
        Action action = Action.of(text(p, "action"));
        Target target = Settings.target(text(p, "cluster"), text(p, "service"), text(p, "liveListener"), text(p, "testListener"),
                targetGroups(p.get("targetGroups")), env);
        JsonNode image = p.get("image");
        Images images = image == null || image.isNull() ? null : Images.parse(images(image));
        return new Request(action, target, text(p, "release"), images,
                seconds(p, "waitTimeoutSeconds", Settings.duration(env.apply("WAIT_TIMEOUT"), "WAIT_TIMEOUT")),
                seconds(p, "cleanupWaitSeconds", Settings.duration(env.apply("CLEANUP_WAIT"), "CLEANUP_WAIT")),
                GreenChecks.of(Settings.orEnv(text(p, "testUrl"), env, "TEST_URL"), Settings.orEnv(checks(p.get("checks")),
                        env, "CHECKS")), strategy(p.get("strategy")));
    }

    private static String text(JsonNode p, String field) {
        JsonNode node = p.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ConfigurationException("UserParameters' \"" + field + "\" must be a string");
        }
        return node.asText();
    }

    private static String targetGroups(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<String> arns = new ArrayList<>();
            node.forEach(n -> arns.add(n.asText()));
            return String.join(",", arns);
        }
        throw new ConfigurationException("UserParameters' \"targetGroups\" must be a list of two ARNs");
    }

    /** The swap function's {@code "strategy"}, parsed by the same code. */
    static Strategy strategy(JsonNode node) {
        try {
            return Strategy.parse(node);
        } catch (Strategy.Invalid e) {
            throw new ConfigurationException("UserParameters " + e.getMessage());
        }
    }

    /** The checks as the JSON text {@link GreenChecks} parses: given as an array (or an object), or as that text. */
    private static String checks(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray() || node.isObject()) {
            return node.toString();
        }
        throw new ConfigurationException("UserParameters' \"checks\" must be a JSON array of checks (docs/hooks.md)");
    }

    private static List<String> images(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (node.isObject()) {
            node.properties().forEach(e -> values.add(e.getKey() + "=" + e.getValue().asText()));
        } else {
            throw new ConfigurationException("UserParameters' \"image\" must be \"REPO:TAG\", a list, or {\"CONTAINER\": \"REPO:TAG\"}");
        }
        return values;
    }

    private static Duration seconds(JsonNode p, String field, Duration fallback) {
        JsonNode node = p.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToLong() || node.asLong() < 0) {
            throw new ConfigurationException("UserParameters' \"" + field + "\" must be a number of seconds, 0 or more");
        }
        return Duration.ofSeconds(node.asLong());
    }
}
