package dev.ecsbluegreen.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Invokes a function as Lambda does: a fresh JVM per invocation (a cold start each time) with only the function's
 * shaded jar and the {@link LambdaLauncher} on the class path, Lambda's JVM flags, and an environment holding
 * nothing but what Lambda sets plus the function's own variables. Thread-safe.
 */
public final class FunctionRunner {
    /** What Lambda's java21 runtime starts the JVM with (tiered compilation stops at C1; serial GC). */
    private static final List<String> JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto",
            // Lambda's LANG=en_US.UTF-8 names a locale this machine may not have (the JVM then writes '?' for every
            // character outside ASCII): the function's output is UTF-8 as in Lambda, whatever the machine has
            "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8");
    /** Time a child JVM gets beyond the function's timeout before it is killed. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    /**
     * A deployed function.
     *
     * @param environment the function's environment variables (AWS_* endpoints, its own configuration)
     */
    public record LambdaFunction(String name, Path jar, String handler, Duration timeout, int memoryMb,
                                 Map<String, String> environment) {
        public LambdaFunction {
            environment = Map.copyOf(environment);
        }
    }

    /**
     * One invocation's outcome.
     *
     * @param exitCode 0 when the handler returned, 1 for a function error, -1 when it was killed after its timeout
     * @param answer   what the handler wrote to its output stream
     * @param log      its log lines (the Lambda logger and anything printed)
     */
    public record Invocation(String function, int exitCode, String answer, List<String> log, Duration took) {
        public Invocation {
            log = List.copyOf(log);
        }

        public boolean functionError() {
            return exitCode != 0;
        }
    }

    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Path launcherLocation;

    public FunctionRunner() {
        try {
            launcherLocation = Path.of(LambdaLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the function once with {@code event}; never throws for what the function does. */
    public Invocation invoke(LambdaFunction function, String event) {
        if (!Files.isRegularFile(function.jar())) {
            throw new IllegalStateException("the function jar " + function.jar() + " does not exist: build it with "
                    + "./mvnw -DskipTests install");
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(JVM_FLAGS);
        command.add("-Xmx" + (function.memoryMb() * 3 / 4) + "m");
        command.add("-cp");
        command.add(function.jar() + File.pathSeparator + launcherLocation);
        command.add(LambdaLauncher.class.getName());
        command.add(function.handler());
        command.add(String.valueOf(function.timeout().toMillis()));
        command.add(function.name());
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(lambdaEnvironment(function));
        env.putAll(function.environment());
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + java, e);
        }
        // a sandbox stopped mid-invocation (Ctrl-C, kill) takes the function's JVM with it
        Thread killer = new Thread(process::destroyForcibly, "stop-" + function.name());
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            return await(function, event, process, started);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs
            }
        }
    }

    private Invocation await(LambdaFunction function, String event, Process process, long started) {
        CompletableFuture<byte[]> stdout = read(process.getInputStream());
        CompletableFuture<byte[]> stderr = read(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(event.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the child died before reading its event: its stderr says why
        }
        int exit;
        try {
            if (process.waitFor(function.timeout().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
                exit = process.exitValue();
            } else {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                exit = -1;
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            exit = -1;
        }
        String answer = new String(join(stdout), StandardCharsets.UTF_8);
        List<String> log = new ArrayList<>(new String(join(stderr), StandardCharsets.UTF_8).lines().toList());
        if (exit == -1) {
            log.add("sandbox: killed after the function's timeout of " + function.timeout().toSeconds() + " s");
        }
        return new Invocation(function.name(), exit, answer, log, Duration.ofNanos(System.nanoTime() - started));
    }

    private static Map<String, String> lambdaEnvironment(LambdaFunction function) {
        return lambdaEnvironment(function.name(), function.memoryMb());
    }

    /**
     * The variables Lambda sets for every function, with dummy credentials and no link to the developer's AWS set-up
     * (the bench adds those of a runtime it runs through the Runtime API).
     */
    public static Map<String, String> lambdaEnvironment(String functionName, int memoryMb) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "sandbox");
        env.put("AWS_SECRET_ACCESS_KEY", "sandbox");
        env.put("AWS_SESSION_TOKEN", "sandbox");
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memoryMb));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        // no shared config, profile or instance metadata can leak into the function's SDK clients
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    private static CompletableFuture<byte[]> read(InputStream stream) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                result.complete(stream.readAllBytes());
            } catch (IOException e) {
                result.complete(new byte[0]);
            }
        });
        return result;
    }

    private static byte[] join(CompletableFuture<byte[]> future) {
        try {
            return future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return new byte[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new byte[0];
        }
    }
}
