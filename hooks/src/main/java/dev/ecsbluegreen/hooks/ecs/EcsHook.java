package dev.ecsbluegreen.hooks.ecs;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.Redaction;
import dev.ecsbluegreen.hooks.HookConfig;
import dev.ecsbluegreen.hooks.HookLog;
import dev.ecsbluegreen.hooks.Listener;
import dev.ecsbluegreen.hooks.TimeBox;
import dev.ecsbluegreen.hooks.Validation;
import dev.ecsbluegreen.hooks.ValidationPlan;
import dev.ecsbluegreen.hooks.Verdict;
import dev.ecsbluegreen.hooks.ecs.EcsStage;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Amazon ECS built-in blue/green hook trigger: the answer is the return value
 * {@code {"hookStatus": SUCCEEDED|FAILED|IN_PROGRESS, "callBackDelay", "hookDetails"}}. A failed validation
 * is answered {@code IN_PROGRESS} (ECS calls again after {@code callBackDelay}) until the retry window since
 * the stage's first call has passed; the window's start travels in {@code hookDetails}. A rollback call
 * (green's traffic weight back at 0) is answered {@code SUCCEEDED} without testing green.
 */
public final class EcsHook {
    /** Our state inside the hook details that ECS hands back on the next call. */
    public static final String STATE = "ecsBlueGreenValidation";

    private final Supplier<HookConfig> config;
    private final Validation validation;
    private final ProductionStep production;
    private final Clock clock;
    private final LongSupplier nanoClock;

    public EcsHook(Supplier<HookConfig> config, Validation validation, ServiceRoutingSource routing, Analysis analysis,
                   Clock clock, LongSupplier nanoClock) {
        this.config = config;
        this.validation = validation;
        this.production = new ProductionStep(routing, analysis, clock);
        this.clock = clock;
        this.nanoClock = nanoClock;
    }

    /** True for {@code {"executionId": …, "lifecycleStage": …}}. */
    public static boolean recognises(JsonNode event) {
        return event != null && event.isObject() && event.has("executionId") && event.has("lifecycleStage");
    }

    public ObjectNode handle(JsonNode event, Context context, HookLog log) {
        long started = nanoClock.getAsLong();
        String executionId = event.path("executionId").asText();
        String stageName = event.path("lifecycleStage").asText();
        JsonNode details = event.path("executionDetails");
        String serviceArn = details.path("serviceArn").asText(null);
        JsonNode hookDetails = event.path("hookDetails");
        log.keep("hookExecutionId", executionId).keep("stage", stageName);
        ObjectNode fields = HookLog.fields()
                .put("trigger", "ecs")
                .put("executionId", executionId)
                .put("stage", stageName)
                .put("serviceArn", serviceArn)
                .put("targetServiceRevisionArn", details.path("targetServiceRevisionArn").asText(null));
        ObjectNode answer;
        Verdict verdict;
        try {
            EcsStage stage = EcsStage.parse(stageName);
            if (stage == null) {
                verdict = Verdict.failed("bad event: lifecycleStage '" + stageName + "' is not an Amazon ECS lifecycle stage");
                answer = status("FAILED");
            } else if (isRollback(stage, details)) {
                // answered before the configuration is even read: nothing may stand in the way of a rollback
                verdict = new Verdict(true, "rollback: green's " + stage.listener().name().toLowerCase(java.util.Locale.ROOT)
                        + " traffic weight is back at 0, nothing of green to validate", java.util.List.of(), java.util.List.of());
                answer = status("SUCCEEDED");
            } else if (stage.listener() == null && !config.get().gatesExplicit()) {
                verdict = new Verdict(true, "green takes no traffic at " + stage + ": nothing to test", java.util.List.of(), java.util.List.of());
                answer = status("SUCCEEDED");
            } else {
                HookConfig cfg = config.get();
                URI base = baseUrl(hookDetails, cfg);
                fields.put("baseUrl", base == null ? null : Redaction.url(base.toString()));
                Deadline deadline = TimeBox.validationDeadline(context, cfg, nanoClock, log);
                verdict = validate(cfg, stage, base, serviceArn, deadline, log);
                if (verdict.passed()) {
                    Double greenPercent = TrafficWeights.greenPercent(details.path("productionTrafficWeights"),
                            details.path("targetServiceRevisionArn").asText(null));
                    if (greenPercent == null && stage == EcsStage.POST_PRODUCTION_TRAFFIC_SHIFT) {
                        greenPercent = 100.0; // after the last shift, whether or not the request says so
                    }
                    fields.put("greenProductionPercent", greenPercent);
                    String[] clusterAndService = clusterAndService(serviceArn);
                    if (stage == EcsStage.PRE_PRODUCTION_TRAFFIC_SHIFT && cfg.driftCheck()) {
                        verdict = driftChecked(verdict, clusterAndService, greenPercent, deadline);
                        answer = status(verdict.passed() ? "SUCCEEDED" : "FAILED");
                    } else if (stage.listener() == Listener.PRODUCTION && !cfg.analysis().isEmpty()) {
                        ProductionStep.Answer step = production.judge(cfg, clusterAndService[0], clusterAndService[1],
                                greenPercent, hookDetails.path(STATE), deadline, log);
                        verdict = new Verdict(step.status().equals("SUCCEEDED"), verdict.reason() + "; " + step.reason(),
                                verdict.checks(), verdict.gates(), step.metrics());
                        answer = step.status().equals("IN_PROGRESS")
                                ? inProgress(hookDetails, step.callBackDelay(), HookLog.fields().set(ProductionStep.ANALYSIS, step.state()))
                                : status(step.status());
                    } else {
                        answer = status("SUCCEEDED");
                    }
                } else {
                    answer = decide(verdict, hookDetails, cfg);
                }
            }
        } catch (InvalidConfigurationException e) {
            verdict = Verdict.failed("configuration: " + e.getMessage());
            answer = status("FAILED");
        } catch (RuntimeException e) {
            verdict = Verdict.failed("validation failed with " + e);
            answer = status("FAILED");
        }
        fields.put("elapsedMillis", (nanoClock.getAsLong() - started) / 1_000_000);
        if (answer.has("hookDetails")) {
            fields.put("round", answer.path("hookDetails").path(STATE).path("round").asInt());
        }
        log.verdict(fields, answer.path("hookStatus").asText(), verdict);
        return answer;
    }

    /** Before a production shift, green's passed checks are followed by the weight drift check. */
    private Verdict driftChecked(Verdict checks, String[] clusterAndService, Double greenPercent, Deadline deadline) {
        if (greenPercent == null) {
            return new Verdict(true, checks.reason() + "; weight drift not checked: the request reports no "
                    + "productionTrafficWeights for green", checks.checks(), checks.gates());
        }
        Optional<String> drift = production.drift(clusterAndService[0], clusterAndService[1], greenPercent, deadline);
        return new Verdict(drift.isEmpty(), drift.map(difference -> "weight drift: " + difference)
                .orElse(checks.reason() + "; the production listener rule routes as the deployment reports (green "
                        + WeightDrift.percent(greenPercent) + ")"), checks.checks(), checks.gates());
    }

    private Verdict validate(HookConfig cfg, EcsStage stage, URI base, String serviceArn, Deadline deadline, HookLog log) {
        Set<Gate> gates = cfg.gatesExplicit() ? cfg.gates() : EnumSet.noneOf(Gate.class);
        if (stage.listener() != null && base == null) {
            return Verdict.failed("configuration: set TARGET_BASE_URL (or \"baseUrl\" in the hook's hookDetails): "
                    + "Amazon ECS hook requests do not say where green can be reached");
        }
        String[] clusterAndService = clusterAndService(serviceArn);
        ValidationPlan plan = new ValidationPlan(base, stage.listener() == null ? java.util.List.of() : cfg.checks(),
                gates, null, clusterAndService[0], clusterAndService[1]);
        return TimeBox.within(deadline, progress -> validation.run(plan, deadline, progress, log::attempt));
    }

    /**
     * {@code IN_PROGRESS} answers carry every incoming hook detail forward (the service's configured
     * {@code baseUrl} among them), with our state replaced: ECS documents that the returned {@code hookDetails}
     * come back on the next call, not that it merges them with the service's configured ones.
     */
    private ObjectNode decide(Verdict verdict, JsonNode hookDetails, HookConfig cfg) {
        if (verdict.passed()) {
            return status("SUCCEEDED");
        }
        JsonNode state = hookDetails.path(STATE);
        long now = clock.millis();
        long firstCall = state.path("startedAtEpochMillis").asLong(now);
        int round = state.path("round").asInt(1);
        Duration waited = Duration.ofMillis(Math.max(0, now - firstCall));
        if (verdict.reason().startsWith("configuration:")
                || waited.plus(cfg.ecsCallbackDelay()).compareTo(cfg.ecsRetryWindow()) >= 0) {
            return status("FAILED");
        }
        ObjectNode answer = status("IN_PROGRESS").put("callBackDelay", cfg.ecsCallbackDelay().toSeconds());
        ObjectNode carried = answer.putObject("hookDetails");
        if (hookDetails.isObject()) {
            carried.setAll((ObjectNode) hookDetails.deepCopy());
        }
        carried.putObject(STATE)
                .put("startedAtEpochMillis", firstCall)
                .put("round", round + 1)
                .put("lastFailure", verdict.reason().length() > 500 ? verdict.reason().substring(0, 500) : verdict.reason());
        return answer;
    }

    /** {@code IN_PROGRESS}, carrying every incoming hook detail forward with our state replaced by {@code state}. */
    private static ObjectNode inProgress(JsonNode hookDetails, Duration callBackDelay, ObjectNode state) {
        ObjectNode answer = status("IN_PROGRESS").put("callBackDelay", Math.max(1, callBackDelay.toSeconds()));
        ObjectNode carried = answer.putObject("hookDetails");
        if (hookDetails.isObject()) {
            carried.setAll((ObjectNode) hookDetails.deepCopy());
        }
        carried.set(STATE, state);
        return answer;
    }

    /**
     * A rollback re-invokes the traffic-shift hooks with green's weight flipped back to 0 while another
     * revision carries the traffic.
     */
    public static boolean isRollback(EcsStage stage, JsonNode details) {
        if (stage.listener() == null) {
            return false;
        }
        String green = details.path("targetServiceRevisionArn").asText(null);
        JsonNode weights = details.path(stage.listener() == Listener.TEST ? "testTrafficWeights" : "productionTrafficWeights");
        if (green == null || !weights.isObject() || !weights.has(green)) {
            return false;
        }
        boolean othersCarryTraffic = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = weights.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getKey().equals(green) && entry.getValue().asDouble() > 0) {
                othersCarryTraffic = true;
            }
        }
        return weights.get(green).asDouble() == 0 && othersCarryTraffic;
    }

    private static URI baseUrl(JsonNode hookDetails, HookConfig cfg) {
        String fromHook = hookDetails.path("baseUrl").asText(null);
        if (fromHook == null) {
            return cfg.baseUrl();
        }
        try {
            URI uri = new URI(fromHook.replaceAll("/+$", ""));
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new URISyntaxException(fromHook, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException("hookDetails.baseUrl '" + Redaction.url(fromHook)
                    + "' is not an http(s) URL");
        }
    }

    /** {@code arn:aws:ecs:region:account:service/cluster/service} → cluster, service (nulls when not an ARN). */
    public static String[] clusterAndService(String serviceArn) {
        if (serviceArn == null) {
            return new String[] {null, null};
        }
        String resource = serviceArn.substring(serviceArn.lastIndexOf(':') + 1);
        String[] parts = resource.split("/");
        if (parts.length == 3 && parts[0].equals("service")) {
            return new String[] {parts[1], parts[2]};
        }
        return new String[] {null, parts[parts.length - 1]};
    }

    private static ObjectNode status(String hookStatus) {
        return HookLog.fields().put("hookStatus", hookStatus);
    }
}
