package dev.ecsbluegreen.bench;

import dev.ecsbluegreen.sandbox.Sandbox;
import dev.ecsbluegreen.sandbox.SandboxEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code bench/run}: cold start, warm latency, peak memory, jar size and scale of the functions' shaded jars, each
 * run through the real Lambda Java runtime interface client against a local Runtime API, against the sandbox's
 * moto fixture (BENCHMARKS.md says what each figure spans). Never fails on a time: the exit status says whether
 * everything worked.
 */
public final class Bench {
    static {
        // Nagle off on every loopback server of this JVM (the Runtime API, the proxies, the demo apps, the report
        // endpoint): read when the first com.sun.net.httpserver server is made, so it must come first
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** The functions' timeouts, as template.yaml sets them: each event's deadline. */
    static final Duration SWAP_TIMEOUT = Duration.ofSeconds(120);
    static final Duration HOOK_TIMEOUT = Duration.ofSeconds(300);
    static final String SWAP_FUNCTION = SandboxEnvironment.SWAP_FUNCTION;
    static final String HOOK_FUNCTION = "CodeDeployHook_AfterAllowTestTraffic";
    static final int BURST_CONCURRENCY = 16;
    private static final double MB = 1024 * 1024;

    private final Path root;
    private final Options options;
    private final PrintStream out;
    private final Path target;
    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Map<String, Long>> calls = new LinkedHashMap<>();
    private final Map<String, List<Object>> evidence = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    Bench(Path root, Options options, PrintStream out) {
        this.root = root;
        this.options = options;
        this.out = out;
        this.target = root.resolve("bench").resolve("target");
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(Options.USAGE);
            return;
        }
        Path root = Sandbox.repositoryRoot();
        Options options;
        try {
            options = Options.parse(List.of(args), root.resolve("bench").resolve("results"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        Results results;
        try {
            results = new Bench(root, options, System.out).run();
        } catch (RuntimeException e) {
            System.err.println("bench: could not run: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(results.succeeded() ? 0 : 1);
    }

    /**
     * Measures what the options select, prints the table and writes the results file (only when everything worked,
     * so that a broken run never replaces a good one).
     *
     * @throws RuntimeException when the harness cannot start (moto missing, jars or runtime not built)
     */
    Results run() {
        int memory = options.memoryMb() != null ? options.memoryMb() : templateMemory();
        Results.Previous previous = Results.Previous.read(options.results().resolve(Results.LATEST));
        Map<String, Object> setup = setup(memory);
        out.println("ecs-bluegreen bench: " + setup.get("mode") + ", " + options.runs() + " run(s), "
                + options.warm() + " warm invocation(s) per JVM; " + setup.get("jdk") + "; " + setup.get("machine")
                + "; functions at " + setup.get("functionsAt"));
        if (options.measures("size")) {
            measureSizes();
        }
        if (options.sections().stream().anyMatch(s -> !s.equals("size"))) {
            measureFunctions(memory, setup);
        }
        Results results = new Results(setup, figures, calls, evidence, failures);
        out.println();
        results.print(out, previous);
        if (options.markdown()) {
            out.println();
            results.printMarkdown(out, previous);
            out.println();
        }
        if (results.succeeded()) {
            Path written = results.write(options.results());
            Path shown = written.toAbsolutePath().startsWith(root) ? root.relativize(written.toAbsolutePath()) : written;
            out.println("results: " + shown + (previous.exists() ? " (the one before kept as " + Results.PREVIOUS + ")" : ""));
        } else {
            out.println();
            out.println("FAILED (" + failures.size() + "): the results file was left as it was");
            failures.forEach(f -> out.println("  - " + f));
        }
        return results;
    }

    private Map<String, Object> setup(int memory) {
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        setup.put("mode", options.quick() ? "quick" : "full");
        setup.put("runs", options.runs());
        setup.put("warmPerJvm", options.warm());
        setup.put("jdk", "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")");
        setup.put("machine", machine());
        setup.put("functionsAt", functionsAt());
        setup.put("memoryMb", memory);
        setup.put("extraJvmOptions", options.jvmOptions());
        setup.put("sections", Options.SECTIONS.stream().filter(options::measures).toList());
        setup.put("scales", options.scales());
        setup.put("progressiveScales", options.progressiveScales());
        setup.put("burst", options.burst() + " requests, " + BURST_CONCURRENCY + " at a time");
        return setup;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: say less
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", "
                + Math.round(memKb / 1024.0 / 1024.0) + " GB RAM, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    /** The commit the functions were built from, and whether their sources differ from it (git's view). */
    private String functionsAt() {
        try {
            String commit = git("rev-parse", "--short", "HEAD");
            String changed = git("status", "--porcelain", "--", "pom.xml", "core", "swap-function", "hooks");
            return commit + (changed.isBlank() ? "" : " + uncommitted changes to the functions");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private String git(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        try {
            if (process.waitFor() != 0) {
                throw new IOException("git " + String.join(" ", args) + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return output;
    }

    /** template.yaml's (first) MemorySize: what the functions are deployed with; 512 when it says none. */
    private int templateMemory() {
        try {
            Matcher m = Pattern.compile("(?m)^\\s*MemorySize:\\s*(\\d+)").matcher(Files.readString(root.resolve("template.yaml")));
            return m.find() ? Integer.parseInt(m.group(1)) : 512;
        } catch (IOException e) {
            return 512;
        }
    }

    private void measureSizes() {
        for (String[] jar : new String[][] {{"swap", "swap-function/target/swap-function.jar", "8"},
                                            {"hooks", "hooks/target/hooks.jar", "12"}}) {
            Path path = root.resolve(jar[1]);
            try {
                figures.add(Figure.of("size." + jar[0], "jar size: " + path.getFileName(), "MB",
                        List.of(Files.size(path) / MB)).budget(Double.parseDouble(jar[2])));
            } catch (IOException e) {
                throw new IllegalStateException(path + " is missing: build the functions first (bench/run does)", e);
            }
        }
    }

    private void measureFunctions(int memory, Map<String, Object> setup) {
        Path work = target.resolve("bench-work");
        Path logs = target.resolve("bench-logs");
        try {
            ExecutionEnvironment.deleteTree(logs);
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + logs, e);
        }
        LambdaRuntime runtime = LambdaRuntime.in(target.resolve("lambda-runtime"), work);
        setup.put("runtime", "aws-lambda-java-runtime-interface-client " + runtime.version());
        BiFunction<Path, Path, Path> packaging = options.libJar() ? ExecutionEnvironment::libJar : ExecutionEnvironment::extract;
        setup.put("packaging", options.libJar() ? "lib/<jar>" : "extracted jar");
        setup.put("awsLatencyMillis", options.awsLatencyMillis());
        setup.put("traceHeader", options.trace().name().toLowerCase(Locale.ROOT));
        Path swapTask = packaging.apply(root.resolve("swap-function/target/swap-function.jar"), work.resolve("swap-task"));
        Path hooksTask = packaging.apply(root.resolve("hooks/target/hooks.jar"), work.resolve("hooks-task"));
        List<String> jvm = new ArrayList<>(ExecutionEnvironment.runtimeJvmOptions(memory, runtime).stream()
                .map(option -> option.replace(root + "/", "")).toList());
        setup.put("runtimeJvmOptions", jvm);
        setup.put("machineJvmOptions", ExecutionEnvironment.machineJvmOptions(memory));
        out.println("function JVMs: java " + String.join(" ", jvm) + " " + String.join(" ",
                ExecutionEnvironment.machineJvmOptions(memory)) + (options.jvmOptions().isEmpty() ? "" : " "
                + String.join(" ", options.jvmOptions())) + " -classpath <RIC " + runtime.version() + "> "
                + LambdaRuntime.MAIN_CLASS + " <handler>");
        out.println("  (memory " + memory + " MB; task roots in " + root.relativize(work) + "; function logs in "
                + root.relativize(logs) + ")");
        long started = System.nanoTime();
        try (Fixture fixture = Fixture.start(root, options.awsLatencyMillis())) {
            out.printf(Locale.ROOT, "fixture: moto %s, load balancer with live :80 and test :8080 listeners, "
                    + "blue/green target groups, CodeDeploy deployment (%.1f s)%n", fixture.describeMoto(),
                    (System.nanoTime() - started) / 1e9);
            Invoker invoker = new Invoker(runtime, options.jvmOptions(), options.sigterm(), options.trace(), logs, fixture, out);
            ExecutionEnvironment.Function swap = new ExecutionEnvironment.Function(SWAP_FUNCTION, swapTask,
                    SandboxEnvironment.SWAP_HANDLER, memory, SWAP_TIMEOUT, fixture.swapEnvironment());
            ExecutionEnvironment.Function hook = new ExecutionEnvironment.Function(HOOK_FUNCTION, hooksTask,
                    SandboxEnvironment.HOOK_HANDLER, memory, HOOK_TIMEOUT, fixture.hookEnvironment("TARGET_HEALTH"));
            section("swap", () -> measureColdAndWarm("swap", swap, invoker, fixture::newSwapJob,
                    (event, answer) -> fixture.verifySwap(event.id(), answer), 500.0, 400.0, 40.0));
            section("hooks", () -> measureColdAndWarm("hook", hook, invoker, fixture::newHookEvent,
                    (event, answer) -> fixture.verifyHook(event.id(), answer), 600.0, null, null));
            section("baseline", () -> measureBaseline(fixture));
            section("interleaved", () -> measureInterleaved(swap, hook, invoker, fixture));
            section("scale", () -> measureScale(swap, hook, invoker, fixture));
            section("progressive", () -> measureProgressive(swap, invoker, fixture));
        }
    }

    private void section(String name, Runnable body) {
        if (!options.measures(name)) {
            return;
        }
        out.println();
        try {
            body.run();
        } catch (RuntimeException e) {
            // a function that did not do its work, or an AWS call of the fixture's that failed on the way: the
            // other sections still run, and the table shows what was measured
            String message = e instanceof BenchFailure ? e.getMessage() : e.toString();
            failures.add(name + ": " + message);
            out.println("FAILED " + name + ": " + message);
        }
    }

    /** Cold (one fresh JVM per run), warm (the next events in that JVM), peak RSS and AWS calls of one function. */
    private void measureColdAndWarm(String id, ExecutionEnvironment.Function function, Invoker invoker,
                                    java.util.function.Supplier<Fixture.Event> events,
                                    java.util.function.BiFunction<Fixture.Event, String, Object> verify,
                                    double coldBudget, Double coldAim, Double warmBudget) {
        List<Object> seen = evidence.computeIfAbsent(id, k -> new ArrayList<>());
        // an unmeasured first environment: the page cache, moto's code paths and this JVM's own servers get warm
        Invoker.Run warmUp = invoker.run(function, 1, events, verify, id + "-warmup.log");
        seen.addAll(warmUp.evidence());
        out.printf(Locale.ROOT, "%-5s warm-up (not counted): cold %.0f ms%n", id, warmUp.coldTotalMillis());
        List<Invoker.Run> runs = new ArrayList<>();
        for (int i = 1; i <= options.runs(); i++) {
            Invoker.Run run = invoker.run(function, options.warm(), events, verify, id + "-" + i + ".log");
            runs.add(run);
            seen.addAll(run.evidence());
            out.printf(Locale.ROOT, "%-5s run %d/%d: cold %.0f ms = init %.0f + first invocation %.0f; warm %s ms; "
                            + "peak RSS %.1f MB; %d AWS calls (cold)%n", id, i, options.runs(), run.coldTotalMillis(),
                    run.initMillis(), run.coldInvokeMillis(), run.warmMillis().stream()
                            .map(ms -> String.format(Locale.ROOT, "%.1f", ms)).collect(Collectors.joining(" ")),
                    run.peakRssMb(), run.coldCalls().total());
        }
        Invoker.Run last = runs.get(runs.size() - 1);
        calls.put(id + ".cold", last.coldCalls().byOperation());
        if (!last.warmCalls().isEmpty()) {
            calls.put(id + ".warm", last.warmCalls().get(last.warmCalls().size() - 1).byOperation());
        }
        String name = id.equals("swap") ? "swap" : "hook";
        Figure cold = Figure.of(id + ".cold", name + " cold: JVM start → response", "ms", each(runs, Invoker.Run::coldTotalMillis));
        figures.add(coldAim == null ? cold.budget(coldBudget) : cold.budget(coldBudget, coldAim));
        figures.add(Figure.of(id + ".cold.init", name + " cold: init (JVM start → 1st /next)", "ms", each(runs, Invoker.Run::initMillis)));
        figures.add(Figure.of(id + ".cold.invoke", name + " cold: 1st invocation (event → response)", "ms", each(runs, Invoker.Run::coldInvokeMillis)));
        Figure warm = Figure.of(id + ".warm", name + " warm: event → response", "ms",
                runs.stream().flatMap(r -> r.warmMillis().stream()).toList());
        figures.add(warmBudget == null ? warm : warm.budget(warmBudget));
        figures.add(Figure.of(id + ".rss", name + " peak RSS (VmHWM)", "MB", each(runs, Invoker.Run::peakRssMb)).budget(150));
        figures.add(Figure.of(id + ".calls.cold", name + " AWS calls, cold invocation", "calls",
                each(runs, r -> (double) r.coldCalls().total())));
        figures.add(Figure.of(id + ".calls.warm", name + " AWS calls, warm invocation", "calls",
                runs.stream().flatMap(r -> r.warmCalls().stream()).map(c -> (double) c.total()).toList()));
    }

    private void measureBaseline(Fixture fixture) {
        String id = "baseline.python";
        String label = "Python boto3 swap, cold process: start → exit";
        Path script = root.resolve("bench/baseline/swap.py");
        PythonBaseline.Availability availability = Files.isRegularFile(script) ? PythonBaseline.locate(script)
                : new PythonBaseline.Availability(null, script + " is missing");
        if (availability.baseline() == null) {
            out.println("baseline skipped: " + availability.reason());
            figures.add(Figure.skipped(id, label, "ms", availability.reason()));
            return;
        }
        PythonBaseline baseline = availability.baseline();
        List<Object> seen = evidence.computeIfAbsent("baseline", k -> new ArrayList<>());
        List<Double> millis = new ArrayList<>();
        List<Double> callCounts = new ArrayList<>();
        for (int i = 0; i <= options.runs(); i++) {
            Fixture.Event job = fixture.newSwapJob();
            fixture.takeCalls();
            PythonBaseline.Run run = baseline.run(job.json(), fixture.baselineEnvironment());
            CountingProxy.Calls.Counted made = fixture.takeCalls();
            if (run.exitCode() != 0) {
                throw new BenchFailure("the Python baseline exited with " + run.exitCode() + ": " + tail(run.stderr()));
            }
            seen.add(fixture.verifySwap(job.id(), run.stdout()));
            if (i == 0) {
                out.printf(Locale.ROOT, "baseline warm-up (not counted): %.0f ms (%s)%n", run.millis(), baseline.describe());
                continue;
            }
            millis.add(run.millis());
            callCounts.add((double) made.total());
            calls.put(id, made.byOperation());
            out.printf(Locale.ROOT, "baseline run %d/%d: %.0f ms, %d AWS calls%n", i, options.runs(), run.millis(), made.total());
        }
        figures.add(Figure.of(id, label, "ms", millis));
        figures.add(Figure.of(id + ".calls", "Python boto3 swap AWS calls", "calls", callCounts));
    }

    /** The cold starts side by side with the Python baseline, round by round, as ratios ({@link InterleavedRounds}). */
    private void measureInterleaved(ExecutionEnvironment.Function swap, ExecutionEnvironment.Function hook, Invoker invoker,
                                    Fixture fixture) {
        Path script = root.resolve("bench/baseline/swap.py");
        PythonBaseline.Availability availability = Files.isRegularFile(script) ? PythonBaseline.locate(script)
                : new PythonBaseline.Availability(null, script + " is missing");
        if (availability.baseline() == null) {
            out.println("interleaved rounds skipped: " + availability.reason());
            figures.add(Figure.skipped("interleaved.swap.ratio", "swap cold ÷ Python, same round", "×", availability.reason()));
            return;
        }
        List<InterleavedRounds.Configuration> configurations = new ArrayList<>();
        BiFunction<Fixture.Event, String, Object> swapped = (event, answer) -> fixture.verifySwap(event.id(), answer);
        BiFunction<Fixture.Event, String, Object> hooked = (event, answer) -> fixture.verifyHook(event.id(), answer);
        // each function as the template deploys it, then as each trained package (the build's AOT cache, bench/run's
        // AppCDS); a hook is compared with the swap of the same configuration
        String[][] packages = {{"cached", "lambda", "start-up cache"}, {"appcds", "lambda-appcds", "AppCDS"}};
        configurations.add(new InterleavedRounds.Configuration("swap", "swap", swap, fixture::newSwapJob, swapped, null));
        Set<String> swaps = new HashSet<>(List.of("swap"));
        for (String[] p : packages) {
            ExecutionEnvironment.Function packaged = cachedPackage(swap, p[1], "swap-function");
            if (packaged != null) {
                configurations.add(new InterleavedRounds.Configuration("swap." + p[0], "swap, " + p[2], packaged,
                        fixture::newSwapJob, swapped, null));
                swaps.add("swap." + p[0]);
            }
        }
        configurations.add(new InterleavedRounds.Configuration("hook", "hook", hook, fixture::newHookEvent, hooked, "swap"));
        for (String[] p : packages) {
            ExecutionEnvironment.Function packaged = cachedPackage(hook, p[1], "hooks");
            if (packaged != null) {
                configurations.add(new InterleavedRounds.Configuration("hook." + p[0], "hook, " + p[2], packaged,
                        fixture::newHookEvent, hooked, swaps.contains("swap." + p[0]) ? "swap." + p[0] : null));
            }
        }
        InterleavedRounds.Result result = InterleavedRounds.measure(options.runs(), configurations, invoker, fixture,
                availability.baseline(), out);
        figures.addAll(result.figures());
        evidence.computeIfAbsent("interleaved", k -> new ArrayList<>()).addAll(result.evidence());
    }

    /**
     * {@code function} as the package the build trained a start-up cache for ({@link StartupCacheBuild}): its task
     * root {@code bench/target/<folder>/<name>} ({@code lambda}: the build's; {@code lambda-appcds}: bench/run's AppCDS
     * ones), started through its {@code lambda-exec-wrapper}. Null, saying why, when there is none or it was trained
     * on another JVM (the wrapper would start without it: nothing to compare).
     */
    private ExecutionEnvironment.Function cachedPackage(ExecutionEnvironment.Function function, String folder, String name) {
        Path taskRoot = target.resolve(folder).resolve(name);
        Path stamp = taskRoot.resolve(StartupCache.STAMP);
        String why = null;
        try {
            if (!Files.isRegularFile(stamp)) {
                why = "no trained package in " + root.relativize(taskRoot) + " (./mvnw package builds bench/target/lambda; "
                        + "bench/run, on a JDK 25, bench/target/lambda-appcds)";
            } else if (!StartupCache.identity(stamp).equals(StartupCache.identity(
                    Path.of(System.getProperty("java.home"), "release")))) {
                why = root.relativize(taskRoot) + " was trained on another JVM (" + String.join(", ",
                        StartupCache.identity(stamp)) + ")";
            }
        } catch (IOException e) {
            why = "cannot read " + stamp + ": " + e.getMessage();
        }
        if (why != null) {
            out.println("interleaved: " + name + " with its start-up cache left out: " + why);
            return null;
        }
        return function.in(taskRoot).with(Map.of(ExecutionEnvironment.EXEC_WRAPPER,
                taskRoot.resolve(StartupCache.WRAPPER).toString()));
    }

    /** Swap time and calls by listener rule count; the hook's burst check. One JVM each: its first, then warm. */
    private void measureScale(ExecutionEnvironment.Function swap, ExecutionEnvironment.Function hook, Invoker invoker,
                              Fixture fixture) {
        List<Object> seen = evidence.computeIfAbsent("scale", k -> new ArrayList<>());
        for (int rules : options.scales()) {
            fixture.growRulesTo(rules);
            Invoker.Run run = invoker.run(swap, options.runs(), fixture::newSwapJob,
                    (event, answer) -> fixture.verifySwap(event.id(), answer), "scale-swap-" + rules + ".log");
            seen.addAll(run.evidence());
            String id = "scale.swap.rules-" + rules;
            List<Double> callCounts = run.warmCalls().stream().map(c -> (double) c.total()).toList();
            List<Double> concurrency = run.warmCalls().stream().map(c -> (double) c.peakConcurrency()).toList();
            figures.add(Figure.of(id, "swap, " + rules + " rule(s) per listener (warm)", "ms", run.warmMillis()));
            figures.add(Figure.of(id + ".first", "swap, " + rules + " rule(s): 1st invocation of a JVM", "ms",
                    List.of(run.coldInvokeMillis())));
            figures.add(Figure.of(id + ".calls", "swap, " + rules + " rule(s): AWS calls", "calls", callCounts));
            figures.add(Figure.of(id + ".concurrency", "swap, " + rules + " rule(s): most AWS calls at once", "calls",
                    concurrency));
            calls.put(id, run.warmCalls().get(run.warmCalls().size() - 1).byOperation());
            out.printf(Locale.ROOT, "scale %3d rule(s) per listener: first %.0f ms, warm %s ms; %s AWS calls, at most %s at once%n",
                    rules, run.coldInvokeMillis(), run.warmMillis().stream().map(ms -> String.format(Locale.ROOT, "%.0f", ms))
                            .collect(Collectors.joining(" ")), distinct(callCounts), distinct(concurrency));
        }
        int requests = options.burst();
        String checks = "[{\"name\":\"burst\",\"path\":\"/\",\"attempts\":1,\"timeoutMillis\":5000,"
                + "\"expect\":{\"status\":200},\"burst\":{\"requests\":" + requests + ",\"concurrency\":"
                + Math.min(BURST_CONCURRENCY, requests) + "}}]";
        ExecutionEnvironment.Function burst = hook.with(Map.of("CHECKS", checks, "GATES", "none"));
        Invoker.Run run = invoker.run(burst, options.runs(), fixture::newHookEvent,
                (event, answer) -> fixture.verifyHook(event.id(), answer), "scale-burst-" + requests + ".log");
        seen.addAll(run.evidence());
        String id = "scale.hook.burst-" + requests;
        figures.add(Figure.of(id, "hook, burst of " + requests + " × " + BURST_CONCURRENCY + " (warm)", "ms", run.warmMillis()));
        figures.add(Figure.of(id + ".first", "hook, burst of " + requests + ": 1st invocation", "ms",
                List.of(run.coldInvokeMillis())));
        figures.add(Figure.of(id + ".rss", "hook, burst of " + requests + ": peak RSS", "MB", List.of(run.peakRssMb())));
        out.printf(Locale.ROOT, "scale burst of %d requests, %d at a time: first %.0f ms, warm %s ms; peak RSS %.1f MB%n",
                requests, Math.min(BURST_CONCURRENCY, requests), run.coldInvokeMillis(), run.warmMillis().stream()
                        .map(ms -> String.format(Locale.ROOT, "%.0f", ms)).collect(Collectors.joining(" ")), run.peakRssMb());
    }

    /** A canary release's UserParameters: 10 % for a bake of 2 s, which the function's wait of 1 s splits in two. */
    static String canary(String loadBalancer) {
        return "{\"ElbName\": \"" + loadBalancer + "\", \"strategy\": {\"type\": \"canary\", \"percent\": 10, "
                + "\"bakeSeconds\": " + PROGRESSIVE_BAKE_SECONDS + "}}";
    }

    static final int PROGRESSIVE_BAKE_SECONDS = 2;
    /** The function's longest wait in one invocation (60 s deployed): shorter than the bake, so it continues. */
    static final String PROGRESSIVE_MAX_WAIT_SECONDS = "1";
    /**
     * The swap's timeout in this section (template.yaml: 120 s). On moto a call on a listener of 100 weighted rules
     * takes up to about 0.6 s, and the swap's budget assumes twice the slowest call it has seen: the last step's 205
     * writes and their restore then ask for about 140 s, and at 120 s the step would be refused (on AWS, with calls
     * of tens of milliseconds, they ask for about 27 s). The routing change measured here does not depend on it.
     */
    static final Duration PROGRESSIVE_TIMEOUT = Duration.ofSeconds(300);
    /** Invocations of one release before the benchmark gives up on it. */
    static final int MAX_RELEASE_INVOCATIONS = 20;

    /** What a canary release did: its jobs, the figures its function logged, and the swap its last job reported. */
    record ReleaseEvidence(int rules, List<String> jobs, List<Double> canaryStepMillis, List<Double> finalSwapMillis,
                           Fixture.SwapEvidence swap) {}

    /**
     * A canary release through the real function JVM, job after job as CodePipeline sends them (each continued
     * result's token in the next job), at each rule count: one JVM per rule count, its first release a warm-up, then
     * {@code --runs} releases (each swaps back the one before). Each step's routing change is the span the function
     * logs as {@code cutoverMillis}: from the start of its first rule or default-action write to the end of its last.
     */
    private void measureProgressive(ExecutionEnvironment.Function swap, Invoker invoker, Fixture fixture) {
        List<Object> seen = evidence.computeIfAbsent("progressive", k -> new ArrayList<>());
        ExecutionEnvironment.Function configured = swap.with(Map.of("PROGRESSIVE_MAX_WAIT_SECONDS",
                PROGRESSIVE_MAX_WAIT_SECONDS));
        ExecutionEnvironment.Function function = new ExecutionEnvironment.Function(configured.name(),
                configured.taskRoot(), configured.handler(), configured.memoryMb(), PROGRESSIVE_TIMEOUT,
                configured.environment());
        String parameters = canary(fixture.loadBalancerName());
        int releases = options.runs() + 1;
        List<dev.ecsbluegreen.sandbox.Release.Step> reportRows = new ArrayList<>();
        for (int rules : options.progressiveScales()) {
            fixture.rulesTo(rules);
            List<List<String>> jobs = new ArrayList<>(List.of(new ArrayList<>()));
            List<Fixture.SwapEvidence> swaps = new ArrayList<>();
            String logName = "progressive-" + rules + ".log";
            // the release report shows the first rule count's last release, job by job
            boolean reported = rules == options.progressiveScales().get(0);
            invoker.chain(function, fixture.newProgressiveJob(parameters, null), (event, answer) -> {
                jobs.get(jobs.size() - 1).add(event.id());
                String result = resultOf(answer);
                if (reported && jobs.size() == releases) {
                    if (reportRows.isEmpty()) {
                        reportRows.add(fixture.step("before the release (" + rules + " rule(s) per listener)", "-", true,
                                null));
                    }
                    reportRows.add(fixture.step("job #" + jobs.get(jobs.size() - 1).size() + " of release " + releases,
                            result, !result.equals("failed"), event.id()));
                }
                if (result.equals("continued")) {
                    return fixture.newProgressiveJob(parameters, fixture.verifyContinued(event.id(), answer));
                }
                if (!result.equals("succeeded")) {
                    throw new BenchFailure("canary release " + jobs.size() + " at " + rules + " rule(s) did not end "
                            + "swapped: job " + event.id() + " answered " + answer);
                }
                swaps.add(fixture.verifySwap(event.id(), answer));
                if (jobs.size() == releases) {
                    return null;
                }
                jobs.add(new ArrayList<>());
                return fixture.newProgressiveJob(parameters, null);
            }, releases * MAX_RELEASE_INVOCATIONS, logName);
            Map<String, Integer> releaseOf = new LinkedHashMap<>();
            for (int i = 0; i < jobs.size(); i++) {
                for (String job : jobs.get(i)) {
                    releaseOf.put(job, i);
                }
            }
            List<List<Double>> canarySteps = new ArrayList<>();
            List<List<Double>> finalSwaps = new ArrayList<>();
            for (int i = 0; i < releases; i++) {
                canarySteps.add(new ArrayList<>());
                finalSwaps.add(new ArrayList<>());
            }
            for (com.fasterxml.jackson.databind.JsonNode line : cutovers(invoker.log(logName))) {
                Integer release = releaseOf.get(line.path("jobId").asText());
                if (release == null) {
                    continue;
                }
                (line.has("stepIndex") ? canarySteps : finalSwaps).get(release).add(line.path("cutoverMillis").asDouble());
            }
            List<Double> canary = new ArrayList<>();
            List<Double> last = new ArrayList<>();
            List<Double> invocations = new ArrayList<>();
            for (int i = 0; i < releases; i++) {
                if (canarySteps.get(i).size() != 1 || finalSwaps.get(i).size() != 1) {
                    throw new BenchFailure("canary release " + (i + 1) + " at " + rules + " rule(s) logged "
                            + canarySteps.get(i).size() + " canary step and " + finalSwaps.get(i).size() + " final swap "
                            + "routing change(s), not one each (see " + root.relativize(invoker.log(logName)) + ")");
                }
                seen.add(new ReleaseEvidence(rules, jobs.get(i), canarySteps.get(i), finalSwaps.get(i), swaps.get(i)));
                if (i == 0) {
                    continue; // the JVM's first release: its classes load on the way
                }
                canary.add(canarySteps.get(i).get(0));
                last.add(finalSwaps.get(i).get(0));
                invocations.add((double) jobs.get(i).size());
            }
            String id = "progressive.rules-" + rules;
            figures.add(Figure.of(id + ".canary", "progressive, " + rules + " rule(s): canary step routing change "
                    + "(first write → last write)", "ms", canary));
            figures.add(Figure.of(id + ".final", "progressive, " + rules + " rule(s): final swap routing change "
                    + "(first write → last write)", "ms", last));
            figures.add(Figure.of(id + ".invocations", "progressive, " + rules + " rule(s): function invocations per "
                    + "release", "calls", invocations));
            out.printf(Locale.ROOT, "progressive %3d rule(s) per listener: canary step %s ms, final swap %s ms "
                    + "(warm-up release: %.0f / %.0f ms); %s invocations per release%n", rules, millis(canary),
                    millis(last), canarySteps.get(0).get(0), finalSwaps.get(0).get(0), distinct(invocations));
        }
        if (!reportRows.isEmpty()) {
            writeReleaseReport(reportRows, options.progressiveScales().get(0), releases);
        }
    }

    /**
     * The release report of the progressive section (sandbox's {@code ReleaseReport}: one self-contained HTML page):
     * the last measured canary release at the first rule count, job by job, with the routing the emulator read after
     * each and the job's report to CodePipeline. Written next to the results file: {@code release-report.html}.
     */
    private void writeReleaseReport(List<dev.ecsbluegreen.sandbox.Release.Step> rows, int rules, int releases) {
        String last = rows.get(rows.size() - 1).verdict();
        boolean swapped = last.equals("succeeded");
        String html = dev.ecsbluegreen.sandbox.ReleaseReport.html("bench: canary 10 % then the whole swap, "
                + rules + " rule(s) per listener (release " + releases + " of " + releases + ")",
                "release " + (swapped ? "SUCCEEDED: live traffic on green" : "ended " + last) + " after "
                        + (rows.size() - 1) + " job(s)", swapped, rows, List.of(), Map.of());
        try {
            Path file = dev.ecsbluegreen.sandbox.ReleaseReport.write(options.results().resolve(RELEASE_REPORT), html);
            Path shown = file.toAbsolutePath().startsWith(root) ? root.relativize(file.toAbsolutePath()) : file;
            out.println("release report: " + shown);
        } catch (IOException e) {
            failures.add("the release report could not be written: " + e.getMessage());
        }
    }

    /** The progressive section's release report, beside the results file. */
    static final String RELEASE_REPORT = "release-report.html";

    private static String resultOf(String answer) {
        try {
            return dev.ecsbluegreen.core.Json.newMapper().readTree(answer).path("result").asText();
        } catch (IOException e) {
            throw new BenchFailure("the swap function answered what is not JSON: " + answer);
        }
    }

    /** The function's {@code routing changed} log lines (one JSON object a line; the runtime's own lines skipped). */
    private static List<com.fasterxml.jackson.databind.JsonNode> cutovers(Path log) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = dev.ecsbluegreen.core.Json.newMapper();
        List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8)) {
                if (!line.startsWith("{") || !line.contains("\"routing changed\"")) {
                    continue;
                }
                com.fasterxml.jackson.databind.JsonNode node = mapper.readTree(line);
                if ("routing changed".equals(node.path("message").asText())) {
                    lines.add(node);
                }
            }
        } catch (IOException e) {
            throw new BenchFailure("could not read the function's log " + log + ": " + e.getMessage());
        }
        return lines;
    }

    private static String millis(List<Double> values) {
        return values.stream().map(ms -> String.format(Locale.ROOT, "%.1f", ms)).collect(Collectors.joining(" "));
    }

    private static List<Double> each(List<Invoker.Run> runs, Function<Invoker.Run, Double> value) {
        return runs.stream().map(value).toList();
    }

    private static String distinct(List<Double> counts) {
        return counts.stream().map(c -> String.valueOf(c.longValue())).distinct().collect(Collectors.joining("/"));
    }

    private static String tail(String text) {
        String[] lines = text.strip().split("\n");
        return String.join("\n  ", List.of(lines).subList(Math.max(0, lines.length - 15), lines.length));
    }
}
