package dev.ecsbluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.sandbox.Sandbox;
import dev.ecsbluegreen.sandbox.SandboxEnvironment;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages the bench module's package phase built ({@link StartupCacheBuild}, bench/target/lambda), started the
 * way Lambda starts a function with {@code AWS_LAMBDA_EXEC_WRAPPER}: against moto, through the real runtime client.
 * A JVM the cache was trained on takes the function's classes from it; a JVM build or runtime class path the cache
 * was not trained with starts without it, and the function still does its work.
 */
class StartupCacheIT {
    private static final Path ROOT = Sandbox.repositoryRoot();
    private static final Path PACKAGES = ROOT.resolve("bench/target/lambda");
    private static Fixture fixture;
    private static LambdaRuntime runtime;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        assertTrue(Files.isRegularFile(PACKAGES.resolve("swap-function.zip")), PACKAGES + " has no swap-function.zip: the "
                + "bench module's package phase builds it (was it run with -Dstartup-cache.skip=true?)");
        fixture = Fixture.start(ROOT, 0);
        runtime = LambdaRuntime.in(ROOT.resolve("bench/target/lambda-runtime"), ROOT.resolve("bench/target/startup-cache-it"));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void eachPackageHoldsTheFunctionJarTheExecutableWrapperTheCacheAndItsStamp() throws Exception {
        StartupCache.Kind kind = StartupCache.Kind.forFeature(Runtime.version().feature());
        for (String[] target : new String[][] {{"swap-function", "swap-function/target/swap-function.jar"},
                                               {"hooks", "hooks/target/hooks.jar"}}) {
            Path zip = PACKAGES.resolve(target[0] + ".zip");
            try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("enablePosixFileAttributes", "true"))) {
                Path jar = ROOT.resolve(target[1]);
                assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(fs.getPath("lib", jar.getFileName().toString())),
                        zip + ": lib/ does not hold the jar just built");
                assertEquals(Files.readString(ROOT.resolve("scripts/lambda-exec-wrapper")),
                        Files.readString(fs.getPath(StartupCache.WRAPPER)));
                assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(fs.getPath(StartupCache.WRAPPER))));
                assertTrue(Files.size(fs.getPath(kind.file)) > 1_000_000, zip + ": " + kind.file);
                assertEquals(StartupCache.identity(Path.of(System.getProperty("java.home"), "release")),
                        StartupCache.identity(fs.getPath(StartupCache.STAMP)));
                assertEquals(List.of(ExecutionEnvironment.runtimeClassPath(runtime)),
                        Files.readAllLines(fs.getPath(StartupCache.CLASS_PATH)));
            }
        }
    }

    @Test
    void theSwapStartedThroughItsWrapperTakesItsClassesFromTheCacheAndSwaps() throws Exception {
        Started started = swap(PACKAGES.resolve("swap-function"));
        assertFalse(started.log().contains("lambda-exec-wrapper:"), started.log());
        assertTrue(started.handlerFromCache(), "SwapHandler was not loaded from the cache");
        int[] app = ClassLoadLog.appClasses(started.classLog(), "dev.ecsbluegreen.");
        assertTrue(app[0] > 10 * app[1], "the function's classes from the cache / from its jar: " + app[0] + " / " + app[1]);
    }

    /** AWS updated the managed runtime's JVM: the wrapper says so, starts the runtime's command as given, and the swap swaps. */
    @Test
    void aJvmBuildTheCacheWasNotTrainedOnStartsWithoutItAndTheSwapStillSwaps() throws Exception {
        Path copy = copyOfSwapPackage();
        Files.writeString(copy.resolve(StartupCache.STAMP), "IMPLEMENTOR=\"Amazon.com Inc.\"\nJAVA_RUNTIME_VERSION=\"25.0.1+8-LTS\"\n");
        Started started = swap(copy);
        assertTrue(started.log().contains("lambda-exec-wrapper: the cache was trained on") && started.log().contains("25.0.1+8-LTS")
                && started.log().contains("starting without the start-up cache"), started.log());
        assertFalse(started.handlerFromCache(), "SwapHandler came from a cache the wrapper left out");
    }

    /** A runtime update that changed the runtime client's class path: the same, for the class path. */
    @Test
    void aRuntimeClassPathTheCacheWasNotTrainedWithStartsWithoutIt() throws Exception {
        Path copy = copyOfSwapPackage();
        Files.writeString(copy.resolve(StartupCache.CLASS_PATH), "/var/runtime/lib/aws-lambda-java-runtime-interface-client-2.8.3.jar\n");
        Started started = swap(copy);
        assertTrue(started.log().contains("class path") && started.log().contains("starting without the start-up cache"),
                started.log());
        assertFalse(started.handlerFromCache());
    }

    /** The kind the java21 runtime gets, trained here on this JDK: the wrapper adds it next to -Xshare:auto. */
    @Test
    void anAppCdsPackageServesTheSwapsClassesFromItsArchive() throws Exception {
        StartupCacheBuild.Target swap = StartupCacheBuild.TARGETS.get(0);
        List<StartupCacheBuild.Built> built = StartupCacheBuild.build(ROOT, dir.resolve("appcds"), 1, List.of(swap),
                ROOT.resolve("bench/target/lambda-runtime"), null, StartupCache.Kind.APPCDS, System.out);
        Path taskRoot = built.get(0).taskRoot();
        assertTrue(Files.isRegularFile(taskRoot.resolve("startup.jsa")) && !Files.exists(taskRoot.resolve("startup.aot")));
        Started started = swap(taskRoot);
        assertFalse(started.log().contains("lambda-exec-wrapper:"), started.log());
        assertTrue(started.handlerFromCache(), "SwapHandler was not loaded from the AppCDS archive");
    }

    record Started(String log, Path classLog, boolean handlerFromCache) {}

    /** One cold swap of the package in {@code taskRoot}, through its wrapper, with class loading logged; verified. */
    private Started swap(Path taskRoot) throws Exception {
        Path classLog = dir.resolve("classes.txt");
        Path log = dir.resolve("function.log");
        ExecutionEnvironment.Function function = new ExecutionEnvironment.Function(SandboxEnvironment.SWAP_FUNCTION, taskRoot,
                SandboxEnvironment.SWAP_HANDLER, 1024, Bench.SWAP_TIMEOUT, fixture.swapEnvironment()).with(Map.of(
                ExecutionEnvironment.EXEC_WRAPPER, taskRoot.resolve(StartupCache.WRAPPER).toString(),
                "JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog));
        try (RuntimeApi api = new RuntimeApi(function.name(), function.timeout())) {
            ExecutionEnvironment environment = ExecutionEnvironment.start(function, runtime, List.of(), api, log, false);
            try {
                Fixture.Event job = fixture.newSwapJob();
                RuntimeApi.Result result = environment.invoke(job.json());
                assertFalse(result.error(), result.body() + "\n" + environment.logTail());
                fixture.verifySwap(job.id(), result.body());
            } finally {
                environment.close();
            }
        }
        boolean fromCache = ClassLoadLog.read(classLog).stream()
                .anyMatch(c -> c.name().equals("dev.ecsbluegreen.swap.SwapHandler") && c.shared());
        return new Started(Files.readString(log), classLog, fromCache);
    }

    /** The trained swap package, copied (its cache then sits at another path, which the stamps decide before the JVM). */
    private Path copyOfSwapPackage() throws Exception {
        Path source = PACKAGES.resolve("swap-function");
        Path copy = dir.resolve("swap-function");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }
}
