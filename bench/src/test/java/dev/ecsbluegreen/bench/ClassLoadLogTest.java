package dev.ecsbluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassLoadLogTest {
    private static final String HANDLER = "dev.ecsbluegreen.swap.SwapHandler";

    @TempDir
    Path dir;

    private List<ClassLoadLog.Loaded> log(String... lines) throws Exception {
        Path file = dir.resolve("classes.txt");
        Files.write(file, List.of(lines));
        return ClassLoadLog.read(file);
    }

    @Test
    void readsNameTimeAndWhetherTheClassCameFromAnArchive() throws Exception {
        List<ClassLoadLog.Loaded> loaded = log(
                "[0.004s][info][class,load] java.lang.Object source: shared objects file",
                "[0.310s][info][class,load] dev.ecsbluegreen.swap.SwapHandler source: file:/var/task/lib/swap-function.jar",
                "[0.311s][info][class,load] a.B$$Lambda/0x0000000043043428 source: a.B",
                "not a class line");
        assertEquals(List.of(new ClassLoadLog.Loaded(0.004, "java.lang.Object", true),
                new ClassLoadLog.Loaded(0.310, HANDLER, false),
                new ClassLoadLog.Loaded(0.311, "a.B$$Lambda/0x0000000043043428", false)), loaded);
    }

    @Test
    void splitsAColdStartAtTheRuntimeClientTheHandlerAndTheFirstPoll() throws Exception {
        Map<String, int[]> phases = ClassLoadLog.byPhase(log(
                "[0.004s][info][class,load] java.lang.Object source: shared objects file",
                "[0.050s][info][class,load] " + LambdaRuntime.MAIN_CLASS + " source: file:/var/runtime/lib/ric.jar",
                "[0.060s][info][class,load] com.amazonaws.X source: file:/var/runtime/lib/ric.jar",
                "[0.100s][info][class,load] " + HANDLER + " source: file:/var/task/lib/swap-function.jar",
                "[0.400s][info][class,load] software.amazon.Y source: shared objects file",
                "[0.500s][info][class,load] software.amazon.Z source: file:/var/task/lib/swap-function.jar"), HANDLER, 0.45);
        assertArrayEquals(new int[] {1, 1}, phases.get("jvm"));
        assertArrayEquals(new int[] {2, 0}, phases.get("runtime-client"));
        assertArrayEquals(new int[] {2, 1}, phases.get("init"));
        assertArrayEquals(new int[] {1, 0}, phases.get("first-invocation"));
    }

    /** An AOT cache loads its classes, the handler among them, as the JVM starts: they count to the jvm phase. */
    @Test
    void classesAnAotCacheLoadsAtTheStartCountToTheJvm() throws Exception {
        Map<String, int[]> phases = ClassLoadLog.byPhase(log(
                "[0.004s][info][class,load] java.lang.Object source: shared objects file",
                "[0.020s][info][class,load] " + HANDLER + " source: shared objects file",
                "[0.030s][info][class,load] " + LambdaRuntime.MAIN_CLASS + " source: shared objects file",
                "[0.300s][info][class,load] a.B$$TypeSwitch/0x1 source: a.B"), HANDLER, 0.2);
        assertArrayEquals(new int[] {2, 2}, phases.get("jvm"));
        assertArrayEquals(new int[] {0, 0}, phases.get("runtime-client"));
        assertArrayEquals(new int[] {1, 1}, phases.get("init"));
        assertArrayEquals(new int[] {1, 0}, phases.get("first-invocation"));
        assertArrayEquals(new int[] {0, 1}, ClassLoadLog.appClasses(dir.resolve("classes.txt"), "a."));
    }
}
