package dev.ecsbluegreen.analysis;

import java.time.Duration;

/**
 * One metric of an analysis: inert data, parsed from the {@code ANALYSIS} configuration (see docs/hooks.md).
 * Measurements are taken every {@code interval} until {@code count} of them counted (successful or failed), or
 * until the verdict is decided earlier.
 *
 * @param name                  how the operator named it; unique within an analysis
 * @param provider              what to measure and the condition that makes a measurement successful
 * @param interval              time between two measurements (and, for metric queries, the window each one reads)
 * @param count                 measurements needed for the metric to pass
 * @param failureLimit          failed measurements tolerated: one more fails the metric (Argo's {@code failureLimit}, default 0)
 * @param consecutiveErrorLimit provider errors in a row tolerated: one more fails the metric (default 4)
 * @param inconclusiveLimit     inconclusive measurements tolerated under {@link InconclusivePolicy#FAIL} (default 0)
 * @param inconclusive          what an inconclusive measurement means
 */
public record MetricSpec(String name, ProviderSpec provider, Duration interval, int count, int failureLimit,
                         int consecutiveErrorLimit, int inconclusiveLimit, InconclusivePolicy inconclusive) {}
