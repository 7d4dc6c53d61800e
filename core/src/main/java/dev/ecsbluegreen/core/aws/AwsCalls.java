package dev.ecsbluegreen.core.aws;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.AwsCallException.Kind;
import dev.ecsbluegreen.core.Deadline;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Runs one SDK call and turns its failure into an {@link AwsCallException} that names the IAM action. */
public final class AwsCalls {
    private static final Set<String> PERMISSION_CODES = Set.of(
            "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess",
            "AuthorizationError", "NotAuthorized");

    /** A call with less time than this left is not sent: it could not get an answer. */
    public static final Duration MIN_CALL = Duration.ofMillis(50);

    private AwsCalls() {}

    /** Attempts of the SDK's standard retry mode, as {@link AwsClients} configures it. */
    static final int ATTEMPTS = 3;

    /**
     * Per-request time-outs that keep one call, every attempt and retry of it, inside {@code left}: the SDK gives
     * up at {@code apiCallTimeout} = {@code left}, and aborts an attempt at a third of it (the standard retry mode
     * makes up to 3), at most {@link AwsClients#ATTEMPT_TIMEOUT}, so that a slow first attempt still leaves time
     * for a retry. Null for a null {@code left}: the client's own time-outs.
     */
    public static AwsRequestOverrideConfiguration timeouts(Duration left) {
        if (left == null) {
            return null;
        }
        Duration call = left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
        Duration attempt = call.dividedBy(ATTEMPTS);
        if (attempt.compareTo(AwsClients.ATTEMPT_TIMEOUT) > 0) {
            attempt = AwsClients.ATTEMPT_TIMEOUT;
        }
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(call)
                .apiCallAttemptTimeout(attempt.isZero() ? Duration.ofMillis(1) : attempt).build();
    }

    /**
     * {@link #timeouts} for the time left before {@code deadline}; null for a null deadline.
     *
     * @throws AwsCallException {@link AwsCallException#notSent} when less than {@link #MIN_CALL} is left
     */
    public static AwsRequestOverrideConfiguration within(Deadline deadline, String action) {
        if (deadline == null) {
            return null;
        }
        Duration left = deadline.remaining();
        if (left.compareTo(MIN_CALL) < 0) {
            throw AwsCallException.notSent(action, "no time was left for it before the invocation's deadline: raise the function's timeout");
        }
        return timeouts(left);
    }

    /**
     * {@link #call} with the request's time-outs bounded by {@code deadline} ({@link #within}): {@code call} gets
     * them to set on its request ({@code overrideConfiguration}).
     */
    public static <T> T call(String action, Deadline deadline, Function<AwsRequestOverrideConfiguration, T> call) {
        AwsRequestOverrideConfiguration timeouts = within(deadline, action);
        return call(action, () -> call.apply(timeouts));
    }

    /**
     * @param action the IAM action the call needs, e.g. {@code elasticloadbalancing:DescribeRules}
     * @throws AwsCallException when the call fails; never an SDK exception
     */
    public static <T> T call(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw translate(action, e);
        } catch (SdkException e) {
            throw new AwsCallException(action, Kind.UNAVAILABLE, "",
                    action + " did not get an answer: " + e.getMessage(), e);
        }
    }

    static AwsCallException translate(String action, AwsServiceException e) {
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? "" : e.awsErrorDetails().errorCode();
        String detail = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? e.getMessage() : e.awsErrorDetails().errorMessage();
        Kind kind;
        if (PERMISSION_CODES.contains(code) || (e.statusCode() == 403 && code.isEmpty())) {
            kind = Kind.PERMISSION_DENIED;
            return new AwsCallException(action, kind, code,
                    "the function's role is not allowed to call " + action + " (" + code + ": " + detail + ")", e);
        }
        if (code.endsWith("NotFound") || code.endsWith("NotFoundException")
                || code.endsWith("DoesNotExistException")) {
            kind = Kind.NOT_FOUND;
        } else if (e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 0) {
            kind = Kind.UNAVAILABLE;
        } else {
            kind = Kind.INVALID_REQUEST;
        }
        return new AwsCallException(action, kind, code, action + " failed (" + code + ": " + detail + ")", e);
    }
}
