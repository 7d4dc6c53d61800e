package dev.ecsbluegreen.swap;

/** A reason to stop the swap that the operator must read: becomes the job's failure report. */
public final class SwapException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final FailureType type;

    public SwapException(FailureType type, String message) {
        super(message);
        this.type = type;
    }

    public FailureType type() {
        return type;
    }
}
