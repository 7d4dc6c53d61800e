package dev.ecsbluegreen.hooks;

import dev.ecsbluegreen.analysis.AnalysisParser;
import dev.ecsbluegreen.analysis.InconclusivePolicy;
import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.ProviderSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The hooks' analysis, from two variables: {@code ANALYSIS} (the metrics, see docs/hooks.md) and
 * {@code ALARM_NAMES} (CloudWatch alarms that must not be in {@code ALARM}; a name ending in {@code *} is a prefix).
 * The alarms are watched for as long as the longest metric of {@code ANALYSIS} measures, at its shortest interval.
 */
final class AnalysisConfig {
    /** With no {@code ANALYSIS}, the alarms are looked at once, after this long. */
    static final Duration ALARMS_ONLY_INTERVAL = Duration.ofSeconds(30);
    private static final Duration BAKE_SLACK = Duration.ofMinutes(1);

    private AnalysisConfig() {}

    /** @throws InvalidConfigurationException naming the variable and the field at fault */
    static List<MetricSpec> metrics(String analysisJson, String alarmNames) {
        List<MetricSpec> metrics = new ArrayList<>(analysisJson == null ? List.of() : AnalysisParser.parse(analysisJson));
        if (alarmNames == null) {
            return metrics;
        }
        Duration interval = metrics.stream().map(MetricSpec::interval).min(Duration::compareTo).orElse(ALARMS_ONLY_INTERVAL);
        long longest = metrics.stream().mapToLong(m -> m.interval().toSeconds() * m.count()).max().orElse(interval.toSeconds());
        int count = (int) Math.max(1, (longest + interval.toSeconds() - 1) / interval.toSeconds());
        List<String> names = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String part : alarmNames.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (name.endsWith("*")) {
                String prefix = name.substring(0, name.length() - 1);
                if (prefix.isEmpty() || prefix.contains("*")) {
                    throw new InvalidConfigurationException("ALARM_NAMES entry '" + name + "': a prefix is a name "
                            + "followed by one '*' at its end");
                }
                prefixes.add(prefix);
            } else if (name.contains("*")) {
                throw new InvalidConfigurationException("ALARM_NAMES entry '" + name + "': '*' may only end a name (a prefix)");
            } else {
                names.add(name);
            }
        }
        if (names.isEmpty() && prefixes.isEmpty()) {
            throw new InvalidConfigurationException("ALARM_NAMES '" + alarmNames + "' names no alarm");
        }
        List<String> taken = metrics.stream().map(MetricSpec::name).toList();
        if (!names.isEmpty()) {
            metrics.add(alarms(unique("alarms", taken), new ProviderSpec.Alarms(names, null), interval, count));
        }
        for (String prefix : prefixes) {
            metrics.add(alarms(unique("alarms " + prefix + "*", taken), new ProviderSpec.Alarms(List.of(), prefix),
                    interval, count));
        }
        return metrics;
    }

    /** Three times the longest metric's window plus a minute: room for late datapoints and slow callbacks. */
    static Duration defaultMaxBake(List<MetricSpec> metrics) {
        Duration longest = metrics.stream().map(m -> m.interval().multipliedBy(m.count()))
                .max(Duration::compareTo).orElse(Duration.ZERO);
        return longest.multipliedBy(3).plus(BAKE_SLACK);
    }

    private static MetricSpec alarms(String name, ProviderSpec.Alarms spec, Duration interval, int count) {
        // one alarm in ALARM fails at once; a provider error is tolerated as for any metric
        return new MetricSpec(name, spec, interval, count, 0, 4, 0, InconclusivePolicy.FAIL);
    }

    private static String unique(String name, List<String> taken) {
        String candidate = name;
        for (int i = 2; taken.contains(candidate); i++) {
            candidate = name + " " + i;
        }
        return candidate;
    }
}
