package dev.ecsbluegreen.analysis;

import java.util.List;

/**
 * The verdict over every metric of an analysis: failed when one failed, pending while one is pending, else passed.
 *
 * @param status  the analysis's status
 * @param reason  one line naming every metric's figures (the failed ones first)
 * @param metrics each metric's verdict, in the analysis's order
 */
public record AnalysisVerdict(Status status, String reason, List<MetricVerdict> metrics) {
    public AnalysisVerdict {
        metrics = List.copyOf(metrics);
    }
}
