package dev.ecsbluegreen.controller;

/** A request or set-up the controller cannot act on, whatever the state of the service: the fix is the caller's. */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
