package dev.ecsbluegreen.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox's AWS control plane: a moto server, found the way the test harness
 * ({@code dev.ecsbluegreen.testing.MotoServer}, test scope in core) finds one — {@code MOTO_ENDPOINT}, else
 * {@code moto_server} on the PATH, else a virtualenv under {@code ~/.cache/ecs-bluegreen} with
 * {@code moto[server]} installed by pip once — and failing with what to install when none works.
 *
 * <p>A server it starts listens on a free loopback port, logs to a temporary file and is stopped (with any
 * child process) by {@link #close()}. It is started with {@code MOTO_ECS_SERVICE_RUNNING} so that moto
 * reports the ECS service's tasks as running, which the BeforeAllowTraffic hook's task-count gate reads.
 */
public final class MotoProcess implements AutoCloseable {
    static final String MOTO_REQUIREMENT = "moto[server]>=5.1,<6";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final Process process;
    private final Path log;
    private final boolean external;

    private MotoProcess(URI endpoint, Process process, Path log) {
        this.endpoint = endpoint;
        this.process = process;
        this.log = log;
        this.external = process == null;
    }

    /**
     * @param runningTasks what moto reports as the running count of every ECS service it creates
     * @throws IllegalStateException saying what was tried and what to install
     */
    public static MotoProcess provision(int runningTasks) {
        List<String> tried = new ArrayList<>();
        String configured = System.getenv("MOTO_ENDPOINT");
        if (configured != null && !configured.isBlank()) {
            URI uri = URI.create(configured.endsWith("/") ? configured : configured + "/");
            if (ready(uri, null, Duration.ofSeconds(10))) {
                return new MotoProcess(uri, null, null);
            }
            throw new IllegalStateException("MOTO_ENDPOINT=" + configured + " does not answer as a moto server");
        }
        Optional<Path> onPath = findOnPath("moto_server");
        if (onPath.isPresent()) {
            MotoProcess started = start(onPath.get(), runningTasks, tried);
            if (started != null) {
                return started;
            }
        } else {
            tried.add("moto_server on PATH: not found");
        }
        try {
            Path venvServer = virtualenv(tried);
            if (venvServer != null) {
                MotoProcess started = start(venvServer, runningTasks, tried);
                if (started != null) {
                    return started;
                }
            }
        } catch (IOException e) {
            tried.add("virtualenv: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tried.add("virtualenv: interrupted");
        }
        throw new IllegalStateException("""
                The sandbox needs the moto AWS emulator and could not get it. Tried: %s.
                Fix one of: install it (pip install '%s'), put moto_server on the PATH, \
                or set MOTO_ENDPOINT to a running moto server (e.g. http://127.0.0.1:5000)."""
                .formatted(String.join("; ", tried), MOTO_REQUIREMENT));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** True when someone else runs the server ({@code MOTO_ENDPOINT}): the sandbox must share it politely. */
    public boolean external() {
        return external;
    }

    public String describe() {
        return external ? endpoint + " (MOTO_ENDPOINT)" : endpoint + " (moto_server, pid " + process.pid() + ")";
    }

    private static MotoProcess start(Path executable, int runningTasks, List<String> tried) {
        int port = Ports.free();
        Path log = null;
        try {
            log = Files.createTempFile("ecs-bluegreen-sandbox-moto-", ".log");
            ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("MOTO_ECS_SERVICE_RUNNING", String.valueOf(runningTasks));
            Process process = builder.start();
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            MotoProcess moto = new MotoProcess(uri, process, log);
            if (ready(uri, process, STARTUP_TIMEOUT)) {
                return moto;
            }
            String output = Files.readString(log);
            moto.close();
            tried.add(executable + ": did not become ready (" + lastLines(output) + ")");
            return null;
        } catch (IOException e) {
            tried.add("could not start " + executable + ": " + e.getMessage());
            deleteQuietly(log);
            return null;
        }
    }

    private static boolean ready(URI endpoint, Process process, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (process != null && !process.isAlive()) {
                return false;
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static Path virtualenv(List<String> tried) throws IOException, InterruptedException {
        Optional<Path> python = findOnPath("python3");
        if (python.isEmpty()) {
            tried.add("virtualenv: python3 not found");
            return null;
        }
        Path venv = Path.of(System.getProperty("user.home"), ".cache", "ecs-bluegreen", "moto-venv");
        Path server = venv.resolve("bin").resolve("moto_server");
        if (Files.isExecutable(server)) {
            return server;
        }
        Files.createDirectories(venv.getParent());
        System.err.println("installing " + MOTO_REQUIREMENT + " into " + venv + " (once)...");
        if (run(tried, python.get().toString(), "-m", "venv", venv.toString())
                && run(tried, venv.resolve("bin").resolve("pip").toString(), "install", "--quiet", MOTO_REQUIREMENT)
                && Files.isExecutable(server)) {
            return server;
        }
        return null;
    }

    private static boolean run(List<String> tried, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            tried.add(String.join(" ", command) + " failed: " + lastLines(output));
            return false;
        }
        return true;
    }

    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String lastLines(String output) {
        String[] lines = output.strip().split("\n");
        return String.join(" | ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 3), lines.length));
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops a server this sandbox started (children first) and deletes its log; leaves an external one alone. */
    @Override
    public void close() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        deleteQuietly(log);
    }
}
