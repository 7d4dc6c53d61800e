package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void noArgumentsMeanTheInteractiveDemoWithRollbackAndAHealthyGreen() {
        assertEquals(new Sandbox.Options("demo", DemoApp.Mode.HEALTHY, false, true, false), Sandbox.Options.parse(List.of()));
    }

    @Test
    void readsEveryFlag() {
        assertEquals(new Sandbox.Options("up", DemoApp.Mode.SLOW, true, false, true),
                Sandbox.Options.parse(List.of("up", "--slow-green", "--yes", "--no-rollback", "--verbose")));
        assertEquals(DemoApp.Mode.BROKEN, Sandbox.Options.parse(List.of("--broken-green")).green());
    }

    @Test
    void refusesUnknownArgumentsAndContradictoryGreens() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Sandbox.Options.parse(List.of("--brokn-green")));
        assertEquals("unknown argument: --brokn-green", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--broken-green", "--slow-green")));
    }
}
