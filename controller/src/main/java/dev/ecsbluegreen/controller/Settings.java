package dev.ecsbluegreen.controller;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The set-up shared by the command line and the Lambda actions, with the environment variables both fall back on:
 * {@code ECS_CLUSTER}, {@code ECS_SERVICE}, {@code LIVE_LISTENER_ARN}, {@code TEST_LISTENER_ARN},
 * {@code TARGET_GROUP_ARNS} (the pair, comma-separated), {@code WAIT_TIMEOUT}, {@code CLEANUP_WAIT}.
 */
final class Settings {
    private Settings() {}

    static String orEnv(String given, UnaryOperator<String> env, String variable) {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        String value = env.apply(variable);
        return value == null || value.isBlank() ? null : value.strip();
    }

    static List<String> targetGroups(String commaSeparated) {
        if (commaSeparated == null) {
            throw new ConfigurationException("no target groups given: the pair blue and green alternate between, "
                    + "--target-groups ARN1,ARN2 (or TARGET_GROUP_ARNS)");
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static Target target(String cluster, String service, String live, String test, String targetGroups, UnaryOperator<String> env) {
        return new Target(orEnv(cluster, env, "ECS_CLUSTER"), orEnv(service, env, "ECS_SERVICE"),
                orEnv(live, env, "LIVE_LISTENER_ARN"), orEnv(test, env, "TEST_LISTENER_ARN"),
                targetGroups(orEnv(targetGroups, env, "TARGET_GROUP_ARNS")));
    }

    /**
     * {@code 90}, {@code 90s}, {@code 15m}, {@code 1h}; null for null.
     *
     * @throws ConfigurationException for anything else
     */
    static Duration duration(String text, String what) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (!t.matches("\\d{1,7}[smh]?")) {
            throw new ConfigurationException(what + " \"" + text + "\" is not a duration like 90, 90s, 15m or 1h");
        }
        char last = t.charAt(t.length() - 1);
        boolean hasUnit = !Character.isDigit(last);
        long n = Long.parseLong(hasUnit ? t.substring(0, t.length() - 1) : t);
        char unit = hasUnit ? last : 's';
        return switch (unit) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
