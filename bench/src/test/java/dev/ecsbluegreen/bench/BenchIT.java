package dev.ecsbluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's quick mode end to end, as CI runs it: moto, the real shaded jars through the real Lambda runtime
 * interface client. Asserts that every figure was produced and that the functions really did their work — never a
 * time.
 */
class BenchIT {
    private static final List<String> FIGURES = List.of(
            "size.swap", "size.hooks",
            "swap.cold", "swap.cold.init", "swap.cold.invoke", "swap.warm", "swap.rss", "swap.calls.cold", "swap.calls.warm",
            "hook.cold", "hook.cold.init", "hook.cold.invoke", "hook.warm", "hook.rss", "hook.calls.cold", "hook.calls.warm",
            "scale.swap.rules-1", "scale.swap.rules-1.first", "scale.swap.rules-1.calls", "scale.swap.rules-1.concurrency",
            "scale.swap.rules-10", "scale.swap.rules-10.first", "scale.swap.rules-10.calls", "scale.swap.rules-10.concurrency",
            "scale.hook.burst-100", "scale.hook.burst-100.first", "scale.hook.burst-100.rss",
            "progressive.rules-1.canary", "progressive.rules-1.final", "progressive.rules-1.invocations",
            "interleaved.swap.cold", "interleaved.hook.cold", "interleaved.python", "interleaved.swap.ratio",
            "interleaved.hook.ratio", "interleaved.hook.vs.swap", "interleaved.swap.init", "interleaved.swap.rss",
            "interleaved.swap.classes.init", "interleaved.swap.classes.first-invocation",
            // the packages with a start-up cache that the bench module's package phase trained (StartupCacheBuild)
            "interleaved.swap.cached.cold", "interleaved.swap.cached.ratio", "interleaved.hook.cached.cold",
            "interleaved.hook.cached.vs.swap.cached", "interleaved.swap.cached.classes.jvm.shared",
            "interleaved.hook.cached.classes.jvm.shared");

    @Test
    void quickRunProducesEveryFigureFromSwapsThatSwapAndHooksThatReportSucceeded(@TempDir Path resultsDir) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(printed), true, StandardCharsets.UTF_8);
        Options options = Options.parse(List.of("--quick", "--results", resultsDir.toString()), resultsDir);

        Results results = new Bench(dev.ecsbluegreen.sandbox.Sandbox.repositoryRoot(), options, out).run();

        assertEquals(List.of(), results.failures(), printed::toString);
        for (String id : FIGURES) {
            Figure figure = results.figure(id).orElseThrow(() -> new AssertionError("no figure " + id + "\n" + printed));
            assertTrue(figure.measured(), id + " has no samples");
            assertTrue(figure.samples().stream().allMatch(v -> v > 0 && Double.isFinite(v)), id + ": " + figure.samples());
        }
        Figure baseline = results.figure("baseline.python").orElseThrow();
        assertTrue(baseline.measured() || !baseline.skipped().isBlank(), "the Python baseline neither ran nor said why not");

        List<Fixture.SwapEvidence> swaps = new ArrayList<>();
        for (String section : List.of("swap", "scale", "baseline")) {
            results.evidence().getOrDefault(section, List.of()).stream()
                    .filter(Fixture.SwapEvidence.class::isInstance).map(Fixture.SwapEvidence.class::cast).forEach(swaps::add);
        }
        // swap: warm-up (cold + 1 warm) and one run (cold + 2 warm); scale: 1 and 10 rules, cold + 1 warm each
        assertTrue(swaps.size() >= 9, () -> "swaps verified: " + swaps);
        for (Fixture.SwapEvidence swap : swaps) {
            assertEquals("PutJobSuccessResult", swap.reported(), swap::toString);
            assertNotEquals(swap.liveBefore(), swap.liveAfter(), swap::toString);
            assertEquals(swap.liveAfter(), swap.production(), swap::toString);
            assertEquals(swap.liveBefore(), swap.testAfter(), swap::toString);
        }
        List<Fixture.HookEvidence> hooks = new ArrayList<>();
        for (String section : List.of("hook", "scale")) {
            results.evidence().getOrDefault(section, List.of()).stream()
                    .filter(Fixture.HookEvidence.class::isInstance).map(Fixture.HookEvidence.class::cast).forEach(hooks::add);
        }
        assertTrue(hooks.size() >= 7, () -> "hooks verified: " + hooks);
        hooks.forEach(hook -> assertEquals("Succeeded", hook.status(), hook::toString));

        // the progressive section: a warm-up release and one measured, each ending swapped after continued jobs
        List<Bench.ReleaseEvidence> releases = results.evidence().getOrDefault("progressive", List.of()).stream()
                .map(Bench.ReleaseEvidence.class::cast).toList();
        assertEquals(2, releases.size(), () -> "releases verified: " + releases);
        for (Bench.ReleaseEvidence release : releases) {
            assertTrue(release.jobs().size() >= 2, () -> "a canary release needs a continuation: " + release);
            assertEquals(release.jobs().get(release.jobs().size() - 1), release.swap().jobId(), release::toString);
            assertEquals("PutJobSuccessResult", release.swap().reported(), release::toString);
            assertNotEquals(release.swap().liveBefore(), release.swap().liveAfter(), release::toString);
            assertEquals(release.swap().liveAfter(), release.swap().production(), release::toString);
            assertEquals(release.swap().liveBefore(), release.swap().testAfter(), release::toString);
            assertEquals(1, release.canaryStepMillis().size(), release::toString);
            assertEquals(1, release.finalSwapMillis().size(), release::toString);
        }
        // the release report of the measured release: one row before it and one per job, the last the swap
        String report = Files.readString(resultsDir.resolve(Bench.RELEASE_REPORT));
        Bench.ReleaseEvidence measured = releases.get(releases.size() - 1);
        for (int job = 1; job <= measured.jobs().size(); job++) {
            assertTrue(report.contains("job #" + job + " of release 2"), report);
        }
        assertTrue(report.contains("before the release") && report.contains("release SUCCEEDED"), report);
        assertTrue(report.contains("<svg") || report.contains("<table"), report);

        double callsAt1 = results.figure("scale.swap.rules-1.calls").orElseThrow().median();
        double callsAt10 = results.figure("scale.swap.rules-10.calls").orElseThrow().median();
        assertTrue(callsAt10 > callsAt1, "rewriting 10 rules per listener took no more calls than 1: " + callsAt1 + " / " + callsAt10);

        JsonNode written = new ObjectMapper().readTree(resultsDir.resolve(Results.LATEST).toFile());
        assertEquals("quick", written.at("/setup/mode").asText());
        for (JsonNode figure : written.path("figures")) {
            assertTrue(figure.has("median") || figure.has("skipped"), figure::toString);
        }
        assertFalse(Files.exists(resultsDir.resolve(Results.PREVIOUS)), "nothing to keep before the first run");
        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("swap cold: JVM start → response") && table.contains("≤ 500 ms (aim 400)"), table);
    }

    /** Shows the run in the test's output while keeping it for the assertions. */
    private static final class Tee extends java.io.OutputStream {
        private final ByteArrayOutputStream copy;

        Tee(ByteArrayOutputStream copy) {
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            copy.write(b);
            System.out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            copy.write(b, off, len);
            System.out.write(b, off, len);
        }
    }
}
