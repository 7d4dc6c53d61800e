package dev.ecsbluegreen.sandbox;

import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a release prints, one per step, each read after its step: where the emulator's listeners route, what
 * {@code GET /} through the local listeners answers, which target group is tagged {@code IsProduction=true} (or
 * another {@link Column}), and what the report endpoint received meanwhile. Keeps the {@link Release.Step}s for the
 * release's result.
 */
final class Timeline {
    private static final String ROW = "  %-2s %-36s %-21s %-23s %-23s %s%n";

    /**
     * The last column: its title and its value, read after the step (into {@link Release.Step#production()}).
     * Default: {@link #IS_PRODUCTION}.
     */
    record Column(String title, java.util.function.Function<Routing, String> value) {}

    static final Column IS_PRODUCTION = new Column("IsProduction=true", Routing::production);

    private final SandboxEnvironment env;
    private final PrintStream out;
    private final Column column;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Release.Step> steps = new ArrayList<>();
    private int reportsSeen;

    Timeline(SandboxEnvironment env, PrintStream out) {
        this(env, out, IS_PRODUCTION);
    }

    Timeline(SandboxEnvironment env, PrintStream out, Column column) {
        this.env = env;
        this.out = out;
        this.column = column;
    }

    void header() {
        out.printf(ROW, "#", "step", "verdict", "live :" + Emulator.LIVE_PORT, "test :" + Emulator.TEST_PORT,
                column.title());
    }

    Release.Step record(String name, String verdict, boolean passed) {
        return record(name, verdict, passed, newReports());
    }

    Release.Step record(String name, String verdict, boolean passed, List<ReportRecorder.Report> reports) {
        // the row and its answers from one reading, taken after the step (the load generator keeps the cache young)
        Routing routing = env.dataPlane().refresh();
        Release.Served live = new Release.Served(routing.summary(Emulator.LIVE_PORT), probe(env.dataPlane().url(Emulator.LIVE_PORT)));
        Release.Served test = new Release.Served(routing.summary(Emulator.TEST_PORT), probe(env.dataPlane().url(Emulator.TEST_PORT)));
        Release.Step step = new Release.Step(name, verdict, passed, live, test, column.value().apply(routing), reports,
                java.time.Instant.now());
        steps.add(step);
        out.printf(ROW, steps.size() - 1, name, verdict, live, test, step.production());
        return step;
    }

    /** Changes whether the last step let the release go on (decided after its row was printed). */
    Release.Step judgeLast(boolean passed) {
        Release.Step step = steps.get(steps.size() - 1);
        Release.Step judged = new Release.Step(step.name(), step.verdict(), passed, step.live(), step.test(),
                step.production(), step.reports(), step.at());
        steps.set(steps.size() - 1, judged);
        return judged;
    }

    List<Release.Step> steps() {
        return steps;
    }

    /** What the report endpoint received since the last call. */
    List<ReportRecorder.Report> newReports() {
        List<ReportRecorder.Report> all = env.recorder().reports();
        List<ReportRecorder.Report> fresh = all.subList(reportsSeen, all.size());
        reportsSeen = all.size();
        return List.copyOf(fresh);
    }

    /** What GET / through the local listener answers: the app's version, else the status (or the failure); the time when slow. */
    private String probe(URI url) {
        try {
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("/"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - started) / 1_000_000;
            String version = response.headers().firstValue("X-App-Version").orElse("");
            return (response.statusCode() == 200 && !version.isEmpty() ? version : "HTTP " + response.statusCode())
                    + (millis >= 1000 ? " (%.1f s)".formatted(millis / 1000.0) : "");
        } catch (IOException e) {
            return "no answer";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
