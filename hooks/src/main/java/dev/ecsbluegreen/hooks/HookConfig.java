package dev.ecsbluegreen.hooks;

import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.ChecksParser;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.core.Redaction;
import dev.ecsbluegreen.hooks.codedeploy.HookStage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The function's configuration, read from its environment variables (documented in {@code docs/hooks.md}).
 *
 * @param stage            the CodeDeploy hook this function serves (ECS requests carry their own stage)
 * @param checks           the checks to run (the default check when none is configured)
 * @param checksSource     where the checks came from, for the log
 * @param baseUrl          overrides the discovered base URL; null to discover it
 * @param gates            gates to run for the CodeDeploy trigger
 * @param gatesExplicit    whether {@code GATES} was set (ECS stages use it only then)
 * @param maxValidation    upper bound for one invocation's validation
 * @param reportMargin     time kept back from the Lambda's remaining time for reporting the verdict
 * @param ecsRetryWindow   how long after the first call of an ECS stage a failed validation is answered
 *                         {@code IN_PROGRESS} (try again) instead of {@code FAILED}
 * @param ecsCallbackDelay the {@code callBackDelay} returned with {@code IN_PROGRESS}
 * @param analysis         the metrics that judge green by what production sees ({@code ANALYSIS}, {@code ALARM_NAMES});
 *                         empty when none is configured
 * @param driftCheck       whether the live listener's weights are compared with the deployment's before a
 *                         production shift ({@code DRIFT_CHECK}, on by default)
 * @param maxBake          how long an Amazon ECS step's analysis may keep answering {@code IN_PROGRESS}
 *                         ({@code ANALYSIS_MAX_BAKE_SECONDS}; by default three times the longest metric's window
 *                         plus a minute)
 */
public record HookConfig(HookStage stage, List<Check> checks, String checksSource, URI baseUrl, Set<Gate> gates,
                         boolean gatesExplicit, Duration maxValidation, Duration reportMargin,
                         Duration ecsRetryWindow, Duration ecsCallbackDelay, List<MetricSpec> analysis,
                         boolean driftCheck, Duration maxBake) {

    static final Duration DEFAULT_MAX_VALIDATION = Duration.ofMinutes(5);
    /**
     * Room for one CodeDeploy report with its retries: up to 3 attempts of a third of it each
     * ({@link dev.ecsbluegreen.hooks.aws.CodeDeployReporter}) and the backoff between them.
     */
    static final Duration DEFAULT_REPORT_MARGIN = Duration.ofSeconds(10);
    static final Duration DEFAULT_ECS_RETRY_WINDOW = Duration.ofMinutes(10);
    static final Duration DEFAULT_ECS_CALLBACK_DELAY = Duration.ofSeconds(30);
    /** No invocation lasts longer: a longer validation bound or report margin is a mistake, not a wish. */
    static final Duration LAMBDA_MAX_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration ONE_DAY = Duration.ofDays(1);

    public HookConfig {
        checks = List.copyOf(checks);
        gates = Set.copyOf(gates);
        analysis = List.copyOf(analysis);
    }

    /**
     * @param env the function's environment ({@code System::getenv} in Lambda)
     * @throws InvalidConfigurationException naming the variable at fault
     */
    public static HookConfig fromEnvironment(Function<String, String> env) {
        String stageName = value(env, "HOOK_STAGE");
        HookStage stage = stageName == null ? HookStage.AFTER_ALLOW_TEST_TRAFFIC : HookStage.fromHookName(stageName);
        String inline = value(env, "CHECKS");
        String file = value(env, "CHECKS_FILE");
        List<Check> checks;
        String source;
        if (inline != null && file != null) {
            throw new InvalidConfigurationException("set CHECKS or CHECKS_FILE, not both");
        } else if (inline != null) {
            checks = parse(inline, "CHECKS");
            source = "CHECKS";
        } else if (file != null) {
            checks = parse(readChecksFile(file, value(env, "LAMBDA_TASK_ROOT")), "CHECKS_FILE " + file);
            source = "CHECKS_FILE " + file;
        } else {
            checks = ChecksParser.defaults();
            source = "default";
        }
        String gatesText = value(env, "GATES");
        Set<Gate> gates = gatesText == null ? stage.defaultGates() : Gate.parseList(gatesText);
        List<MetricSpec> analysis = AnalysisConfig.metrics(value(env, "ANALYSIS"), value(env, "ALARM_NAMES"));
        return new HookConfig(stage, checks, source, baseUrl(value(env, "TARGET_BASE_URL")), gates, gatesText != null,
                seconds(env, "MAX_VALIDATION_SECONDS", DEFAULT_MAX_VALIDATION, LAMBDA_MAX_TIMEOUT),
                seconds(env, "REPORT_MARGIN_SECONDS", DEFAULT_REPORT_MARGIN, LAMBDA_MAX_TIMEOUT),
                seconds(env, "ECS_RETRY_WINDOW_SECONDS", DEFAULT_ECS_RETRY_WINDOW, ONE_DAY),
                seconds(env, "ECS_CALLBACK_DELAY_SECONDS", DEFAULT_ECS_CALLBACK_DELAY, ONE_DAY),
                analysis, onOff(env, "DRIFT_CHECK", true),
                seconds(env, "ANALYSIS_MAX_BAKE_SECONDS", AnalysisConfig.defaultMaxBake(analysis), ONE_DAY));
    }

    private static boolean onOff(Function<String, String> env, String name, boolean fallback) {
        String text = value(env, name);
        if (text == null) {
            return fallback;
        }
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new InvalidConfigurationException(name + " '" + text + "' is not one of on, off");
        };
    }

    private static List<Check> parse(String json, String where) {
        try {
            return ChecksParser.parse(json);
        } catch (InvalidConfigurationException e) {
            throw new InvalidConfigurationException(where + ": " + e.getMessage());
        }
    }

    /** A file in the deployment package: relative to the task root, else on the class path. */
    private static String readChecksFile(String name, String taskRoot) {
        Path path;
        try {
            path = Path.of(name);
            if (!path.isAbsolute()) {
                path = Path.of(taskRoot == null ? "" : taskRoot).resolve(name);
            }
        } catch (InvalidPathException e) {
            throw new InvalidConfigurationException("CHECKS_FILE '" + name + "' (or LAMBDA_TASK_ROOT) is not a path: "
                    + e.getReason());
        }
        try {
            if (Files.isRegularFile(path)) {
                return Files.readString(path, StandardCharsets.UTF_8);
            }
            try (InputStream in = HookConfig.class.getClassLoader().getResourceAsStream(name.replaceFirst("^/", ""))) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new InvalidConfigurationException("CHECKS_FILE " + name + " could not be read: " + e.getMessage());
        }
        throw new InvalidConfigurationException("CHECKS_FILE " + name + " is neither at " + path + " nor on the class path");
    }

    private static URI baseUrl(String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException("TARGET_BASE_URL '" + Redaction.url(text) + "' is not an http(s) URL: "
                    + Redaction.text(e.getReason()));
        }
    }

    private static Duration seconds(Function<String, String> env, String name, Duration fallback, Duration max) {
        String text = value(env, name);
        if (text == null) {
            return fallback;
        }
        long seconds;
        try {
            seconds = Long.parseLong(text);
            if (seconds < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(name + " '" + text + "' is not a whole number of seconds");
        }
        if (seconds > max.toSeconds()) {
            throw new InvalidConfigurationException(name + " " + seconds + " is more than " + max.toSeconds() + " s");
        }
        return Duration.ofSeconds(seconds);
    }

    private static String value(Function<String, String> env, String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
