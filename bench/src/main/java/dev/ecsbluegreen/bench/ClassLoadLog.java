package dev.ecsbluegreen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JVM's {@code -Xlog:class+load=info:file=F} (default decorations: {@code [0.123s][info][class,load] NAME
 * source: WHERE}): which classes were loaded, when, and whether from a CDS archive or AOT cache ("shared objects
 * file") or from a jar.
 */
final class ClassLoadLog {
    /** One loaded class: seconds since the JVM started, its name, and whether it came from an archive. */
    record Loaded(double uptimeSeconds, String name, boolean shared) {}

    private static final Pattern LINE = Pattern.compile("^\\[(\\d+(?:\\.\\d+)?)s]\\[[^]]*]\\[class,load\\s*] (\\S+) source: (.*)$");

    private ClassLoadLog() {}

    static List<Loaded> read(Path log) {
        try {
            return Files.readAllLines(log).stream().map(LINE::matcher).filter(Matcher::matches)
                    .map(m -> new Loaded(Double.parseDouble(m.group(1)), m.group(2), m.group(3).startsWith("shared objects file")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class-load log " + log, e);
        }
    }

    /**
     * The classes of a cold start by phase ({@link InterleavedRounds#PHASES}), each as {all, from an archive}, in
     * the log's order: {@code jvm} until the runtime client's main class loads, {@code runtime-client} until the
     * handler class loads, {@code init} until {@code initSeconds} (the first poll for an event, measured from the
     * process start, which the JVM's uptime trails by the few milliseconds of an exec), {@code first-invocation} the
     * rest. A JVM with an AOT cache loads the cache's classes at its start, handler included, so there the
     * {@code jvm} phase holds them and a phase whose boundary came earlier is empty.
     */
    static Map<String, int[]> byPhase(List<Loaded> classes, String handlerClass, double initSeconds) {
        int runtimeClient = indexOf(classes, LambdaRuntime.MAIN_CLASS, 0);
        int handler = Math.max(runtimeClient, indexOf(classes, handlerClass, runtimeClient));
        Map<String, int[]> phases = new LinkedHashMap<>();
        for (String phase : InterleavedRounds.PHASES) {
            phases.put(phase, new int[2]);
        }
        for (int i = 0; i < classes.size(); i++) {
            Loaded loaded = classes.get(i);
            int phase = i < runtimeClient ? 0 : i < handler ? 1 : loaded.uptimeSeconds() <= initSeconds ? 2 : 3;
            int[] counts = phases.get(InterleavedRounds.PHASES.get(phase));
            counts[0]++;
            if (loaded.shared()) {
                counts[1]++;
            }
        }
        return phases;
    }

    /** The index of {@code name}'s line, or {@code otherwise} when it is not there. */
    private static int indexOf(List<Loaded> classes, String name, int otherwise) {
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).name().equals(name)) {
                return i;
            }
        }
        return otherwise;
    }

    /** {classes named {@code prefix}… from an archive, those from anywhere else}. */
    static int[] appClasses(Path log, String prefix) {
        int shared = 0;
        int other = 0;
        for (Loaded loaded : read(log)) {
            if (loaded.name().startsWith(prefix)) {
                if (loaded.shared()) {
                    shared++;
                } else {
                    other++;
                }
            }
        }
        return new int[] {shared, other};
    }
}
