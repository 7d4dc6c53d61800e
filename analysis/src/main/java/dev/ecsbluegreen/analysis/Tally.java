package dev.ecsbluegreen.analysis;

/**
 * What one metric's measurements added up to so far: all a verdict needs, small enough to travel in an Amazon ECS
 * hook's {@code hookDetails} between invocations.
 *
 * @param successful        successful measurements
 * @param failed            failed measurements
 * @param errors            provider errors in all
 * @param consecutiveErrors provider errors since the last measurement that was not an error
 * @param inconclusive      inconclusive measurements
 * @param last              the last measurement's summary, or null before the first
 */
public record Tally(int successful, int failed, int errors, int consecutiveErrors, int inconclusive, String last) {
    public static final Tally NONE = new Tally(0, 0, 0, 0, 0, null);

    /** Measurements that count towards the metric's {@code count}: successful and failed ones. */
    public int counted() {
        return successful + failed;
    }

    public Tally plus(Measurement measurement) {
        return switch (measurement.phase()) {
            case SUCCESSFUL -> new Tally(successful + 1, failed, errors, 0, inconclusive, measurement.summary());
            case FAILED -> new Tally(successful, failed + 1, errors, 0, inconclusive, measurement.summary());
            case ERROR -> new Tally(successful, failed, errors + 1, consecutiveErrors + 1, inconclusive, measurement.summary());
            case INCONCLUSIVE -> new Tally(successful, failed, errors, 0, inconclusive + 1, measurement.summary());
        };
    }
}
