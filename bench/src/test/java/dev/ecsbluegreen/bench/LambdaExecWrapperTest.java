package dev.ecsbluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lambda-exec-wrapper}: the command-line edits it makes for a start-up cache trained on this JVM,
 * and that any other JVM starts with the runtime's command line as it was.
 */
class LambdaExecWrapperTest {
    private static final Path WRAPPER = Path.of("..", "scripts", "lambda-exec-wrapper").toAbsolutePath().normalize();
    private static final String JDK25 = "JAVA_VERSION=\"25.0.3\"\nIMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n";
    private static final String JDK21 = "JAVA_VERSION=\"21.0.9\"\nIMPLEMENTOR=\"Amazon.com Inc.\"\nJAVA_RUNTIME_VERSION=\"21.0.9+10-LTS\"\n";
    private static final List<String> RUNTIME_COMMAND = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
            "-classpath", "/var/runtime/lib/ric.jar:/var/runtime/lib/core.jar",
            "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "dev.ecsbluegreen.swap.SwapHandler::handleRequest");

    @TempDir
    Path dir;

    record Started(int exit, List<String> arguments, String stderr) {}

    /** A JDK whose {@code bin/java} prints its arguments, one a line, and whose release file is {@code release}. */
    private Path fakeJdk(String release) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("jdk/release"), release);
        return java;
    }

    private Path taskRoot(String cacheFile, String trainedOn) throws IOException {
        Path root = Files.createDirectories(dir.resolve("task"));
        Files.createDirectories(root.resolve("lib"));
        Files.write(root.resolve("lib/swap-function.jar"), new byte[] {'P', 'K'});
        if (cacheFile != null) {
            Files.write(root.resolve(cacheFile), new byte[] {1, 2, 3, 4});
        }
        if (trainedOn != null) {
            Files.writeString(root.resolve("startup.jvm"), trainedOn);
        }
        return root;
    }

    private static Started start(Path taskRoot, Path java, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", WRAPPER.toString(), java.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LAMBDA_TASK_ROOT", taskRoot.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the wrapper did not end");
        return new Started(process.exitValue(), stdout.lines().toList(), stderr);
    }

    @Test
    void anAotCacheTrainedOnThisJvmReplacesXshareAutoAndPutsTheFunctionJarOnTheClassPath() throws Exception {
        Path root = taskRoot("startup.aot", JDK25);
        Started started = start(root, fakeJdk(JDK25), RUNTIME_COMMAND);
        assertEquals(0, started.exit(), started.stderr());
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:AOTCache=" + root.resolve("startup.aot"), "-XX:TieredStopAtLevel=1",
                "-classpath", "/var/runtime/lib/ric.jar:/var/runtime/lib/core.jar:" + root.resolve("lib/swap-function.jar"),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "dev.ecsbluegreen.swap.SwapHandler::handleRequest"),
                started.arguments());
        assertEquals("", started.stderr());
    }

    @Test
    void anAppCdsArchiveTrainedOnThisJvmGoesNextToXshareAuto() throws Exception {
        Path root = taskRoot("startup.jsa", JDK21);
        Started started = start(root, fakeJdk(JDK21), RUNTIME_COMMAND);
        assertEquals(List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:SharedArchiveFile=" + root.resolve("startup.jsa"),
                "-XX:TieredStopAtLevel=1",
                "-classpath", "/var/runtime/lib/ric.jar:/var/runtime/lib/core.jar:" + root.resolve("lib/swap-function.jar"),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "dev.ecsbluegreen.swap.SwapHandler::handleRequest"),
                started.arguments());
    }

    @Test
    void withoutXshareAutoTheCacheOptionComesRightAfterTheJvm() throws Exception {
        Path root = taskRoot("startup.aot", JDK25);
        Started started = start(root, fakeJdk(JDK25), List.of("-cp", "ric.jar", "Main"));
        assertEquals(List.of("-XX:AOTCache=" + root.resolve("startup.aot"), "-cp", "ric.jar:" + root.resolve("lib/swap-function.jar"), "Main"),
                started.arguments());
    }

    /** A JVM started through a symbolic link (/usr/bin/java) is told by the release file of the JDK it links to. */
    @Test
    void aJvmReachedThroughASymbolicLinkIsToldByTheJdkItLinksTo() throws Exception {
        Path root = taskRoot("startup.aot", JDK25);
        Path java = fakeJdk(JDK25);
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("usr/bin")).resolve("java"), java);
        Started started = start(root, link, RUNTIME_COMMAND);
        assertTrue(started.arguments().contains("-XX:AOTCache=" + root.resolve("startup.aot")), started.stderr());
        assertEquals("", started.stderr());
    }

    @Test
    void anotherJvmBuildStartsTheCommandAsGivenAndSaysWhy() throws Exception {
        Started started = start(taskRoot("startup.aot", JDK25.replace("25.0.3+9", "25.0.2+10")), fakeJdk(JDK25), RUNTIME_COMMAND);
        assertEquals(0, started.exit());
        assertEquals(RUNTIME_COMMAND, started.arguments());
        assertTrue(started.stderr().contains("trained on") && started.stderr().contains("25.0.2+10-LTS")
                && started.stderr().contains("starting without the start-up cache"), started.stderr());
    }

    @Test
    void theClassPathTheCacheWasTrainedWithLetsItIn() throws Exception {
        Path root = taskRoot("startup.aot", JDK25);
        Files.writeString(root.resolve("startup.classpath"), "/var/runtime/lib/ric.jar:/var/runtime/lib/core.jar\n");
        Started started = start(root, fakeJdk(JDK25), RUNTIME_COMMAND);
        assertTrue(started.arguments().contains("-XX:AOTCache=" + root.resolve("startup.aot")), started.arguments().toString());
        assertEquals("", started.stderr());
    }

    /** A runtime update that renames the runtime client's jars: the cache no longer fits, and the JVM starts without it. */
    @Test
    void anotherRuntimeClassPathStartsTheCommandAsGivenAndSaysWhy() throws Exception {
        Path root = taskRoot("startup.aot", JDK25);
        Files.writeString(root.resolve("startup.classpath"), "/var/runtime/lib/ric-2.8.jar:/var/runtime/lib/core.jar\n");
        Started started = start(root, fakeJdk(JDK25), RUNTIME_COMMAND);
        assertEquals(0, started.exit());
        assertEquals(RUNTIME_COMMAND, started.arguments());
        assertTrue(started.stderr().contains("class path") && started.stderr().contains("ric-2.8.jar")
                && started.stderr().contains("starting without the start-up cache"), started.stderr());
    }

    @Test
    void anAotCacheOnAJdkOlderThan25IsLeftOut() throws Exception {
        Started started = start(taskRoot("startup.aot", JDK21), fakeJdk(JDK21), RUNTIME_COMMAND);
        assertEquals(RUNTIME_COMMAND, started.arguments());
        assertTrue(started.stderr().contains("JDK >= 25"), started.stderr());
    }

    @Test
    void noCacheOrNoStampStartsTheCommandAsGiven() throws Exception {
        Path java = fakeJdk(JDK25);
        assertEquals(RUNTIME_COMMAND, start(taskRoot(null, JDK25), java, RUNTIME_COMMAND).arguments());
        Files.delete(dir.resolve("task/startup.jvm"));
        Files.write(dir.resolve("task/startup.aot"), new byte[] {1});
        Started unstamped = start(dir.resolve("task"), java, RUNTIME_COMMAND);
        assertEquals(RUNTIME_COMMAND, unstamped.arguments());
        assertTrue(unstamped.stderr().contains("startup.jvm"), unstamped.stderr());
    }

    /** This JDK, named as trained-on, with a cache it cannot read: it warns and runs anyway. */
    @Test
    void aRealJvmStartsWhenTheCacheItIsGivenIsUnusable() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        String release = Files.readString(javaHome.resolve("release"));
        boolean aot = Runtime.version().feature() >= 25;
        Path root = taskRoot(aot ? "startup.aot" : "startup.jsa", release);
        Started started = start(root, javaHome.resolve("bin/java"), List.of("-Xshare:auto", "-version"));
        assertEquals(0, started.exit(), started.stderr());
        assertTrue(started.stderr().contains(System.getProperty("java.runtime.version")), started.stderr());
    }

    /** This JDK, with a cache stamped for another build: the wrapper leaves the cache out and the JVM starts. */
    @Test
    void aRealMismatchedJvmStartsWithoutTheCache() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path root = taskRoot("startup.aot", "IMPLEMENTOR=\"Someone\"\nJAVA_RUNTIME_VERSION=\"25.0.0+1\"\n");
        Started started = start(root, javaHome.resolve("bin/java"), List.of("-Xshare:auto", "-version"));
        assertEquals(0, started.exit(), started.stderr());
        assertTrue(started.stderr().contains("starting without the start-up cache"), started.stderr());
        assertTrue(!started.stderr().contains("AOTCache") && !started.stderr().contains("[aot]"), started.stderr());
    }
}
