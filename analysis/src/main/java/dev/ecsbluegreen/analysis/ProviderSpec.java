package dev.ecsbluegreen.analysis;

import java.util.List;
import java.util.Map;

/** What a metric measures, as data. Each kind has one provider ({@link dev.ecsbluegreen.analysis.metrics.Providers}). */
public sealed interface ProviderSpec {

    /**
     * The {@code ALARMS} gate: none of the named alarms (or of the alarms whose name starts with {@code namePrefix})
     * may be in {@code ALARM}; {@code INSUFFICIENT_DATA} is inconclusive; a named alarm that does not exist is an error.
     */
    record Alarms(List<String> names, String namePrefix) implements ProviderSpec {
        public Alarms {
            names = List.copyOf(names);
        }
    }

    /**
     * {@code METRICS}: CloudWatch {@code GetMetricData} queries (metric stats or math expressions) over the last
     * interval; the query {@code resultId}'s values, folded by {@code fold}, must meet {@code condition}.
     */
    record MetricQuery(List<Query> queries, String resultId, Fold fold, Condition condition) implements ProviderSpec {
        public MetricQuery {
            queries = List.copyOf(queries);
        }
    }

    /**
     * A preset over the target groups discovered from the deployment (no query written by hand): green's 5xx ratio
     * ({@code HTTPCode_Target_5XX_Count} / {@code RequestCount}), green's p95/p99 {@code TargetResponseTime} (seconds),
     * green's {@code UnHealthyHostCount}.
     *
     * @param minRequests for the 5xx ratio: fewer requests in the window is inconclusive
     */
    record Preset(PresetKind kind, Condition condition, long minRequests) implements ProviderSpec {}

    /**
     * Green versus blue while both take live traffic: the same figures for both target groups over the same window
     * (since the step began). Green fails when its 5xx ratio exceeds blue's by more than {@code errorRatioMargin}
     * (absolute, e.g. 0.01 = one percentage point), or when its latency {@code latencyStat} exceeds blue's by more
     * than {@code latencyMargin} (relative, e.g. 0.2 = 20 %) and is above {@code latencyFloor}; inconclusive while
     * either served fewer than {@code minRequests}, or when blue takes no live traffic.
     *
     * @param latencyStat a CloudWatch statistic ({@code p95}, {@code p99}, {@code Average}); null: latency not compared
     * @param latencyFloor seconds: a green latency at or under it passes whatever blue's (at a few milliseconds, twice
     *     blue's is noise, not a regression); 0 for none
     */
    record GreenVersusBlue(double errorRatioMargin, String latencyStat, double latencyMargin, long minRequests,
                           double latencyFloor) implements ProviderSpec {
        public GreenVersusBlue(double errorRatioMargin, String latencyStat, double latencyMargin, long minRequests) {
            this(errorRatioMargin, latencyStat, latencyMargin, minRequests, 0);
        }
    }

    enum PresetKind {
        GREEN_5XX_RATIO("green-5xx-ratio"),
        GREEN_P95_LATENCY("green-p95-latency"),
        GREEN_P99_LATENCY("green-p99-latency"),
        GREEN_UNHEALTHY_HOSTS("green-unhealthy-hosts");

        private final String configName;

        PresetKind(String configName) {
            this.configName = configName;
        }

        /** The name used in the configuration. */
        public String configName() {
            return configName;
        }
    }

    /** How the values of a query's datapoints over the window become one figure. */
    enum Fold { SUM, AVERAGE, MAXIMUM, MINIMUM, LAST }

    /** A measurement is successful when {@code figure operator threshold} holds. */
    record Condition(Operator operator, double threshold) {
        /** Whether {@code figure operator threshold} holds (never for NaN). */
        public boolean holds(double figure) {
            return operator.holds(figure, threshold);
        }
    }

    enum Operator {
        LESS_THAN("<"), LESS_THAN_OR_EQUAL("<="), GREATER_THAN(">"), GREATER_THAN_OR_EQUAL(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** Whether {@code left operator right} holds (never when either is NaN). */
        public boolean holds(double left, double right) {
            return switch (this) {
                case LESS_THAN -> left < right;
                case LESS_THAN_OR_EQUAL -> left <= right;
                case GREATER_THAN -> left > right;
                case GREATER_THAN_OR_EQUAL -> left >= right;
            };
        }

        /** The operator that holds exactly when this one does not (for non-NaN figures): how a summary says "not". */
        public Operator negated() {
            return switch (this) {
                case LESS_THAN -> GREATER_THAN_OR_EQUAL;
                case LESS_THAN_OR_EQUAL -> GREATER_THAN;
                case GREATER_THAN -> LESS_THAN_OR_EQUAL;
                case GREATER_THAN_OR_EQUAL -> LESS_THAN;
            };
        }

        /** The operator written {@code symbol} ({@code <}, {@code <=}, {@code >}, {@code >=}), or null. */
        public static Operator ofSymbol(String symbol) {
            for (Operator operator : values()) {
                if (operator.symbol.equals(symbol)) {
                    return operator;
                }
            }
            return null;
        }
    }

    /**
     * One {@code MetricDataQuery}: either a metric stat or an expression.
     *
     * @param dimensions for a metric stat; a value {@code ${greenTargetGroup}}, {@code ${blueTargetGroup}} or
     *                   {@code ${loadBalancer}} is replaced by the deployment's (ARN suffixes as CloudWatch names them)
     */
    record Query(String id, String namespace, String metricName, Map<String, String> dimensions, Integer periodSeconds,
                 String stat, String expression, boolean returnData) {
        public Query {
            dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
        }
    }
}
