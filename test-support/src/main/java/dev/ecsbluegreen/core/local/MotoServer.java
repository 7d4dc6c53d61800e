package dev.ecsbluegreen.core.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local AWS emulator (moto server) for the tests, the sandbox and the bench — never part of a Lambda package (it
 * lives in the test-support module, which the functions depend on with test scope only).
 *
 * <p>Where it comes from, in order: {@code MOTO_ENDPOINT} (a server someone else runs, shared politely);
 * {@code moto_server} on the PATH, started on a free loopback port; a virtualenv under
 * {@code ~/.cache/ecs-bluegreen/moto-venv} into which {@code moto[server]} is installed with pip once. When none
 * works, {@link #provision} throws with a message saying what was tried and what to install: whoever needs
 * AWS fails loudly, never skips. Thread-safe.
 */
public final class MotoServer implements AutoCloseable {
    public static final String REQUIREMENT = "moto[server]>=5.1,<6";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MotoServer(URI endpoint, Process process, Path log) {
        this.endpoint = endpoint;
        this.process = process;
        this.log = log;
    }

    /**
     * A server for the caller, who closes it (closing an external one does nothing).
     *
     * @param serverEnvironment extra environment for a server this call starts (moto's own settings, such as
     *     {@code MOTO_ECS_SERVICE_RUNNING}); not applied to an external server
     * @throws IllegalStateException saying what was tried and what to install
     */
    public static MotoServer provision(Map<String, String> serverEnvironment) {
        List<String> tried = new ArrayList<>();
        String configured = System.getenv("MOTO_ENDPOINT");
        if (configured != null && !configured.isBlank()) {
            URI uri = URI.create(configured.endsWith("/") ? configured : configured + "/");
            MotoServer external = new MotoServer(uri, null, null);
            if (external.waitUntilReady(Duration.ofSeconds(10))) {
                return external;
            }
            throw new IllegalStateException("MOTO_ENDPOINT=" + configured + " does not answer as a moto server");
        }
        Optional<Path> onPath = findOnPath("moto_server");
        if (onPath.isPresent()) {
            MotoServer started = start(onPath.get(), serverEnvironment, tried);
            if (started != null) {
                return started;
            }
        } else {
            tried.add("moto_server on PATH: not found");
        }
        try {
            Path venvServer = virtualenv(tried);
            if (venvServer != null) {
                MotoServer started = start(venvServer, serverEnvironment, tried);
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
                This needs the moto AWS emulator and could not get it. Tried: %s.
                Fix one of: install it (pip install '%s'), put moto_server on the PATH, \
                or set MOTO_ENDPOINT to a running moto server (e.g. http://127.0.0.1:5000)."""
                .formatted(String.join("; ", tried), REQUIREMENT));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** True when someone else runs the server ({@code MOTO_ENDPOINT}). */
    public boolean external() {
        return process == null;
    }

    /** Where it runs, for people: "http://127.0.0.1:41234/ (moto_server, pid 4242)". */
    public String describe() {
        return external() ? endpoint + " (MOTO_ENDPOINT)" : endpoint + " (moto_server, pid " + process.pid() + ")";
    }

    /** Forgets every resource in every account and region (moto's reset API). */
    public void reset() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto reset answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moto server at " + endpoint + " did not answer the reset", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops a server this class started, and removes its log. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temporary file: nothing to lose
        }
    }

    private static MotoServer start(Path executable, Map<String, String> environment, List<String> tried) {
        int port = freePort();
        Path log = null;
        try {
            log = Files.createTempFile("ecs-bluegreen-moto-" + port + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            MotoServer server = new MotoServer(URI.create("http://127.0.0.1:" + port + "/"), process, log);
            if (server.waitUntilReady(STARTUP_TIMEOUT)) {
                return server;
            }
            String output = Files.readString(log);
            server.close();
            tried.add(executable + ": did not become ready (" + lastLines(output) + ")");
            return null;
        } catch (IOException e) {
            tried.add("could not start " + executable + ": " + e.getMessage());
            if (log != null) {
                log.toFile().delete();
            }
            return null;
        }
    }

    private boolean waitUntilReady(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (process != null && !process.isAlive()) {
                return false;
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                                .timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
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
        if (run(tried, python.get().toString(), "-m", "venv", venv.toString())
                && run(tried, venv.resolve("bin").resolve("pip").toString(), "install", "--quiet", REQUIREMENT)
                && Files.isExecutable(server)) {
            return server;
        }
        return null;
    }

    private static boolean run(List<String> tried, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
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

    /** A loopback port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastLines(String output) {
        String[] lines = output.strip().split("\n");
        return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }
}
