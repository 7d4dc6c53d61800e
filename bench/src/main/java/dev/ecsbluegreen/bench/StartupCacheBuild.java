package dev.ecsbluegreen.bench;

import dev.ecsbluegreen.sandbox.SandboxEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Builds each function's deployment package with a start-up cache trained for it (Maven's {@code package} phase of
 * the bench module runs it): lays out the task root ({@link StartupCache#taskRoot}), starts the function's JVM with
 * the managed runtime's command line edited for training, hands it the real events against the sandbox's moto
 * fixture (the swap swaps and reports; the hook checks and reports), stops it with SIGTERM so that it writes the
 * cache, stamps it, checks that a JVM started through the wrapper takes the function's classes from the cache, and
 * zips it.
 *
 * <pre>
 *   StartupCacheBuild [--out DIR] [--invocations N] [--only NAME] [--runtime DIR] [--task-root DIR] [--kind aot|appcds]
 * </pre>
 *
 * <p>{@code --kind appcds} trains an AppCDS archive on a JDK 25 as well (the kind the {@code java21} runtime gets),
 * for {@code bench/run} to measure beside the AOT cache.
 *
 * <p>The JVM running it is the one trained on. {@code --runtime} is the folder of the runtime client's jars (default
 * the copy the bench module's build makes; in Lambda's base image {@code /var/runtime/lib}); {@code --task-root}
 * trains in that folder instead of {@code OUT/NAME} (in Lambda's base image {@code /var/task}, the path the cache
 * must name), one function at a time ({@code --only}).
 *
 * <p>A cache serves only the JVM build and class path it was trained with (the wrapper checks both, the JVM checks
 * the jars). Trained here, it serves this machine's JDK, which is what {@code bench/run} measures; for Lambda the
 * build must run on the managed runtime's own JVM and paths, in its base image (docs/cold-start.md).
 */
public final class StartupCacheBuild {
    /** One function to package. */
    record Target(String name, String jar, String handler, Duration timeout,
                  Function<Fixture, Map<String, String>> environment,
                  Function<Fixture, Supplier<Fixture.Event>> events,
                  Function<Fixture, BiFunction<Fixture.Event, String, Object>> verify) {}

    /** What was built, and what its check found. */
    record Built(Path zip, Path taskRoot, StartupCache.Kind kind, long cacheBytes, int fromCache, int fromJars) {}

    static final List<Target> TARGETS = List.of(
            new Target("swap-function", "swap-function/target/swap-function.jar", SandboxEnvironment.SWAP_HANDLER,
                    Bench.SWAP_TIMEOUT, Fixture::swapEnvironment, f -> f::newSwapJob,
                    f -> (event, answer) -> f.verifySwap(event.id(), answer)),
            new Target("hooks", "hooks/target/hooks.jar", SandboxEnvironment.HOOK_HANDLER, Bench.HOOK_TIMEOUT,
                    f -> f.hookEnvironment("TARGET_HEALTH"), f -> f::newHookEvent,
                    f -> (event, answer) -> f.verifyHook(event.id(), answer)));

    private static final int MEMORY_MB = 1024;
    private static final String APP_PACKAGE = "dev.ecsbluegreen.";

    private StartupCacheBuild() {}

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("ecsbluegreen.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve("bench/target/lambda");
        int invocations = 3;
        String only = null;
        Path runtimeJars = root.resolve("bench/target/lambda-runtime");
        Path taskRoot = null;
        StartupCache.Kind kind = StartupCache.Kind.forFeature(Runtime.version().feature());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kind" -> kind = switch (value(args, ++i)) {
                    case "aot" -> StartupCache.Kind.AOT;
                    case "appcds" -> StartupCache.Kind.APPCDS;
                    default -> throw usage("--kind is aot or appcds, not " + args[i]);
                };
                case "--out" -> out = root.resolve(value(args, ++i));
                case "--invocations" -> invocations = Integer.parseInt(value(args, ++i));
                case "--only" -> only = value(args, ++i);
                case "--runtime" -> runtimeJars = Path.of(value(args, ++i)).toAbsolutePath();
                case "--task-root" -> taskRoot = Path.of(value(args, ++i)).toAbsolutePath();
                default -> usage("unknown option " + args[i]);
            }
        }
        if (invocations < 1) {
            usage("--invocations must be at least 1");
        }
        String name = only;
        List<Target> targets = TARGETS.stream().filter(t -> name == null || t.name().equals(name)).toList();
        if (targets.isEmpty()) {
            usage("--only names one of " + TARGETS.stream().map(Target::name).toList() + ", not " + only);
        }
        if (taskRoot != null && targets.size() != 1) {
            usage("--task-root trains one function: say which with --only");
        }
        if (taskRoot != null && !holdsOnlyAPackage(taskRoot)) {
            usage("--task-root " + taskRoot + " holds files no package of this build does: it is emptied first, so give "
                    + "an empty folder (or one this build laid out)");
        }
        if (kind == StartupCache.Kind.AOT && Runtime.version().feature() < 25) {
            usage("an AOT cache needs a JDK >= 25; this one is " + Runtime.version().feature());
        }
        try {
            for (Built built : build(root, out, invocations, targets, runtimeJars, taskRoot, kind, System.out)) {
                System.out.printf(Locale.ROOT, "%s: %s (%s %.1f MB; %d of the function's classes from it, %d from jars)%n",
                        root.relativize(built.zip()), built.kind(), built.kind().file, built.cacheBytes() / 1048576.0,
                        built.fromCache(), built.fromJars());
            }
        } catch (RuntimeException e) {
            System.err.println("startup cache build failed: " + (e instanceof BenchFailure ? e.getMessage() : e)
                    + "\n(it trains each function against moto, as the tests do; -Dstartup-cache.skip=true builds without "
                    + "the packages)");
            System.exit(1);
        }
    }

    /** {@code dir} does not exist, or holds only what {@link StartupCache#taskRoot} and the training put there. */
    static boolean holdsOnlyAPackage(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).allMatch(name -> name.equals("lib")
                    || name.equals(StartupCache.WRAPPER) || name.startsWith("startup."));
        } catch (IOException e) {
            return false;
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static IllegalArgumentException usage(String problem) {
        System.err.println("StartupCacheBuild: " + problem + "\nusage: StartupCacheBuild [--out DIR] [--invocations N] "
                + "[--only NAME] [--runtime DIR] [--task-root DIR] [--kind aot|appcds]");
        System.exit(2);
        return new IllegalArgumentException(problem);
    }

    /**
     * Trains, checks and zips each target's package in {@code out}, with one fixture for all.
     *
     * @param taskRootOverride where to lay out the (single) target's task root, or null for {@code out/<name>}
     */
    static List<Built> build(Path root, Path out, int invocations, List<Target> targets, Path runtimeJars,
                             Path taskRootOverride, StartupCache.Kind kind, PrintStream log) {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path logs = out.resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logs, e);
        }
        LambdaRuntime runtime = LambdaRuntime.in(runtimeJars, out.resolve("work"));
        List<Built> built = new ArrayList<>();
        try (Fixture fixture = Fixture.start(root, 0)) {
            for (Target target : targets) {
                Path taskRoot = StartupCache.taskRoot(root.resolve(target.jar()), root.resolve("scripts/" + StartupCache.WRAPPER),
                        taskRootOverride != null ? taskRootOverride : out.resolve(target.name()));
                ExecutionEnvironment.Function function = new ExecutionEnvironment.Function(target.name(), taskRoot,
                        target.handler(), MEMORY_MB, target.timeout(), target.environment().apply(fixture));
                log.printf(Locale.ROOT, "training %s's %s with %d invocation(s) on %s%n", target.name(), kind.file, invocations,
                        System.getProperty("java.runtime.version"));
                train(function, runtime, kind, invocations, target.events().apply(fixture), target.verify().apply(fixture),
                        logs.resolve(target.name() + "-training.log"));
                StartupCache.stamp(taskRoot, javaHome, ExecutionEnvironment.runtimeClassPath(runtime));
                int[] counts = check(function, runtime, target.events().apply(fixture), target.verify().apply(fixture),
                        logs.resolve(target.name() + "-check.log"), logs.resolve(target.name() + "-classes.log"));
                long bytes = size(taskRoot.resolve(kind.file));
                Path zip = StartupCache.zip(taskRoot, out.resolve(target.name() + ".zip"));
                built.add(new Built(zip, taskRoot, kind, bytes, counts[0], counts[1]));
            }
        }
        return built;
    }

    /** The training run: the runtime's command line edited to write the cache, the events, then SIGTERM. */
    static void train(ExecutionEnvironment.Function function, LambdaRuntime runtime, StartupCache.Kind kind, int invocations,
                      Supplier<Fixture.Event> events, BiFunction<Fixture.Event, String, Object> verify, Path log) {
        Path cache = function.taskRoot().resolve(kind.file);
        try (RuntimeApi api = new RuntimeApi(function.name(), function.timeout())) {
            ExecutionEnvironment environment = ExecutionEnvironment.start(function, runtime, List.of(),
                    command -> StartupCache.trainingCommand(command, function.taskRoot(), kind), api, log, true);
            try {
                for (int i = 0; i < invocations; i++) {
                    Fixture.Event event = events.get();
                    RuntimeApi.Result result = environment.invoke(event.json());
                    if (result.error()) {
                        throw new BenchFailure(function.name() + " failed in its training run: " + result.body() + "\n"
                                + environment.logTail());
                    }
                    verify.apply(event, result.body());
                }
            } finally {
                environment.close();
            }
            if (!Files.isRegularFile(cache) || size(cache) == 0) {
                throw new BenchFailure(function.name() + "'s training run wrote no " + cache + "\n" + environment.logTail());
            }
        }
    }

    /**
     * One cold invocation of the package as Lambda starts it: through the wrapper named by
     * {@code AWS_LAMBDA_EXEC_WRAPPER}. The function's classes must come from the cache.
     *
     * @return {the function's classes loaded from the cache, those loaded from its jar}
     * @throws BenchFailure when the wrapper started without the cache, or the JVM did not use it
     */
    static int[] check(ExecutionEnvironment.Function function, LambdaRuntime runtime, Supplier<Fixture.Event> events,
                       BiFunction<Fixture.Event, String, Object> verify, Path log, Path classLog) {
        ExecutionEnvironment.Function wrapped = function.with(Map.of(ExecutionEnvironment.EXEC_WRAPPER,
                function.taskRoot().resolve(StartupCache.WRAPPER).toString()));
        try (RuntimeApi api = new RuntimeApi(function.name(), function.timeout())) {
            ExecutionEnvironment environment = ExecutionEnvironment.start(wrapped, runtime,
                    List.of("-Xlog:class+load=info:file=" + classLog), api, log, false);
            try {
                Fixture.Event event = events.get();
                RuntimeApi.Result result = environment.invoke(event.json());
                if (result.error()) {
                    throw new BenchFailure(function.name() + " failed when started with its cache: " + result.body()
                            + "\n" + environment.logTail());
                }
                verify.apply(event, result.body());
            } finally {
                environment.close();
            }
            String output = read(log);
            if (output.contains("starting without the start-up cache")) {
                throw new BenchFailure(function.name() + ": the wrapper did not use the cache it was just trained with\n"
                        + environment.logTail());
            }
            int[] counts = ClassLoadLog.appClasses(classLog, APP_PACKAGE);
            if (counts[0] == 0) {
                throw new BenchFailure(function.name() + ": none of its classes came from the cache (" + counts[1]
                        + " from its jar): the JVM did not use it\n" + environment.logTail());
            }
            return counts;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
