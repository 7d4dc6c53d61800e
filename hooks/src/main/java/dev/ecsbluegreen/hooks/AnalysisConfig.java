package dev.ecsbluegreen.hooks;

import dev.ecsbluegreen.analysis.AnalysisParser;
import dev.ecsbluegreen.analysis.MetricSpec;
import java.time.Duration;
import java.util.List;

/**
 * The hooks' analysis, from two variables: {@code ANALYSIS} (the metrics, see docs/hooks.md) and
 * {@code ALARM_NAMES} (CloudWatch alarms that must not be in {@code ALARM}; a name ending in {@code *} is a prefix),
 * and how long an Amazon ECS step may bake by default.
 */
final class AnalysisConfig {
    private static final Duration BAKE_SLACK = Duration.ofMinutes(1);

    private AnalysisConfig() {}

    /** @throws dev.ecsbluegreen.analysis.InvalidConfigurationException naming the variable and the field at fault */
    static List<MetricSpec> metrics(String analysisJson, String alarmNames) {
        return AnalysisParser.parse(analysisJson, alarmNames);
    }

    /** Three times the longest metric's window plus a minute: room for late datapoints and slow callbacks. */
    static Duration defaultMaxBake(List<MetricSpec> metrics) {
        Duration longest = metrics.stream().map(m -> m.interval().multipliedBy(m.count()))
                .max(Duration::compareTo).orElse(Duration.ZERO);
        return longest.multipliedBy(3).plus(BAKE_SLACK);
    }
}
