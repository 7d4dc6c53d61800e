package dev.ecsbluegreen.core.routing;

/**
 * Target group stickiness of a forward: whether a client that got one target group keeps getting it, and for how
 * long. It matters to anyone who moves weights: with stickiness on, a new share reaches only new clients.
 *
 * @param durationSeconds how long a client sticks; null when ELB names no duration
 */
public record Stickiness(boolean enabled, Integer durationSeconds) {}
