package dev.ecsbluegreen.analysis;

/** The function's configuration (environment variables, checks) is unusable; the message says how. */
public final class InvalidConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
