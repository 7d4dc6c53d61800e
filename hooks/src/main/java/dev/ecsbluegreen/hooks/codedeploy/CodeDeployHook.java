package dev.ecsbluegreen.hooks.codedeploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.AnalysisVerdict;
import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.ProviderSpec;
import dev.ecsbluegreen.analysis.Subject;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.Redaction;
import dev.ecsbluegreen.hooks.HookConfig;
import dev.ecsbluegreen.hooks.HookLog;
import dev.ecsbluegreen.hooks.Listener;
import dev.ecsbluegreen.hooks.TimeBox;
import dev.ecsbluegreen.hooks.Validation;
import dev.ecsbluegreen.hooks.ValidationPlan;
import dev.ecsbluegreen.hooks.Verdict;
import dev.ecsbluegreen.hooks.codedeploy.DeploymentTopology;
import dev.ecsbluegreen.hooks.codedeploy.HookReporter;
import dev.ecsbluegreen.hooks.codedeploy.Topology;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The CodeDeploy lifecycle hook trigger: validate green, then report {@code Succeeded} or {@code Failed}
 * exactly once — whatever happened before (bad event, bad configuration, exception, deadline). A report that
 * CodeDeploy does not take is rethrown so the invocation fails visibly (and Lambda retries it).
 */
public final class CodeDeployHook {
    /** CodeDeploy's own ids look like d-4B7XWQ2KP; local emulators use UUIDs. Anything else is not an id. */
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /**
     * Kept back from the invocation's remaining time when the report is bounded by it: writing the answer and
     * the last log line.
     */
    public static final Duration ANSWER_TIME = Duration.ofMillis(200);

    private final Supplier<HookConfig> config;
    private final DeploymentTopology topology;
    private final Validation validation;
    private final Analysis analysis;
    private final HookReporter reporter;
    private final Clock clock;
    private final LongSupplier nanoClock;

    public CodeDeployHook(Supplier<HookConfig> config, DeploymentTopology topology, Validation validation,
                          Analysis analysis, HookReporter reporter, Clock clock, LongSupplier nanoClock) {
        this.config = config;
        this.topology = topology;
        this.validation = validation;
        this.analysis = analysis;
        this.reporter = reporter;
        this.clock = clock;
        this.nanoClock = nanoClock;
    }

    /** True for {@code {"DeploymentId": …, "LifecycleEventHookExecutionId": …}}. */
    public static boolean recognises(JsonNode event) {
        return event != null && event.isObject() && event.has("LifecycleEventHookExecutionId");
    }

    /**
     * @return a small JSON answer for whoever invoked the function (CodeDeploy ignores it)
     * @throws IllegalArgumentException when the event lacks the ids needed to report at all
     * @throws dev.ecsbluegreen.core.AwsCallException when the report failed
     */
    public ObjectNode handle(JsonNode event, com.amazonaws.services.lambda.runtime.Context context, HookLog log) {
        String deploymentId = text(event, "DeploymentId");
        String executionId = text(event, "LifecycleEventHookExecutionId");
        if (deploymentId == null || executionId == null) {
            throw new IllegalArgumentException("a CodeDeploy hook event needs DeploymentId and "
                    + "LifecycleEventHookExecutionId; without both there is nothing to report to");
        }
        long started = nanoClock.getAsLong();
        log.keep("deploymentId", deploymentId).keep("hookExecutionId", executionId);
        AtomicReference<URI> baseUrl = new AtomicReference<>();
        String stageName = "unknown";
        Verdict verdict;
        try {
            HookConfig cfg = config.get();
            stageName = cfg.stage().hookName();
            log.keep("stage", stageName);
            if (!event.get("DeploymentId").isTextual() || !DEPLOYMENT_ID.matcher(deploymentId).matches()) {
                verdict = Verdict.failed("bad event: DeploymentId '" + deploymentId + "' is not a CodeDeploy deployment id");
            } else {
                Deadline deadline = TimeBox.validationDeadline(context, cfg, nanoClock, log);
                verdict = TimeBox.within(deadline, progress -> validate(cfg, deploymentId, baseUrl, deadline, progress, log));
            }
        } catch (InvalidConfigurationException e) {
            verdict = Verdict.failed("configuration: " + e.getMessage());
        } catch (RuntimeException e) {
            verdict = Verdict.failed("validation failed with " + e);
        }
        String status = verdict.passed() ? "Succeeded" : "Failed";
        ObjectNode fields = HookLog.fields()
                .put("trigger", "codedeploy")
                .put("deploymentId", deploymentId)
                .put("lifecycleEventHookExecutionId", executionId)
                .put("stage", stageName)
                .put("baseUrl", baseUrl.get() == null ? null : Redaction.url(baseUrl.get().toString()))
                .put("elapsedMillis", (nanoClock.getAsLong() - started) / 1_000_000);
        log.verdict(fields, status, verdict);
        HookReporter.Outcome outcome;
        try {
            outcome = reporter.report(deploymentId, executionId, verdict.passed(), reportTime(context));
        } catch (RuntimeException e) {
            log.note("report-failed", fields.deepCopy().put("status", status).put("error", e.getMessage()));
            throw e;
        }
        if (outcome == HookReporter.Outcome.ALREADY_COMPLETED) {
            log.note("report-already-completed", HookLog.fields().put("deploymentId", deploymentId)
                    .put("lifecycleEventHookExecutionId", executionId).put("status", status));
        }
        return HookLog.fields().put("deploymentId", Redaction.text(deploymentId)).put("status", status)
                .put("report", outcome.name()).put("reason", verdict.reason());
    }

    private Verdict validate(HookConfig cfg, String deploymentId, AtomicReference<URI> baseUrl, Deadline deadline,
                             Consumer<String> progress, HookLog log) {
        boolean production = cfg.stage().listener() == Listener.PRODUCTION;
        boolean analysed = production && !cfg.analysis().isEmpty();
        boolean driftChecked = cfg.stage() == HookStage.BEFORE_ALLOW_TRAFFIC && cfg.driftCheck();
        boolean needsTopology = cfg.baseUrl() == null || !cfg.gates().isEmpty() || analysed || driftChecked;
        Topology found = null;
        Topology.Route route = null;
        if (needsTopology) {
            progress.accept("discovery of deployment " + deploymentId);
            found = topology.describe(deploymentId);
            route = found.route(cfg.stage().listener());
        }
        URI base = cfg.baseUrl() != null ? cfg.baseUrl() : route.baseUrl();
        baseUrl.set(base);
        ValidationPlan plan = new ValidationPlan(base, cfg.checks(), cfg.gates(),
                route == null ? null : route.targetGroupArn(),
                found == null ? null : found.cluster(), found == null ? null : found.service());
        Verdict verdict = validation.run(plan, deadline, progress, log::attempt);
        if (!verdict.passed()) {
            return verdict;
        }
        if (driftChecked) {
            progress.accept("weight drift check of the production listener");
            Optional<String> drift = CodeDeployDrift.difference(found);
            if (drift.isPresent()) {
                return new Verdict(false, "weight drift: " + drift.get(), verdict.checks(), verdict.gates());
            }
        }
        if (analysed) {
            progress.accept("analysis of production traffic");
            return verdict.then(analyse(cfg, found, deadline, log));
        }
        return verdict;
    }

    /**
     * The analysis within this one invocation: from now until every metric is decided, or until the validation's
     * deadline (the function's timeout less the report's margin, at most MAX_VALIDATION_SECONDS) cuts the window.
     */
    private AnalysisVerdict analyse(HookConfig cfg, Topology found, Deadline deadline, HookLog log) {
        Topology.Route live = found.production();
        String green = live.targetGroupArn();
        String blue = live.forward().percentages().keySet().stream().filter(arn -> !arn.equals(green)).findFirst().orElse(null);
        double greenPercent = live.percent(green);
        boolean bothServe = blue != null && greenPercent > 0 && greenPercent < 100;
        List<MetricSpec> metrics = cfg.analysis().stream()
                .filter(metric -> bothServe || !(metric.provider() instanceof ProviderSpec.GreenVersusBlue))
                .toList();
        if (metrics.size() < cfg.analysis().size()) {
            log.note("analysis-not-applicable", HookLog.fields().put("why", "green versus blue needs both to take "
                    + "live traffic; the production listener sends green " + Math.round(greenPercent) + " %"));
        }
        Subject subject = new Subject(live.loadBalancerArn(), green, blue, greenPercent);
        return analysis.runToVerdict(metrics, subject, clock.instant(), deadline, log::measurement);
    }

    /**
     * What the report may take: the invocation's remaining time less {@link #ANSWER_TIME} (never less than half
     * of what remains), so that it reaches CodeDeploy, or fails visibly, before Lambda stops the function; null
     * when the context does not know its remaining time (some local runners).
     */
    public static Duration reportTime(com.amazonaws.services.lambda.runtime.Context context) {
        long remainingMillis = context == null ? 0 : context.getRemainingTimeInMillis();
        if (remainingMillis <= 0) {
            return null;
        }
        Duration left = Duration.ofMillis(remainingMillis);
        Duration afterAnswer = left.minus(ANSWER_TIME);
        Duration half = left.dividedBy(2);
        return afterAnswer.compareTo(half) > 0 ? afterAnswer : half.isZero() ? Duration.ofMillis(1) : half;
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
