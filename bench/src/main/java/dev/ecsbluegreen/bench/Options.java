package dev.ecsbluegreen.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's command line.
 *
 * @param runs      measured runs per figure (each cold figure: one fresh JVM per run)
 * @param warm      warm invocations per swap/hook JVM after its cold one
 * @param sections  what to measure
 * @param scales    listener rule counts for the swap's scale runs
 * @param progressiveScales listener rule counts of the progressive section's canary releases
 * @param burst     requests of the hook's burst check
 * @param jvmOptions extra options for the function JVMs, after the runtime's own
 * @param memoryMb  the functions' memory size (heap = 85 % of it); null: template.yaml's
 * @param results   where latest.json and previous.json go
 * @param sigterm   stop the function JVMs with SIGTERM (a normal exit) instead of Lambda's SIGKILL
 * @param markdown  print the table in Markdown as well
 * @param libJar    package each function as {@code lib/<its jar>} in the task root instead of extracting the jar
 * @param awsLatencyMillis added to every AWS call of the functions (0: moto as it is)
 * @param trace     the {@code Lambda-Runtime-Trace-Id} each event carries (what Active tracing changes)
 */
record Options(int runs, int warm, boolean quick, Set<String> sections, List<Integer> scales,
               List<Integer> progressiveScales, int burst,
               List<String> jvmOptions, Integer memoryMb, Path results, boolean sigterm, boolean markdown,
               boolean libJar, long awsLatencyMillis, RuntimeApi.Trace trace) {
    static final List<String> SECTIONS = List.of("size", "swap", "hooks", "baseline", "interleaved", "scale", "progressive");
    static final String USAGE = """
            usage: bench/run [--runs N] [--warm N] [--quick] [--only SECTION[,SECTION…]] [--jvm-opt OPTION]…
                             [--memory MB] [--scales N,N,…] [--burst N] [--results DIR] [--sigterm]
                             [--markdown] [--lib-jar] [--aws-latency MS] [--trace | --no-trace]
              --runs N        measured runs per figure, median/min/max over them (default 5)
              --warm N        warm invocations per function JVM after its cold one (default 5)
              --quick         CI smoke: 1 run, 2 warm, scales 1 and 10, burst of 100, progressive at 1 rule
              --only S        size, swap, hooks, baseline (Python), interleaved (a cold swap, a cold hook and the
                              Python baseline per round, as ratios to that round's Python), scale, progressive (a
                              canary release's per-step routing change at 1 and 100 rules); comma-separated or
                              repeated (default all)
              --jvm-opt X     extra option for the function JVMs, after the runtime's own (repeatable),
                              e.g. --jvm-opt -XX:SharedArchiveFile=swap.jsa
              --memory MB     the functions' memory size: AWS_LAMBDA_FUNCTION_MEMORY_SIZE, heap 85 % of it
                              (default: template.yaml's MemorySize)
              --scales LIST   listener rule counts for the swap's scale runs (default 1,10,50,100)
              --burst N       requests of the hook's burst check, 16 at a time (default 1000)
              --results DIR   where latest.json (and previous.json) go (default bench/results)
              --sigterm       stop the function JVMs with SIGTERM, not Lambda's SIGKILL, so that they exit normally
                              and write what -XX:ArchiveClassesAtExit=F or -XX:AOTCacheOutput=F recorded
              --markdown      print the table in Markdown as well (for BENCHMARKS.md)
              --lib-jar       package each function as lib/<its jar> (a zip Lambda puts on the class path as is)
                              instead of the extracted jar: AppCDS archives classes from jars only
              --aws-latency MS  add MS to every AWS call of the functions, standing in for AWS's round trip
                              (moto on loopback answers in 3-4 ms; AWS in tens of milliseconds)
              --trace         every event carries a sampled trace header (Sampled=1), as with Active tracing
              --no-trace      no Lambda-Runtime-Trace-Id header at all (default: an unsampled one, Sampled=0,
                              as Lambda sends under PassThrough)
            Exit status: 0 when everything worked (whatever the times), 1 when something did not (a function error,
            a swap that did not swap, a hook that did not report Succeeded), 2 for bad usage or a harness that
            could not start.""";

    Options {
        sections = Set.copyOf(sections);
        scales = List.copyOf(scales);
        progressiveScales = List.copyOf(progressiveScales);
        jvmOptions = List.copyOf(jvmOptions);
    }

    boolean measures(String section) {
        return sections.contains(section);
    }

    /** @throws IllegalArgumentException for anything not in {@link #USAGE} */
    static Options parse(List<String> args, Path defaultResults) {
        Integer runs = null;
        Integer warm = null;
        boolean quick = false;
        Set<String> sections = new LinkedHashSet<>();
        List<Integer> scales = null;
        Integer burst = null;
        List<String> jvmOptions = new ArrayList<>();
        Integer memory = null;
        Path results = defaultResults;
        boolean sigterm = false;
        boolean libJar = false;
        int awsLatency = 0;
        boolean markdown = false;
        RuntimeApi.Trace trace = RuntimeApi.Trace.UNSAMPLED;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--runs" -> runs = positive(arg, value(args, ++i, arg));
                case "--warm" -> warm = positive(arg, value(args, ++i, arg));
                case "--only" -> {
                    for (String section : value(args, ++i, arg).split(",")) {
                        String name = section.trim().equals("hook") ? "hooks" : section.trim();
                        if (!SECTIONS.contains(name)) {
                            throw new IllegalArgumentException("--only: unknown section '" + section + "' (one of " + SECTIONS + ")");
                        }
                        sections.add(name);
                    }
                }
                case "--scales" -> scales = Arrays.stream(value(args, ++i, arg).split(","))
                        .map(s -> positive(arg, s.trim())).toList();
                case "--burst" -> burst = positive(arg, value(args, ++i, arg));
                case "--jvm-opt" -> jvmOptions.add(value(args, ++i, arg));
                case "--memory" -> {
                    memory = positive(arg, value(args, ++i, arg));
                    if (memory < 128 || memory > 10240) {
                        throw new IllegalArgumentException("--memory must be 128..10240 MB (Lambda's range)");
                    }
                }
                case "--results" -> results = Path.of(value(args, ++i, arg));
                case "--sigterm" -> sigterm = true;
                case "--markdown" -> markdown = true;
                case "--lib-jar" -> libJar = true;
                case "--aws-latency" -> awsLatency = nonNegative(arg, value(args, ++i, arg));
                case "--trace" -> trace = RuntimeApi.Trace.SAMPLED;
                case "--no-trace" -> trace = RuntimeApi.Trace.NONE;
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (burst != null && burst > 1000) {
            throw new IllegalArgumentException("--burst: the hooks allow at most 1000 requests per burst");
        }
        return new Options(
                runs != null ? runs : quick ? 1 : 5,
                warm != null ? warm : quick ? 2 : 5,
                quick,
                sections.isEmpty() ? new LinkedHashSet<>(SECTIONS) : sections,
                scales != null ? scales : quick ? List.of(1, 10) : List.of(1, 10, 50, 100),
                quick ? List.of(1) : List.of(1, 100),
                burst != null ? burst : quick ? 100 : 1000,
                jvmOptions, memory, results, sigterm, markdown, libJar, awsLatency, trace);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int positive(String option, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants a positive whole number, not '" + text + "'");
        }
    }

    private static int nonNegative(String option, String text) {
        return text.equals("0") ? 0 : positive(option, text);
    }
}
