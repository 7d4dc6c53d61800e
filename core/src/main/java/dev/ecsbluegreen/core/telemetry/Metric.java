package dev.ecsbluegreen.core.telemetry;

import java.util.Set;

/**
 * Every metric a function emits, in CloudWatch Embedded Metric Format ({@link MetricsLog}): the one list that
 * the docs (docs/operations.md) and the template's alarms and dashboard are checked against. A metric not here
 * cannot be emitted.
 *
 * <p>Every metric carries the dimension set {@code [service]} (what an alarm of the template watches), and
 * {@code [service, <scope>]} when the invocation's subject is known: {@code LoadBalancer} for the swap,
 * {@code Stage} for the hooks, {@code Service} for the controller. A breakdown ({@code Strategy}, {@code Reason},
 * {@code Status}) adds {@code [service, <breakdown>]}. The cold start follows Powertools: {@code [service,
 * function_name]}.
 */
public enum Metric {
    // ---------------------------------------------------------------- every function
    COLD_START("ColdStart", Unit.COUNT, "1 on the first invocation of an execution environment (Powertools' ColdStart)", Function.ALL),
    DURATION("Duration", Unit.MILLISECONDS, "time the function spent on the invocation, event to answer", Function.ALL),
    REPORT_FAILED("ReportFailed", Unit.COUNT, "a report to CodePipeline, CodeDeploy or ECS did not go through (the invocation fails so that Lambda retries it)", Function.ALL),

    // ---------------------------------------------------------------- the swap and the controller
    SUCCEEDED("Succeeded", Unit.COUNT, "a release (or hook) ended succeeded; swap: by Strategy (allAtOnce, canary, linear); hooks: by Stage", Function.ALL),
    FAILED("Failed", Unit.COUNT, "a release (or hook) ended failed; swap/controller: by Reason (ConfigurationError, JobFailed, PermissionError); hooks: by Reason class", Function.ALL),
    CONTINUED("Continued", Unit.COUNT, "a canary or linear step (or an ECS bake, or a controller wait) answered in progress: CodePipeline or ECS calls again", Function.ALL),
    RESTORED("Restored", Unit.COUNT, "a failed release put the routing back, confirmed by read-back", Function.SWAP_AND_CONTROLLER),
    RESTORE_INCOMPLETE("RestoreIncomplete", Unit.COUNT, "a failed release could NOT put everything back (read-back disagrees): a person must act now", Function.SWAP_AND_CONTROLLER),
    CUTOVER_MILLIS("CutoverMillis", Unit.MILLISECONDS, "first routing write to last of one routing change (a swap, or one canary/linear step)", Function.SWAP),

    // ---------------------------------------------------------------- the hooks
    CHECK_LATENCY("CheckLatencyMillis", Unit.MILLISECONDS, "one HTTP check attempt's latency", Function.HOOKS),
    BURST_P95("BurstP95Millis", Unit.MILLISECONDS, "95th percentile latency of a check's request burst", Function.HOOKS),
    ANALYSIS_MEASUREMENT("AnalysisMeasurement", Unit.COUNT, "one analysis measurement, by Status (Successful, Failed, Error, Inconclusive)", Function.HOOKS),
    ;

    /** Which functions emit a metric. */
    public enum Function {
        SWAP, HOOKS, CONTROLLER;
        static final Set<Function> ALL = Set.of(SWAP, HOOKS, CONTROLLER);
        static final Set<Function> SWAP_AND_CONTROLLER = Set.of(SWAP, CONTROLLER);
    }

    /** EMF's units (CloudWatch's StandardUnit names). */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds");
        public final String emfName;

        Unit(String emfName) {
            this.emfName = emfName;
        }
    }

    public final String metricName;
    public final Unit unit;
    public final String meaning;
    public final Set<Function> functions;

    Metric(String metricName, Unit unit, String meaning, Function function) {
        this(metricName, unit, meaning, Set.of(function));
    }

    Metric(String metricName, Unit unit, String meaning, Set<Function> functions) {
        this.metricName = metricName;
        this.unit = unit;
        this.meaning = meaning;
        this.functions = functions;
    }
}
