package dev.ecsbluegreen.core.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's checkout is, for the local tooling (tests, sandbox, bench). Never part of a function's package. */
public final class Repository {
    private Repository() {}

    /**
     * The repository root: {@code -Decsbluegreen.root} when set, else the nearest folder above the working
     * directory that holds {@code events/} and {@code mvnw}.
     */
    public static Path root() {
        String configured = System.getProperty("ecsbluegreen.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("events")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository (a folder with events/ and mvnw) above " + Path.of("").toAbsolutePath());
    }
}
