package dev.ecsbluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static final Path RESULTS = Path.of("bench/results");

    @Test
    void defaultsMeasureEverythingFiveTimes() {
        Options options = Options.parse(List.of(), RESULTS);
        assertEquals(5, options.runs());
        assertEquals(5, options.warm());
        assertEquals(Set.copyOf(Options.SECTIONS), options.sections());
        assertEquals(List.of(1, 10, 50, 100), options.scales());
        assertTrue(options.measures("progressive"), "the progressive section is in the default run");
        assertEquals(List.of(1, 100), options.progressiveScales());
        assertEquals(1000, options.burst());
        assertEquals(RESULTS, options.results());
    }

    @Test
    void quickIsOneRunWithSmallScalesUnlessToldOtherwise() {
        Options quick = Options.parse(List.of("--quick"), RESULTS);
        assertEquals(1, quick.runs());
        assertEquals(List.of(1, 10), quick.scales());
        assertEquals(List.of(1), quick.progressiveScales());
        assertEquals(100, quick.burst());
        assertEquals(3, Options.parse(List.of("--quick", "--runs", "3"), RESULTS).runs());
    }

    @Test
    void onlyAndJvmOptionsAccumulate() {
        Options options = Options.parse(List.of("--only", "swap,hook", "--only", "size", "--jvm-opt", "-Xshare:off",
                "--jvm-opt", "-XX:SharedArchiveFile=a.jsa"), RESULTS);
        assertEquals(Set.of("swap", "hooks", "size"), options.sections());
        assertEquals(List.of("-Xshare:off", "-XX:SharedArchiveFile=a.jsa"), options.jvmOptions());
        assertTrue(options.measures("swap"));
    }

    @Test
    void libJarPackagingIsOptIn() {
        assertFalse(Options.parse(List.of(), RESULTS).libJar());
        assertTrue(Options.parse(List.of("--lib-jar"), RESULTS).libJar());
    }

    @Test
    void awsLatencyIsZeroUnlessAsked() {
        assertEquals(0, Options.parse(List.of(), RESULTS).awsLatencyMillis());
        assertEquals(20, Options.parse(List.of("--aws-latency", "20"), RESULTS).awsLatencyMillis());
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--aws-latency", "-1"), RESULTS));
    }

    @Test
    void eventsCarryAnUnsampledTraceHeaderUnlessTold() {
        assertEquals(RuntimeApi.Trace.UNSAMPLED, Options.parse(List.of(), RESULTS).trace());
        assertEquals(RuntimeApi.Trace.SAMPLED, Options.parse(List.of("--trace"), RESULTS).trace());
        assertEquals(RuntimeApi.Trace.NONE, Options.parse(List.of("--no-trace"), RESULTS).trace());
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--only", "latency"), RESULTS));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--runs", "0"), RESULTS));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--runs"), RESULTS));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--burst", "1001"), RESULTS));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--memory", "64"), RESULTS));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--fast"), RESULTS));
    }
}
