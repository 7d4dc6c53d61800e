package dev.ecsbluegreen.analysis;

/**
 * One metric's verdict.
 *
 * @param metric the metric's name
 * @param status passed, failed or pending
 * @param reason one line naming the limit that decided and the last measurement, e.g.
 *               {@code "green vs blue: failed 1 of 3 (failureLimit 0): green 5xx ratio 0.062 … > blue 0.004 + 0.01"}
 * @param tally  what its measurements added up to
 */
public record MetricVerdict(String metric, Status status, String reason, Tally tally) {}
