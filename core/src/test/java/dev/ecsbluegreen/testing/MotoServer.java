package dev.ecsbluegreen.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real local AWS emulator (moto server) for integration tests, one per test JVM.
 *
 * <p>Where it comes from, in order: {@code MOTO_ENDPOINT} (a server someone else runs); {@code moto_server}
 * on the PATH, started on a free loopback port; a virtualenv under {@code ~/.cache/ecs-bluegreen} into which
 * {@code moto[server]} is installed with pip once. When none works the test fails with a message saying
 * what to install: a test that needs AWS never skips silently.
 */
public final class MotoServer {
    static final String MOTO_REQUIREMENT = "moto[server]>=5.1,<6";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static MotoServer shared;

    private final URI endpoint;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** The server for this JVM, started on first use. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = provision();
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
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

    private static MotoServer provision() {
        List<String> tried = new ArrayList<>();
        String configured = System.getenv("MOTO_ENDPOINT");
        if (configured != null && !configured.isBlank()) {
            URI uri = URI.create(configured.endsWith("/") ? configured : configured + "/");
            MotoServer server = new MotoServer(uri, null);
            if (server.waitUntilReady(Duration.ofSeconds(10))) {
                return server;
            }
            throw new IllegalStateException("MOTO_ENDPOINT=" + configured + " does not answer as a moto server");
        }
        Optional<Path> onPath = findOnPath("moto_server");
        if (onPath.isPresent()) {
            tried.add("moto_server on PATH (" + onPath.get() + ")");
            MotoServer server = start(onPath.get());
            if (server != null) {
                return server;
            }
        } else {
            tried.add("moto_server on PATH: not found");
        }
        try {
            Path venvServer = provisionVirtualenv(tried);
            if (venvServer != null) {
                MotoServer server = start(venvServer);
                if (server != null) {
                    return server;
                }
                tried.add("moto_server from " + venvServer + ": did not start");
            }
        } catch (IOException e) {
            tried.add("virtualenv: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("""
                These tests need the moto AWS emulator and could not get it. Tried: %s.
                Fix one of: install it (pip install '%s'), put moto_server on the PATH, \
                or set MOTO_ENDPOINT to a running moto server (e.g. http://127.0.0.1:5000)."""
                .formatted(String.join("; ", tried), MOTO_REQUIREMENT));
    }

    private static MotoServer start(Path executable) {
        int port = freePort();
        Path log = Path.of("target", "moto-server-" + port + ".log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            MotoServer server = new MotoServer(URI.create("http://127.0.0.1:" + port + "/"), process);
            if (server.waitUntilReady(STARTUP_TIMEOUT)) {
                return server;
            }
            process.destroyForcibly();
            System.err.println("moto_server did not become ready; its output is in " + log);
            return null;
        } catch (IOException e) {
            System.err.println("could not start " + executable + ": " + e.getMessage());
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
            sleep(100);
        }
        return false;
    }

    private static Path provisionVirtualenv(List<String> tried) throws IOException, InterruptedException {
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
            tried.add(String.join(" ", command) + " failed: " + output.strip());
            return false;
        }
        return true;
    }

    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
