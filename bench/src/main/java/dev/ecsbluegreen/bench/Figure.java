package dev.ecsbluegreen.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One measured figure: its samples (one per run, or per invocation for warm figures) and what it is held to.
 *
 * @param id      stable key, compared with the previous results file ({@code swap.cold.total})
 * @param label   for people
 * @param unit    {@code ms}, {@code MB} (2^20 bytes, as Lambda's Max Memory Used) or {@code calls}
 * @param budget  the limit for the median, or null
 * @param aim     the aim below the budget, or null
 * @param skipped why there are no samples, or null
 */
record Figure(String id, String label, String unit, List<Double> samples, Double budget, Double aim, String skipped) {
    Figure {
        samples = List.copyOf(samples);
    }

    static Figure of(String id, String label, String unit, List<Double> samples) {
        return new Figure(id, label, unit, samples, null, null, null);
    }

    static Figure skipped(String id, String label, String unit, String why) {
        return new Figure(id, label, unit, List.of(), null, null, why);
    }

    Figure budget(double limit) {
        return new Figure(id, label, unit, samples, limit, aim, skipped);
    }

    Figure budget(double limit, double aimAt) {
        return new Figure(id, label, unit, samples, limit, aimAt, skipped);
    }

    boolean measured() {
        return !samples.isEmpty();
    }

    double median() {
        List<Double> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
        return samples.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The median is above the budget. */
    boolean overBudget() {
        return budget != null && measured() && median() > budget;
    }
}
