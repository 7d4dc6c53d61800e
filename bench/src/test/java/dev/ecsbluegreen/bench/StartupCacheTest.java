package dev.ecsbluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The package layout, the training run's command-line edits, the stamp and the zip of {@link StartupCache}. */
class StartupCacheTest {
    private static final List<String> RUNTIME_COMMAND = List.of("/var/lang/bin/java", "-XX:+UseSerialGC", "-Xshare:auto",
            "-XX:TieredStopAtLevel=1", "-classpath", "/var/runtime/lib/ric.jar:/var/runtime/lib/core.jar",
            "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "dev.ecsbluegreen.swap.SwapHandler::handleRequest");

    @TempDir
    Path dir;

    private Path taskRoot() throws Exception {
        Path jar = Files.write(dir.resolve("swap-function.jar"), new byte[] {'P', 'K', 3, 4});
        Path wrapper = Files.writeString(dir.resolve("wrapper"), "#!/bin/sh\nexec \"$@\"\n");
        return StartupCache.taskRoot(jar, wrapper, dir.resolve("task"));
    }

    @Test
    void theTaskRootHoldsTheJarInLibAndTheWrapperExecutable() throws Exception {
        Path root = taskRoot();
        assertTrue(Files.isRegularFile(root.resolve("lib/swap-function.jar")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(StartupCache.WRAPPER))));
    }

    @Test
    void anAotTrainingRunReplacesXshareAutoAndPutsTheFunctionJarWhereTheWrapperWill() throws Exception {
        Path root = taskRoot();
        assertEquals(List.of("/var/lang/bin/java", "-XX:+UseSerialGC", "-XX:AOTCacheOutput=" + root.resolve("startup.aot"),
                "-XX:TieredStopAtLevel=1", "-classpath",
                "/var/runtime/lib/ric.jar:/var/runtime/lib/core.jar:" + root.resolve("lib/swap-function.jar"),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "dev.ecsbluegreen.swap.SwapHandler::handleRequest"),
                StartupCache.trainingCommand(RUNTIME_COMMAND, root, StartupCache.Kind.AOT));
    }

    @Test
    void anAppCdsTrainingRunKeepsXshareAuto() throws Exception {
        Path root = taskRoot();
        List<String> command = StartupCache.trainingCommand(RUNTIME_COMMAND, root, StartupCache.Kind.APPCDS);
        assertEquals(List.of("-Xshare:auto", "-XX:ArchiveClassesAtExit=" + root.resolve("startup.jsa")), command.subList(2, 4));
    }

    @Test
    void withoutXshareAutoTheOptionGoesRightAfterTheJvmAndWithoutAClassPathItIsRefused() throws Exception {
        Path root = taskRoot();
        assertEquals(List.of("java", "-XX:AOTCacheOutput=" + root.resolve("startup.aot"), "-cp",
                "ric.jar:" + root.resolve("lib/swap-function.jar"), "Main"),
                StartupCache.trainingCommand(List.of("java", "-cp", "ric.jar", "Main"), root, StartupCache.Kind.AOT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StartupCache.trainingCommand(List.of("java", "Main"), root, StartupCache.Kind.AOT));
        assertTrue(e.getMessage().contains("-classpath"), e.getMessage());
    }

    @Test
    void theKindFollowsTheTrainingJdk() {
        assertEquals(StartupCache.Kind.APPCDS, StartupCache.Kind.forFeature(21));
        assertEquals(StartupCache.Kind.AOT, StartupCache.Kind.forFeature(25));
        assertThrows(IllegalArgumentException.class, () -> StartupCache.Kind.forFeature(17));
    }

    @Test
    void theStampNamesTheJvmBuildAndTheRuntimeClassPath() throws Exception {
        Path root = taskRoot();
        Path jdk = Files.createDirectories(dir.resolve("jdk"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"21.0.9\"\nJAVA_RUNTIME_VERSION=\"21.0.9+10-LTS\"\n"
                + "IMPLEMENTOR=\"Amazon.com Inc.\"\nOS_ARCH=\"x86_64\"\n");
        StartupCache.stamp(root, jdk, "/var/runtime/lib/ric.jar");
        assertEquals(List.of("IMPLEMENTOR=\"Amazon.com Inc.\"", "JAVA_RUNTIME_VERSION=\"21.0.9+10-LTS\""),
                Files.readAllLines(root.resolve(StartupCache.STAMP)));
        assertEquals(List.of("/var/runtime/lib/ric.jar"), Files.readAllLines(root.resolve(StartupCache.CLASS_PATH)));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"21.0.9\"\n");
        assertThrows(IllegalStateException.class, () -> StartupCache.stamp(root, jdk, "x"));
    }

    /** Lambda runs the wrapper with the mode the zip gives it: a zip without the execute bit fails every start. */
    @Test
    void theZipKeepsEachFilesPathAndTheWrappersExecuteBit() throws Exception {
        Path root = taskRoot();
        Files.write(root.resolve("startup.aot"), new byte[] {1, 2, 3});
        Path zip = StartupCache.zip(root, dir.resolve("out/swap-function.zip"));
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("enablePosixFileAttributes", "true"))) {
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(fs.getPath(StartupCache.WRAPPER))));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fs.getPath("lib/swap-function.jar"))));
            assertEquals(List.of(1, 2, 3), toList(Files.readAllBytes(fs.getPath("startup.aot"))));
        }
    }

    private static List<Integer> toList(byte[] bytes) {
        return java.util.stream.IntStream.range(0, bytes.length).mapToObj(i -> (int) bytes[i]).toList();
    }

    /** {@code --task-root} is emptied before the training: only a folder that holds nothing but a package is taken. */
    @Test
    void aTaskRootToTrainInMustHoldNothingButAPackage() throws Exception {
        Path root = taskRoot();
        Files.write(root.resolve("startup.aot"), new byte[] {1});
        assertTrue(StartupCacheBuild.holdsOnlyAPackage(root));
        assertTrue(StartupCacheBuild.holdsOnlyAPackage(dir.resolve("not-there")));
        Files.writeString(root.resolve("notes.txt"), "mine");
        assertFalse(StartupCacheBuild.holdsOnlyAPackage(root));
        assertFalse(StartupCacheBuild.holdsOnlyAPackage(dir));
    }
}
