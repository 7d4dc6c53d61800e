package dev.ecsbluegreen.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The point of comparison: the few-dozen-line swap an operator would write in Python with boto3
 * ({@code bench/baseline/swap.py}), run as a cold {@code python3} process against the same emulator and report
 * endpoint: interpreter start, imports, clients, the swap, the report, exit.
 */
final class PythonBaseline {
    /** The outcome of one run: wall time from process start to exit, and what it printed. */
    record Run(double millis, int exitCode, String stdout, String stderr) {}

    /** The baseline, or why it cannot run here. */
    record Availability(PythonBaseline baseline, String reason) {}

    private final Path interpreter;
    private final Path script;

    private PythonBaseline(Path interpreter, Path script) {
        this.interpreter = interpreter;
        this.script = script;
    }

    /**
     * The baseline with the real interpreter behind {@code python3} on the PATH (a pyenv shim resolved, so its own
     * start-up is not counted), or the reason it cannot run: no python3, or no boto3 for it.
     */
    static Availability locate(Path script) {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import sys, boto3; print(sys.executable)")
                    .redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!probe.waitFor(60, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return new Availability(null, "python3 -c 'import boto3' did not finish within 60 s");
            }
            if (probe.exitValue() != 0) {
                String[] lines = output.split("\n");
                return new Availability(null, "python3 -c 'import boto3' failed: " + lines[lines.length - 1]);
            }
            return new Availability(new PythonBaseline(Path.of(output.lines().reduce((a, b) -> b).orElse("python3")),
                    script), null);
        } catch (IOException e) {
            return new Availability(null, "no python3 on the PATH (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Availability(null, "interrupted");
        }
    }

    String describe() {
        return interpreter.toString();
    }

    /** Runs the script once with {@code event} on stdin and the given endpoints. */
    Run run(byte[] event, Map<String, String> endpoints) {
        ProcessBuilder builder = new ProcessBuilder(interpreter.toString(), script.toString());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(environment(endpoints));
        long started = System.nanoTime();
        try {
            Process process = builder.start();
            CompletableFuture<byte[]> stdout = readAll(process, false);
            CompletableFuture<byte[]> stderr = readAll(process, true);
            try (OutputStream in = process.getOutputStream()) {
                in.write(event);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BenchFailure("the Python baseline did not finish within 60 s");
            }
            double millis = (System.nanoTime() - started) / 1e6;
            return new Run(millis, process.exitValue(), new String(stdout.join(), StandardCharsets.UTF_8),
                    new String(stderr.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BenchFailure("could not run the Python baseline: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    private Map<String, String> environment(Map<String, String> endpoints) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", interpreter.getParent() + File.pathSeparator + "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "bench");
        env.put("AWS_SECRET_ACCESS_KEY", "bench");
        env.put("AWS_SESSION_TOKEN", "bench");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.putAll(endpoints);
        return env;
    }

    private static CompletableFuture<byte[]> readAll(Process process, boolean error) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete((error ? process.getErrorStream() : process.getInputStream()).readAllBytes());
            } catch (IOException e) {
                result.complete(new byte[0]);
            }
        });
        return result;
    }
}
