package dev.ecsbluegreen.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.core.Deadline;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The CodeDeploy lifecycle hook trigger: validate green, then report {@code Succeeded} or {@code Failed}
 * exactly once — whatever happened before (bad event, bad configuration, exception, deadline). A report that
 * CodeDeploy does not take is rethrown so the invocation fails visibly (and Lambda retries it).
 */
final class CodeDeployHook {
    /** CodeDeploy's own ids look like d-4B7XWQ2KP; local emulators use UUIDs. Anything else is not an id. */
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Supplier<HookConfig> config;
    private final DeploymentTopology topology;
    private final Validation validation;
    private final HookReporter reporter;

    CodeDeployHook(Supplier<HookConfig> config, DeploymentTopology topology, Validation validation,
                   HookReporter reporter) {
        this.config = config;
        this.topology = topology;
        this.validation = validation;
        this.reporter = reporter;
    }

    /** True for {@code {"DeploymentId": …, "LifecycleEventHookExecutionId": …}}. */
    static boolean recognises(JsonNode event) {
        return event != null && event.isObject() && event.has("LifecycleEventHookExecutionId");
    }

    /**
     * @return a small JSON answer for whoever invoked the function (CodeDeploy ignores it)
     * @throws IllegalArgumentException when the event lacks the ids needed to report at all
     * @throws dev.ecsbluegreen.core.AwsCallException when the report failed
     */
    ObjectNode handle(JsonNode event, com.amazonaws.services.lambda.runtime.Context context, HookLog log) {
        String deploymentId = text(event, "DeploymentId");
        String executionId = text(event, "LifecycleEventHookExecutionId");
        if (deploymentId == null || executionId == null) {
            throw new IllegalArgumentException("a CodeDeploy hook event needs DeploymentId and "
                    + "LifecycleEventHookExecutionId; without both there is nothing to report to");
        }
        long started = System.nanoTime();
        AtomicReference<URI> baseUrl = new AtomicReference<>();
        String stageName = "unknown";
        Verdict verdict;
        try {
            HookConfig cfg = config.get();
            stageName = cfg.stage().hookName();
            if (!event.get("DeploymentId").isTextual() || !DEPLOYMENT_ID.matcher(deploymentId).matches()) {
                verdict = Verdict.failed("bad event: DeploymentId '" + deploymentId + "' is not a CodeDeploy deployment id");
            } else {
                Deadline deadline = Deadline.forInvocation(context, cfg.reportMargin(), cfg.maxValidation());
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
                .put("baseUrl", baseUrl.get() == null ? null : baseUrl.get().toString())
                .put("elapsedMillis", (System.nanoTime() - started) / 1_000_000);
        log.verdict(fields, status, verdict);
        HookReporter.Outcome outcome;
        try {
            outcome = reporter.report(deploymentId, executionId, verdict.passed());
        } catch (RuntimeException e) {
            log.note("report-failed", fields.deepCopy().put("status", status).put("error", e.getMessage()));
            throw e;
        }
        if (outcome == HookReporter.Outcome.ALREADY_COMPLETED) {
            log.note("report-already-completed", HookLog.fields().put("deploymentId", deploymentId)
                    .put("lifecycleEventHookExecutionId", executionId).put("status", status));
        }
        return HookLog.fields().put("deploymentId", deploymentId).put("status", status)
                .put("report", outcome.name()).put("reason", verdict.reason());
    }

    private Verdict validate(HookConfig cfg, String deploymentId, AtomicReference<URI> baseUrl, Deadline deadline,
                             Consumer<String> progress, HookLog log) {
        boolean needsTopology = cfg.baseUrl() == null || !cfg.gates().isEmpty();
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
        return validation.run(plan, deadline, progress, log::attempt);
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
