package dev.ecsbluegreen.analysis.metrics;

import dev.ecsbluegreen.analysis.Measurement;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.Subject;
import dev.ecsbluegreen.core.Deadline;
import java.time.Instant;

/**
 * Takes one measurement of one metric (Argo Rollouts' metric provider). Never throws: a failed AWS call, and any
 * other failure, is an {@link dev.ecsbluegreen.analysis.Phase#ERROR} measurement whose summary says what failed.
 * Providers come from {@link Providers#forSpec}; they are thread-safe when their sources are.
 */
@FunctionalInterface
public interface Provider {
    /**
     * @param spec        the metric (its name and interval; its provider spec is the one this provider was made for)
     * @param subject     the load balancer and target groups discovered from the deployment
     * @param windowStart when the window being judged began (the deployment step, the traffic shift)
     * @param now         when the measurement is taken: the end of the window it reads and the measurement's time
     * @param deadline    bounds every AWS call the measurement makes
     */
    Measurement measure(MetricSpec spec, Subject subject, Instant windowStart, Instant now, Deadline deadline);
}
