package dev.ecsbluegreen.analysis;

import java.time.Instant;
import java.util.Map;

/**
 * One measurement of one metric, as a provider took it. Providers never throw: a failed call is an
 * {@link Phase#ERROR} measurement whose summary says what failed.
 *
 * @param metric  the metric's name (from its spec)
 * @param phase   what the measurement found
 * @param at      when it was taken
 * @param summary one line for the operator, naming the figures compared, e.g.
 *                {@code "green 5xx ratio 0.062 (31 of 500 requests) > blue 0.004 (2 of 498) + margin 0.01"}
 * @param figures the named numbers the summary quotes (for logs, metrics and the sandbox's timeline)
 */
public record Measurement(String metric, Phase phase, Instant at, String summary, Map<String, Double> figures) {
    public Measurement {
        figures = Map.copyOf(figures);
    }
}
