package dev.ecsbluegreen.sandbox;

import java.io.PrintStream;
import java.util.Map;

/**
 * The line under a timeline row that says what live traffic each version answered since the row before, from the
 * {@link LoadGenerator}: "live traffic since the last row: blue v1 202 / green v2 12 requests, no 5xx". Nothing when
 * there is no load. Not thread-safe: one release prints its rows in turn.
 */
final class TrafficSinceLastRow {
    private final LoadGenerator load;
    private final Map<String, String> labels;
    private LoadGenerator.Tally seen = LoadGenerator.Tally.EMPTY;

    /** @param load the release's load generator; null for none */
    TrafficSinceLastRow(LoadGenerator load, SandboxEnvironment env) {
        this.load = load;
        this.labels = EcsRelease.versionLabels(env);
    }

    void print(PrintStream out) {
        if (load == null || load.rate() == 0) {
            return;
        }
        LoadGenerator.Tally now = load.tally();
        out.println("     live traffic since the last row: " + now.since(seen).describe(labels));
        seen = now;
    }
}
