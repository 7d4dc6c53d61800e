package dev.ecsbluegreen.swap.execution;

/** A write was not started because the time left would no longer cover putting everything back. */
public final class OutOfTime extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutOfTime(String message) {
        super(message);
    }
}
