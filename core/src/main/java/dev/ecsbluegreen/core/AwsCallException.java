package dev.ecsbluegreen.core;

/**
 * An AWS API call that failed after the SDK's own retries, described without SDK types so that the pure
 * parts of the functions can decide what to tell the caller.
 */
public final class AwsCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, as far as the caller's remedy goes. */
    public enum Kind {
        /** The role lacks the IAM action: the fix is a policy change. */
        PERMISSION_DENIED,
        /** The named resource does not exist. */
        NOT_FOUND,
        /** The request was rejected as invalid (bad ARN, conflicting parameters, …). */
        INVALID_REQUEST,
        /** Still throttled, failing with 5xx, or unreachable after the SDK's retries. */
        UNAVAILABLE
    }

    /** The {@link #errorCode()} of a call that was never sent because no time was left for it. */
    public static final String NOT_SENT = "NotSent";

    private final String action;
    private final Kind kind;
    private final String errorCode;

    public AwsCallException(String action, Kind kind, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.action = action;
        this.kind = kind;
        this.errorCode = errorCode;
    }

    /** A call that was not sent at all, because the time left was not enough for it: it cannot have landed. */
    public static AwsCallException notSent(String action, String why) {
        return new AwsCallException(action, Kind.UNAVAILABLE, NOT_SENT, action + " was not called: " + why, null);
    }

    /**
     * Whether AWS's answer (or the call's absence) says the call did not happen. A call that got no answer, or
     * only 5xx/throttling answers after the SDK's retries, may have been applied by an earlier attempt: not this.
     */
    public boolean provesNotApplied() {
        return kind != Kind.UNAVAILABLE || NOT_SENT.equals(errorCode);
    }

    /** The IAM action of the failed call, for example {@code elasticloadbalancing:ModifyListener}. */
    public String action() {
        return action;
    }

    public Kind kind() {
        return kind;
    }

    /** AWS's error code ({@code AccessDenied}, {@code ListenerNotFound}, …); empty when there was no answer. */
    public String errorCode() {
        return errorCode;
    }
}
