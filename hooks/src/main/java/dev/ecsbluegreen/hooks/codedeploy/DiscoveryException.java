package dev.ecsbluegreen.hooks.codedeploy;

/** The deployment does not say enough to find green (no load balancer, no listener, …); the message says what. */
public final class DiscoveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DiscoveryException(String message) {
        super(message);
    }
}
