package dev.ecsbluegreen.bench;

import dev.ecsbluegreen.sandbox.FunctionRunner;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One Lambda execution environment: a JVM started the way the managed java21 runtime starts it — its JVM flags, an
 * environment holding only what Lambda sets plus the function's own variables, the function's package extracted
 * into a task root that is the working directory, the runtime interface client as the main class with the handler
 * as its argument — polling a {@link RuntimeApi}. Stopped with SIGKILL, as Lambda ends a sandbox.
 */
public final class ExecutionEnvironment implements AutoCloseable {
    /**
     * A function as deployed.
     *
     * @param taskRoot    its package, extracted ({@link #extract})
     * @param timeout     the function's timeout: each event's deadline
     * @param environment the function's own environment variables
     */
    record Function(String name, Path taskRoot, String handler, int memoryMb, Duration timeout,
                    Map<String, String> environment) {
        Function {
            environment = Map.copyOf(environment);
        }

        Function with(Map<String, String> more) {
            Map<String, String> merged = new LinkedHashMap<>(environment);
            merged.putAll(more);
            return new Function(name, taskRoot, handler, memoryMb, timeout, merged);
        }

        /** The same function with its package extracted in {@code root}. */
        Function in(Path root) {
            return new Function(name, root, handler, memoryMb, timeout, environment);
        }
    }

    /** The environment variable naming a script the runtime's command line is handed to (Lambda's wrapper scripts). */
    static final String EXEC_WRAPPER = "AWS_LAMBDA_EXEC_WRAPPER";

    /** How long the init phase may take, as on Lambda (10 s), plus room for a loaded machine. */
    private static final Duration INIT_ALLOWANCE = Duration.ofSeconds(20);

    private final Function function;
    private final RuntimeApi api;
    private final Process process;
    private final long startedNanos;
    private final Path log;
    private final List<String> command;
    private final boolean sigterm;
    private long peakRssKb = -1;

    private ExecutionEnvironment(Function function, RuntimeApi api, Process process, long startedNanos, Path log,
                                 List<String> command, boolean sigterm) {
        this.function = function;
        this.api = api;
        this.process = process;
        this.startedNanos = startedNanos;
        this.log = log;
        this.command = command;
        this.sigterm = sigterm;
    }

    /**
     * The managed java21 runtime's JVM options, as read off live functions: heap at 85 % of the memory size, serial
     * GC, class data sharing, C1 only, the CRaC shim, and the RIC's JNI library (plus JDK 24+'s native access).
     */
    static List<String> runtimeJvmOptions(int memoryMb, LambdaRuntime runtime) {
        List<String> options = new ArrayList<>(managedRuntimeJvmOptions(memoryMb));
        if (Runtime.version().feature() >= 24) {
            // JEP 472: without it a JDK 24+ warns when the RIC loads its JNI library (a JDK 21 says nothing)
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        options.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
                + runtime.jniLibrary());
        return options;
    }

    /** The managed runtime's own JVM options, less the runtime interface client's (its JNI library). */
    public static List<String> managedRuntimeJvmOptions(int memoryMb) {
        return List.of(
                "-XX:MaxHeapSize=" + (memoryMb * 1024L * 85 + 50) / 100 + "k",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-XX:+ErrorFileToStderr");
    }

    /**
     * What stands in for the execution environment's machine: Lambda's microVM has the function's memory size as
     * its RAM, and the JVM sizes its initial heap (1/64 of RAM) from that. Here the JVM would see this machine's
     * RAM, start with a heap many times larger, collect less often and show a higher peak RSS than on Lambda.
     */
    public static List<String> machineJvmOptions(int memoryMb) {
        return List.of("-XX:MaxRAM=" + memoryMb + "m");
    }

    /**
     * Starts the JVM; it begins polling {@code api} once initialised.
     *
     * @param extraJvmOptions after the runtime's own (the benchmark's {@code --jvm-opt})
     * @param log             the JVM's stdout and stderr (the function's log: the RIC writes to stdout when it is not
     *                        given Lambda's telemetry pipe)
     * @param sigterm         stop it with SIGTERM, so that the JVM exits normally (and writes what
     *                        {@code -XX:ArchiveClassesAtExit} or {@code -XX:AOTCacheOutput} record), instead of Lambda's
     *                        SIGKILL
     */
    static ExecutionEnvironment start(Function function, LambdaRuntime runtime, List<String> extraJvmOptions,
                                      RuntimeApi api, Path log, boolean sigterm) {
        return start(function, runtime, extraJvmOptions, UnaryOperator.identity(), api, log, sigterm);
    }

    /**
     * As {@link #start(Function, LambdaRuntime, List, RuntimeApi, Path, boolean)}, with the runtime's command line
     * passed through {@code edit} first (a training run's options). When the function's environment names an
     * {@value #EXEC_WRAPPER}, the command starts with it, as the managed runtime's bootstrap does.
     */
    static ExecutionEnvironment start(Function function, LambdaRuntime runtime, List<String> extraJvmOptions,
                                      UnaryOperator<List<String>> edit, RuntimeApi api, Path log, boolean sigterm) {
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<String> command = new ArrayList<>();
        String wrapper = function.environment().get(EXEC_WRAPPER);
        if (wrapper != null) {
            command.add(wrapper);
        }
        command.addAll(edit.apply(runtimeCommand(javaHome, function, runtime, extraJvmOptions)));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(function.taskRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(lambdaEnvironment(function, runtime, javaHome, api));
        env.putAll(function.environment());
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command.get(0), e);
        }
        return new ExecutionEnvironment(function, api, process, started, log, List.copyOf(command), sigterm);
    }

    /** The managed runtime's command line for {@code function}: the JVM, its options, the RIC and the handler. */
    static List<String> runtimeCommand(Path javaHome, Function function, LambdaRuntime runtime, List<String> extraJvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(runtimeJvmOptions(function.memoryMb(), runtime));
        command.addAll(machineJvmOptions(function.memoryMb()));
        command.addAll(extraJvmOptions);
        command.add("-classpath");
        command.add(runtimeClassPath(runtime));
        command.add(LambdaRuntime.MAIN_CLASS);
        command.add(function.handler());
        return command;
    }

    /** The RIC's own class path, as the runtime passes it to {@code -classpath}. */
    static String runtimeClassPath(LambdaRuntime runtime) {
        return runtime.classPath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * What Lambda sets for every function (the sandbox's set: dummy credentials, nothing from this machine's AWS
     * set-up) and what the managed runtime adds for its bootstrap: task root, runtime directory, handler, Runtime
     * API, initialisation type, X-Ray.
     */
    private static Map<String, String> lambdaEnvironment(Function function, LambdaRuntime runtime, Path javaHome,
                                                         RuntimeApi api) {
        Path taskRoot = function.taskRoot();
        Path runtimeDir = runtime.classPath().get(0).getParent();
        Map<String, String> env = new LinkedHashMap<>(FunctionRunner.lambdaEnvironment(function.name(), function.memoryMb()));
        env.put("PATH", javaHome.resolve("bin") + ":/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        env.put("LD_LIBRARY_PATH", javaHome.resolve("lib") + ":/lib64:/usr/lib64:" + runtimeDir + ":" + runtimeDir
                + "/lib:" + taskRoot + ":" + taskRoot + "/lib:/opt/lib");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        env.put("_HANDLER", function.handler());
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/01/01/[$LATEST]00000000000000000000000000000000");
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        // Lambda's X-Ray daemon is link-local; keep anything X-Ray would send on loopback
        env.put("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000");
        env.put("_AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1");
        env.put("_AWS_XRAY_DAEMON_PORT", "2000");
        return env;
    }

    /**
     * A task root in {@code dir} (emptied first) holding the jar as {@code lib/<jar>}: the function packaged as a zip
     * with its jar in {@code lib/}, which Lambda's Java runtime puts on the function's class path as it is.
     */
    static Path libJar(Path jar, Path dir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the functions first (bench/run does)");
        }
        try {
            deleteTree(dir);
            Files.createDirectories(dir.resolve("lib"));
            Files.copy(jar, dir.resolve("lib").resolve(jar.getFileName()));
            return dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("could not put " + jar + " into " + dir + "/lib", e);
        }
    }

    /** Extracts a deployment package into {@code dir} (emptied first), as Lambda extracts it into /var/task. */
    static Path extract(Path jar, Path dir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the functions first (bench/run does)");
        }
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            Path root = dir.toRealPath();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry entry : zip.stream().toList()) {
                    Path target = root.resolve(entry.getName()).normalize();
                    if (!target.startsWith(root)) {
                        throw new IOException("entry outside the task root: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        try (InputStream in = zip.getInputStream(entry)) {
                            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + jar + " into " + dir, e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Invokes the function once and waits for its answer (init included, for the first). */
    RuntimeApi.Result invoke(byte[] event) {
        try {
            return api.invoke(event, function.timeout().plus(INIT_ALLOWANCE), process::isAlive);
        } catch (BenchFailure e) {
            throw new BenchFailure(function.name() + ": " + e.getMessage() + "\n" + logTail());
        }
    }

    long startedNanos() {
        return startedNanos;
    }

    /** Process start → the runtime's first {@code GET /next}: Lambda's Init Duration. */
    double initMillis() {
        long poll = api.firstPollNanos();
        return poll == 0 ? Double.NaN : (poll - startedNanos) / 1e6;
    }

    List<String> command() {
        return command;
    }

    /** The kernel's high-water mark of the JVM's resident set ({@code VmHWM}), in KiB; -1 when unreadable. */
    long readPeakRssKb() {
        OptionalLong hwm = vmHwmKb(process.pid());
        if (hwm.isPresent()) {
            peakRssKb = hwm.getAsLong();
        }
        return peakRssKb;
    }

    static OptionalLong vmHwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone, or not Linux
        }
        return OptionalLong.empty();
    }

    /** The last lines of the function's log, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 25), lines.size());
            return "  --- last lines of " + log + " ---\n  " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "  (no log at " + log + ")";
        }
    }

    /**
     * Reads the peak RSS one last time, then SIGKILLs the JVM (no shutdown hooks run, as on Lambda); with
     * {@code sigterm}, lets it exit normally first (a minute at most).
     */
    @Override
    public void close() {
        readPeakRssKb();
        try {
            if (sigterm) {
                process.destroy();
                process.waitFor(60, TimeUnit.SECONDS);
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
