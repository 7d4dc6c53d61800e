package dev.ecsbluegreen.hooks;

/** Which of the load balancer's two listeners a hook tests green through. */
public enum Listener {
    /** The test listener: green before production traffic moves. */
    TEST,
    /** The production listener: green after production traffic moved. */
    PRODUCTION
}
