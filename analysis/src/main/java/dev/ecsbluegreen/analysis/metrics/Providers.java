package dev.ecsbluegreen.analysis.metrics;

import dev.ecsbluegreen.analysis.Measurement;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.Phase;
import dev.ecsbluegreen.analysis.ProviderSpec;
import dev.ecsbluegreen.analysis.Subject;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The provider of each kind of {@link ProviderSpec}, over the two CloudWatch seams. Every provider turns every
 * failure into an {@link Phase#ERROR} measurement (an {@link AwsCallException}'s message, or what else went wrong):
 * none throws. Thread-safe when the sources are.
 *
 * <ul>
 *   <li>{@link ProviderSpec.Alarms}: failed when an alarm is in {@code ALARM} (naming it and CloudWatch's reason);
 *       an error when a named alarm does not exist or no alarm's name starts with the prefix (the gate would watch
 *       nothing the operator meant); inconclusive when an alarm is in {@code INSUFFICIENT_DATA}; else successful.
 *   <li>{@link ProviderSpec.MetricQuery}: the queries over the <em>last interval</em> [now - interval, now], so that
 *       each measurement judges fresh data (as Argo's CloudWatch provider reads its lookback window); the
 *       {@code resultId}'s values folded, compared with the condition; no datapoints is inconclusive.
 *   <li>{@link ProviderSpec.Preset} and {@link ProviderSpec.GreenVersusBlue}: see {@link LoadBalancerMetrics}; they
 *       read the <em>whole window</em> [windowStart, now], since a ratio over more requests says more.
 * </ul>
 */
public final class Providers {
    /** How much of CloudWatch's {@code StateReason} an alarm measurement quotes. */
    static final int REASON_CHARACTERS = 160;

    private final AlarmSource alarms;
    private final MetricDataSource metrics;
    private final LoadBalancerMetrics loadBalancer;

    public Providers(AlarmSource alarms, MetricDataSource metrics) {
        this.alarms = alarms;
        this.metrics = metrics;
        this.loadBalancer = new LoadBalancerMetrics(metrics);
    }

    /** The provider that measures {@code provider}; it never throws. */
    public Provider forSpec(ProviderSpec provider) {
        Provider measure = switch (provider) {
            case ProviderSpec.Alarms gate -> (spec, subject, windowStart, now, deadline) ->
                    alarms(spec, gate, now, deadline);
            case ProviderSpec.MetricQuery query -> (spec, subject, windowStart, now, deadline) ->
                    query(spec, query, subject, now, deadline);
            case ProviderSpec.Preset preset -> (spec, subject, windowStart, now, deadline) ->
                    loadBalancer.preset(spec, preset, subject, windowStart, now, deadline);
            case ProviderSpec.GreenVersusBlue comparison -> (spec, subject, windowStart, now, deadline) ->
                    loadBalancer.greenVersusBlue(spec, comparison, subject, windowStart, now, deadline);
        };
        return contained(measure);
    }

    private static Provider contained(Provider provider) {
        return (spec, subject, windowStart, now, deadline) -> {
            try {
                return provider.measure(spec, subject, windowStart, now, deadline);
            } catch (AwsCallException e) {
                return measurement(spec, Phase.ERROR, now, e.getMessage(), Map.of());
            } catch (RuntimeException e) {
                return measurement(spec, Phase.ERROR, now, "the measurement failed unexpectedly: " + e, Map.of());
            }
        };
    }

    static Measurement measurement(MetricSpec spec, Phase phase, Instant now, String summary,
                                   Map<String, Double> figures) {
        return new Measurement(spec.name(), phase, now, summary, figures);
    }

    // ------------------------------------------------------------------ alarms

    private Measurement alarms(MetricSpec spec, ProviderSpec.Alarms gate, Instant now, Deadline deadline) {
        Map<String, AlarmSource.AlarmState> found = new LinkedHashMap<>();
        for (AlarmSource.AlarmState alarm : alarms.alarms(gate.names(), gate.namePrefix(), deadline)) {
            found.putIfAbsent(alarm.name(), alarm);
        }
        List<AlarmSource.AlarmState> inAlarm = found.values().stream().filter(a -> "ALARM".equals(a.state())).toList();
        List<AlarmSource.AlarmState> unsure = found.values().stream()
                .filter(a -> !"ALARM".equals(a.state()) && !"OK".equals(a.state())).toList();
        List<String> missing = gate.names().stream().filter(name -> !found.containsKey(name)).toList();
        boolean prefixMatchedNone = gate.namePrefix() != null
                && found.keySet().stream().noneMatch(name -> name.startsWith(gate.namePrefix()));
        Map<String, Double> figures = Map.of("alarms", (double) found.size(), "inAlarm", (double) inAlarm.size(),
                "insufficientData", (double) unsure.size(), "missing", (double) missing.size());
        int total = found.size();
        if (!inAlarm.isEmpty()) {
            return measurement(spec, Phase.FAILED, now, inAlarm.size() + " of " + total + " alarms in ALARM: "
                    + inAlarm.stream().map(Providers::withReason).collect(Collectors.joining("; ")), figures);
        }
        if (!missing.isEmpty()) {
            return measurement(spec, Phase.ERROR, now, missing.size() == 1
                    ? "alarm " + missing.get(0) + " does not exist"
                    : "alarms " + String.join(", ", missing) + " do not exist", figures);
        }
        if (prefixMatchedNone) {
            return measurement(spec, Phase.ERROR, now, "no alarm's name starts with '" + gate.namePrefix() + "'",
                    figures);
        }
        if (total == 0) {
            return measurement(spec, Phase.ERROR, now, "no alarm is named: the gate watches nothing", figures);
        }
        if (!unsure.isEmpty()) {
            return measurement(spec, Phase.INCONCLUSIVE, now, unsure.size() + " of " + total + " alarms in "
                    + unsure.stream().map(a -> a.state() + ": " + a.name()).collect(Collectors.joining("; ")),
                    figures);
        }
        return measurement(spec, Phase.SUCCESSFUL, now, total + (total == 1 ? " alarm OK" : " alarms OK"), figures);
    }

    private static String withReason(AlarmSource.AlarmState alarm) {
        return alarm.reason() == null || alarm.reason().isBlank() ? alarm.name()
                : alarm.name() + " (" + Figures.shorten(alarm.reason(), REASON_CHARACTERS) + ")";
    }

    // ------------------------------------------------------------------ metric queries

    private Measurement query(MetricSpec spec, ProviderSpec.MetricQuery metric, Subject subject, Instant now,
                              Deadline deadline) {
        List<ProviderSpec.Query> resolved = new ArrayList<>();
        for (ProviderSpec.Query query : metric.queries()) {
            Map<String, String> dimensions = new LinkedHashMap<>();
            for (Map.Entry<String, String> dimension : query.dimensions().entrySet()) {
                Placeholder.Resolution value = Placeholder.resolve(dimension.getValue(), subject);
                if (value.missing() != null) {
                    return measurement(spec, Phase.ERROR, now, "query " + query.id() + " dimension "
                            + dimension.getKey() + " is " + dimension.getValue() + ", but " + value.missing(), Map.of());
                }
                dimensions.put(dimension.getKey(), value.value());
            }
            resolved.add(new ProviderSpec.Query(query.id(), query.namespace(), query.metricName(), dimensions,
                    query.periodSeconds(), query.stat(), query.expression(), query.returnData()));
        }
        Duration interval = spec.interval();
        List<Double> values = metrics.query(resolved, now.minus(interval), now, deadline)
                .getOrDefault(metric.resultId(), List.of());
        String window = Figures.window(interval);
        if (values.isEmpty()) {
            return measurement(spec, Phase.INCONCLUSIVE, now, metric.resultId() + ": no datapoints " + window,
                    Map.of("datapoints", 0.0));
        }
        double figure = Figures.fold(metric.fold(), values);
        boolean holds = metric.condition().holds(figure);
        String fold = metric.fold().name().toLowerCase(java.util.Locale.ROOT);
        return measurement(spec, holds ? Phase.SUCCESSFUL : Phase.FAILED, now,
                "%s %s %s (%d datapoint%s %s) %s %s".formatted(metric.resultId(), fold, Figures.number(figure),
                        values.size(), values.size() == 1 ? "" : "s", window, Figures.relation(metric.condition(), holds),
                        Figures.number(metric.condition().threshold())),
                Map.of("value", figure, "datapoints", (double) values.size()));
    }
}
