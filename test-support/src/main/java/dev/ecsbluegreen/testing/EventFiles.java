package dev.ecsbluegreen.testing;

import dev.ecsbluegreen.core.local.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's {@code events/} folder: the payloads AWS sends, shared by {@code sam local invoke} and the tests. */
public final class EventFiles {
    private EventFiles() {}

    /** The repository root ({@link Repository#root()}). */
    public static Path repositoryRoot() {
        return Repository.root();
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
