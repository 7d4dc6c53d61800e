package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void yourOwnApplicationsAreHttpServersOnThisMachine() {
        Sandbox.Options options = Sandbox.Options.parse(List.of("--blue-url", "http://localhost:3000",
                "--green-url", "http://127.0.0.1:3001/"));
        assertEquals(new App.Yours("blue", 3000), options.yourBlue());
        assertEquals(new App.Yours("green", 3001), options.yourGreen());
        assertNull(Sandbox.Options.parse(List.of("--green-url", "http://localhost:3001")).yourBlue());

        for (String url : List.of("https://localhost:3000", "http://example.com:3000", "http://localhost", "localhost:3000")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Sandbox.Options.parse(List.of("--green-url", url)));
            assertTrue(refused.getMessage().contains("http://localhost:PORT"), refused.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--green-url")));
        assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--green-url", "http://localhost:3001",
                "--broken-green")), "a green of your own cannot be made broken");
        assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--blue-url", "http://localhost:3001",
                "--green-url", "http://127.0.0.1:3001")));
    }
}
