package dev.ecsbluegreen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A function's deployment package with a start-up cache trained for it: the task root {@code scripts/lambda-exec-wrapper}
 * expects (its header says what each file is), the training run's command line, and the zip Lambda is given.
 *
 * <p>The cache is trained by the JVM that runs the training, through the managed runtime's own command line as the
 * wrapper will edit it: the runtime's class path with the package's {@code lib/*.jar} after it, and the option that
 * writes the cache on exit in place of the one that reads it. A JDK 25 or newer writes an AOT cache
 * ({@code -XX:AOTCacheOutput}, which the JVM refuses next to the runtime's {@code -Xshare:auto}); a JDK 21 to 24 an
 * AppCDS archive ({@code -XX:ArchiveClassesAtExit}, next to it).
 */
final class StartupCache {
    static final String WRAPPER = "lambda-exec-wrapper";
    /** The training JVM's identity, which the wrapper compares with the JVM it is asked to start. */
    static final String STAMP = "startup.jvm";
    /** The runtime's {@code -classpath} of the training run: a cache is valid only for the class path it was trained on. */
    static final String CLASS_PATH = "startup.classpath";

    /** Which cache a JVM writes, and the file name the wrapper looks for. */
    enum Kind {
        AOT("startup.aot"), APPCDS("startup.jsa");

        final String file;

        Kind(String file) {
            this.file = file;
        }

        static Kind forFeature(int feature) {
            if (feature < 21) {
                throw new IllegalArgumentException("a start-up cache is trained on a JDK >= 21, not " + feature);
            }
            return feature >= 25 ? AOT : APPCDS;
        }
    }

    private StartupCache() {}

    /**
     * Lays out a task root in {@code dir} (emptied first): {@code lib/<jar>} and the wrapper, executable.
     *
     * @return the task root, as a real path (what the training's class path and the cache then name)
     */
    static Path taskRoot(Path jar, Path wrapperScript, Path dir) {
        Path root = ExecutionEnvironment.libJar(jar, dir);
        try {
            Path wrapper = root.resolve(WRAPPER);
            Files.copy(wrapperScript, wrapper);
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("could not put " + wrapperScript + " into " + root, e);
        }
    }

    /**
     * The training run's command line: the runtime's {@code command} with the package's jars appended to its
     * {@code -classpath} (as the wrapper appends them) and, for an AOT cache, {@code -Xshare:auto} replaced by the
     * option that writes the cache; for AppCDS that option goes next to it.
     *
     * @throws IllegalArgumentException when the command has no class path to extend
     */
    static List<String> trainingCommand(List<String> command, Path taskRoot, Kind kind) {
        Path cache = taskRoot.resolve(kind.file);
        String output = kind == Kind.AOT ? "-XX:AOTCacheOutput=" + cache : "-XX:ArchiveClassesAtExit=" + cache;
        String jars = libJars(taskRoot).stream().map(jar -> ":" + jar).collect(Collectors.joining());
        List<String> edited = new ArrayList<>();
        boolean classPath = false;
        boolean placed = false;
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg.equals("-classpath") || arg.equals("-cp") || arg.equals("--class-path")) {
                if (i + 1 == command.size()) {
                    throw new IllegalArgumentException(arg + " without a value in " + command);
                }
                edited.add(arg);
                edited.add(command.get(++i) + jars);
                classPath = true;
            } else if (arg.equals("-Xshare:auto")) {
                if (kind == Kind.APPCDS) {
                    edited.add(arg);
                }
                edited.add(output);
                placed = true;
            } else {
                edited.add(arg);
            }
        }
        if (!classPath) {
            throw new IllegalArgumentException("no -classpath in " + command);
        }
        if (!placed) {
            edited.add(1, output);
        }
        return edited;
    }

    /** {@code lib/*.jar} of the task root, in name order (the wrapper's order). */
    static List<Path> libJars(Path taskRoot) {
        try (Stream<Path> files = Files.list(taskRoot.resolve("lib"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no lib/ in " + taskRoot, e);
        }
    }

    /**
     * Writes what the wrapper checks before it uses the cache: the training JVM's {@code JAVA_RUNTIME_VERSION} and
     * {@code IMPLEMENTOR} (from its {@code release} file) and the runtime's class path of the training run.
     */
    static void stamp(Path taskRoot, Path javaHome, String runtimeClassPath) {
        try {
            List<String> identity = identity(javaHome.resolve("release"));
            if (identity.size() != 2) {
                throw new IllegalStateException(javaHome.resolve("release") + " does not say JAVA_RUNTIME_VERSION and "
                        + "IMPLEMENTOR: the wrapper could not tell this JVM from another");
            }
            Files.write(taskRoot.resolve(STAMP), identity);
            Files.writeString(taskRoot.resolve(CLASS_PATH), runtimeClassPath + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not stamp " + taskRoot, e);
        }
    }

    /**
     * The lines of a JDK's {@code release} file (or a stamp) that tell its build from another, as the wrapper
     * compares them: {@code IMPLEMENTOR} and {@code JAVA_RUNTIME_VERSION}, sorted.
     */
    static List<String> identity(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .filter(line -> line.startsWith("JAVA_RUNTIME_VERSION=") || line.startsWith("IMPLEMENTOR="))
                .sorted().toList();
    }

    /**
     * Zips the task root into {@code zip} (replaced), each file under its path in the task root, the wrapper with its
     * execute permission (Lambda runs it as it finds it in the package; a zip without it fails to start).
     */
    static Path zip(Path taskRoot, Path zip) {
        try {
            Files.deleteIfExists(zip);
            Files.createDirectories(zip.toAbsolutePath().getParent());
            List<Path> files;
            try (Stream<Path> walk = Files.walk(taskRoot)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            URI uri = URI.create("jar:" + zip.toAbsolutePath().toUri());
            try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
                for (Path file : files) {
                    Path entry = fs.getPath(taskRoot.relativize(file).toString());
                    if (entry.getParent() != null) {
                        Files.createDirectories(entry.getParent());
                    }
                    Files.copy(file, entry);
                    Set<PosixFilePermission> mode = PosixFilePermissions.fromString(
                            Files.isExecutable(file) ? "rwxr-xr-x" : "rw-r--r--");
                    Files.setPosixFilePermissions(entry, mode);
                }
            }
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException("could not zip " + taskRoot + " into " + zip, e);
        }
    }
}
