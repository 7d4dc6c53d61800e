package dev.ecsbluegreen.hooks;

import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.hooks.codedeploy.DiscoveryException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a validation on a worker thread and gives up on it at the deadline, so that a verdict is always
 * there in time to be reported. Whatever the work throws becomes a failed verdict. Thread-safe.
 */
public final class TimeBox {
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "hooks-validation");
        thread.setDaemon(true);
        return thread;
    });

    /** A verdict that failed with less than this left was cut short by the deadline. */
    private static final Duration NEARLY_OVER = Duration.ofMillis(100);

    private TimeBox() {}

    /**
     * The validation's deadline: the invocation's remaining time less {@code REPORT_MARGIN_SECONDS} (the reserve
     * for answering: one CodeDeploy report with its retries), at most {@code MAX_VALIDATION_SECONDS}. When the
     * function's remaining time is what bounds it, the log says so ({@code validation-capped}), so that a
     * {@code MAX_VALIDATION_SECONDS} longer than the function's timeout does not go unnoticed.
     */
    public static Deadline validationDeadline(com.amazonaws.services.lambda.runtime.Context context, HookConfig cfg,
                                       java.util.function.LongSupplier nanoClock, HookLog log) {
        Deadline deadline = Deadline.forInvocation(context, cfg.reportMargin(), cfg.maxValidation(), nanoClock);
        long remainingMillis = context == null ? 0 : context.getRemainingTimeInMillis();
        if (remainingMillis > 0 && deadline.remaining().compareTo(cfg.maxValidation()) < 0) {
            log.note("validation-capped", HookLog.fields()
                    .put("maxValidationSeconds", cfg.maxValidation().toSeconds())
                    .put("reportMarginSeconds", cfg.reportMargin().toSeconds())
                    .put("remainingMillis", remainingMillis)
                    .put("validationBudgetMillis", deadline.remaining().toMillis())
                    .put("why", "the function's remaining time less REPORT_MARGIN_SECONDS is shorter than "
                            + "MAX_VALIDATION_SECONDS"));
        }
        return deadline;
    }

    /**
     * @param work given a progress sink; returns the verdict
     */
    public static Verdict within(Deadline deadline, Function<Consumer<String>, Verdict> work) {
        Duration budget = deadline.remaining();
        AtomicReference<String> doing = new AtomicReference<>("starting");
        Future<Verdict> future = WORKERS.submit(() -> work.apply(doing::set));
        try {
            Verdict verdict = future.get(budget.toNanos(), TimeUnit.NANOSECONDS);
            if (!verdict.passed() && deadline.remaining().compareTo(NEARLY_OVER) < 0) {
                // the work ended itself at the deadline (a request given only the time left): say so first
                return new Verdict(false, timedOut(budget, doing.get()) + ": " + verdict.reason(), verdict.checks(),
                        verdict.gates());
            }
            return verdict;
        } catch (TimeoutException e) {
            future.cancel(true);
            return Verdict.failed(timedOut(budget, doing.get()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return Verdict.failed(cause instanceof InvalidConfigurationException || cause instanceof DiscoveryException
                            || cause instanceof AwsCallException
                    ? cause.getMessage()
                    : "validation failed with " + cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return Verdict.failed("interrupted while running " + doing.get());
        }
    }

    private static String timedOut(Duration budget, String doing) {
        return "timed out after " + seconds(budget) + " s while running " + doing
                + " (the budget is the Lambda's remaining time less REPORT_MARGIN_SECONDS, at most MAX_VALIDATION_SECONDS)";
    }

    public static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }
}
