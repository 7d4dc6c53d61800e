package dev.ecsbluegreen.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The functions' cold starts side by side with the Python baseline, interleaved: each round starts one cold JVM of
 * each configuration (the swap and the hook as the jar is deployed today, then each with its trained start-up cache
 * through {@code lambda-exec-wrapper} when the build made one) and then one Python process, and every figure is also
 * given as a ratio to the Python run of its own round. On a shared machine a burst of load then moves them alike and
 * leaves the ratios readable, where sections measured minutes apart are not. The first round is unmeasured (page
 * cache, moto's code paths). After the rounds, one more JVM of each configuration runs with class loading logged,
 * unmeasured, for the classes each phase loads and how many of them came from an archive.
 */
final class InterleavedRounds {
    /** What the rounds measured, and the functions' verified work. */
    record Result(List<Figure> figures, List<Object> evidence) {}

    /**
     * One way of starting a function.
     *
     * @param id     the figures' key ({@code swap}, {@code swap.cached})
     * @param pairs  the configuration this one is compared with as "hook ÷ swap" (the swap's id), or null
     */
    record Configuration(String id, String label, ExecutionEnvironment.Function function, Supplier<Fixture.Event> events,
                         BiFunction<Fixture.Event, String, Object> verify, String pairs) {}

    /** The phases of a cold start, in order, each ending where the next begins. */
    static final List<String> PHASES = List.of("jvm", "runtime-client", "init", "first-invocation");

    private InterleavedRounds() {}

    /**
     * @param rounds         measured rounds (one more is run first, unmeasured)
     * @param configurations in the order each round starts them; a configuration's {@code pairs} comes before it
     * @throws BenchFailure when a function or the baseline does not do its work
     */
    static Result measure(int rounds, List<Configuration> configurations, Invoker invoker, Fixture fixture,
                          PythonBaseline baseline, PrintStream out) {
        List<Object> evidence = new ArrayList<>();
        // the counted rounds: each configuration's run, and the Python run of the same round
        List<Map<String, Invoker.Run>> counted = new ArrayList<>();
        List<Double> pythonMillis = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            Map<String, Invoker.Run> runs = new LinkedHashMap<>();
            for (Configuration c : configurations) {
                Invoker.Run run = invoker.run(c.function(), 0, c.events(), c.verify(),
                        "interleaved-" + c.id() + "-" + round + ".log");
                runs.put(c.id(), run);
                evidence.addAll(run.evidence());
            }
            Fixture.Event job = fixture.newSwapJob();
            PythonBaseline.Run p = baseline.run(job.json(), fixture.baselineEnvironment());
            if (p.exitCode() != 0) {
                throw new BenchFailure("the Python baseline exited with " + p.exitCode() + " in round " + round + ": "
                        + p.stderr().strip());
            }
            evidence.add(fixture.verifySwap(job.id(), p.stdout()));
            StringBuilder line = new StringBuilder();
            for (Configuration c : configurations) {
                double cold = runs.get(c.id()).coldTotalMillis();
                line.append(String.format(Locale.ROOT, "%s %.0f ms (%.2f×)", c.id(), cold, cold / p.millis()));
                if (c.pairs() != null) {
                    line.append(String.format(Locale.ROOT, " [%.2f× %s]", cold / runs.get(c.pairs()).coldTotalMillis(), c.pairs()));
                }
                line.append(", ");
            }
            line.append(String.format(Locale.ROOT, "Python %.0f ms", p.millis()));
            if (round == 0) {
                out.println("interleaved round 0 (not counted): " + line);
                continue;
            }
            out.printf(Locale.ROOT, "interleaved round %d/%d: %s%n", round, rounds, line);
            counted.add(runs);
            pythonMillis.add(p.millis());
        }
        List<Figure> figures = new ArrayList<>();
        for (Configuration c : configurations) {
            String key = "interleaved." + c.id();
            figures.add(Figure.of(key + ".cold", c.label() + " cold (interleaved): JVM start → response", "ms",
                    each(counted, (runs, i) -> runs.get(c.id()).coldTotalMillis())));
            figures.add(Figure.of(key + ".init", c.label() + " init (interleaved): JVM start → 1st /next", "ms",
                    each(counted, (runs, i) -> runs.get(c.id()).initMillis())));
            Figure toPython = Figure.of(key + ".ratio", c.label() + " cold ÷ Python, same round", "×",
                    each(counted, (runs, i) -> runs.get(c.id()).coldTotalMillis() / pythonMillis.get(i)));
            // the cold-start issue's goal: the swap at most the Python function it replaces (aim 0.8), the hook at
            // most 1.2 times the swap, each at most 150 MB resident
            figures.add(c.id().startsWith("swap") ? toPython.budget(1.0, 0.8) : toPython);
            if (c.pairs() != null) {
                figures.add(Figure.of(key + ".vs." + c.pairs(), c.label() + " cold ÷ " + c.pairs() + " cold, same round", "×",
                        each(counted, (runs, i) -> runs.get(c.id()).coldTotalMillis() / runs.get(c.pairs()).coldTotalMillis()))
                        .budget(1.2));
            }
            figures.add(Figure.of(key + ".rss", c.label() + " peak RSS (interleaved)", "MB",
                    each(counted, (runs, i) -> runs.get(c.id()).peakRssMb())).budget(150));
        }
        figures.add(Figure.of("interleaved.python", "Python boto3 swap (interleaved): start → exit", "ms", pythonMillis));
        for (Configuration c : configurations) {
            figures.addAll(classesByPhase(c, invoker, out));
        }
        return new Result(figures, evidence);
    }

    /** One sample per counted round: {@code value} of (that round's runs, its index). */
    private static List<Double> each(List<Map<String, Invoker.Run>> rounds,
                                     BiFunction<Map<String, Invoker.Run>, Integer, Double> value) {
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            samples.add(value.apply(rounds.get(i), i));
        }
        return samples;
    }

    /**
     * One more cold JVM of {@code c}, unmeasured, with {@code -Xlog:class+load} given the way Lambda lets a function
     * add JVM options ({@code JAVA_TOOL_OPTIONS}): the classes each phase loaded, and those from an archive.
     */
    private static List<Figure> classesByPhase(Configuration c, Invoker invoker, PrintStream out) {
        Path classLog = invoker.log("interleaved-" + c.id() + "-classes.txt");
        ExecutionEnvironment.Function logged = c.function().with(Map.of("JAVA_TOOL_OPTIONS",
                "-Xlog:class+load=info:file=" + classLog));
        Invoker.Run run = invoker.run(logged, 0, c.events(), c.verify(), "interleaved-" + c.id() + "-classes.log");
        String handlerClass = c.function().handler().replaceFirst("::.*$", "");
        Map<String, int[]> phases = ClassLoadLog.byPhase(ClassLoadLog.read(classLog), handlerClass, run.initMillis() / 1000);
        List<Figure> figures = new ArrayList<>();
        StringBuilder line = new StringBuilder("classes loaded by " + c.id() + ", by phase (from an archive):");
        int total = 0;
        int shared = 0;
        for (String phase : PHASES) {
            int[] counts = phases.get(phase);
            total += counts[0];
            shared += counts[1];
            line.append(String.format(Locale.ROOT, " %s %d (%d)", phase, counts[0], counts[1]));
            figures.add(Figure.of("interleaved." + c.id() + ".classes." + phase, c.label() + " classes loaded: " + phase,
                    "classes", List.of((double) counts[0])));
            figures.add(Figure.of("interleaved." + c.id() + ".classes." + phase + ".shared", c.label()
                    + " classes from an archive: " + phase, "classes", List.of((double) counts[1])));
        }
        out.println(line.append(String.format(Locale.ROOT, "; all %d (%d)", total, shared)));
        return figures;
    }
}
