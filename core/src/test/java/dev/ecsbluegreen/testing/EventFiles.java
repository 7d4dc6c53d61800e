package dev.ecsbluegreen.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's {@code events/} folder: the payloads AWS sends, shared by {@code sam local invoke} and the tests. */
public final class EventFiles {
    private EventFiles() {}

    /** The repository root: the nearest folder above the working directory that holds {@code events/} and {@code mvnw}. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("events")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no events/ folder above " + Path.of("").toAbsolutePath());
    }

    public static Path path(String name) {
        return repositoryRoot().resolve("events").resolve(name);
    }

    public static String read(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
