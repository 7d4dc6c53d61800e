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

    @Test
    void readsTheEcsStrategiesTheErrorRateAndTheLoadRate() {
        Sandbox.Options options = Sandbox.Options.parse(List.of("--ecs-linear", "--green-error-rate", "5", "--load-rate", "40"));
        assertEquals(ReleaseStrategy.ECS_LINEAR, options.strategy());
        assertEquals(List.of(33, 66, 100), options.strategy().steps());
        assertEquals(5, options.greenErrorPercent());
        assertEquals(40, options.loadRate());
        assertEquals(List.of(10, 100), Sandbox.Options.parse(List.of("--ecs-canary")).strategy().steps());
        Sandbox.Options defaults = Sandbox.Options.parse(List.of());
        assertEquals(ReleaseStrategy.CODEDEPLOY, defaults.strategy());
        assertEquals(0, defaults.greenErrorPercent());
        assertEquals(LoadGenerator.DEFAULT_RATE, defaults.loadRate());
    }

    @Test
    void refusesAnErrorRateThatIsNotAPercentageSayingWhatItWants() {
        for (String bad : List.of("101", "-1", "5.5", "five")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Sandbox.Options.parse(List.of("--green-error-rate", bad)));
            assertEquals("--green-error-rate wants a whole percentage from 0 to 100 (the share of /api/orders requests "
                    + "green answers 500), not '" + bad + "'", refused.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--green-error-rate")))
                .getMessage().startsWith("--green-error-rate needs a whole percentage"));
        assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--green-error-rate", "5",
                "--green-url", "http://localhost:3001")), "a green of your own has no error rate of ours");
        assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--load-rate", "100000")));
        assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--ecs-linear", "--ecs-canary")));
    }

    @Test
    void readsTheExternalControllerWithTheFlagsItSupports() {
        Sandbox.Options options = Sandbox.Options.parse(List.of("--external", "--broken-green", "--yes", "--no-rollback",
                "--verbose", "--load-rate", "5"));
        assertEquals(ReleaseStrategy.EXTERNAL, options.strategy());
        assertTrue(options.strategy().external());
        assertEquals(DemoApp.Mode.BROKEN, options.green());
        assertTrue(options.yes() && options.verbose() && !options.rollback());
        assertEquals(5, options.loadRate());
        assertEquals(DemoApp.Mode.SLOW, Sandbox.Options.parse(List.of("--external", "--slow-green")).green());
        assertEquals(5, Sandbox.Options.parse(List.of("--external", "--green-error-rate", "5")).greenErrorPercent());
    }

    @Test
    void refusesWhatTheExternalControllerCannotDoSayingWhy() {
        for (String other : List.of("--linear", "--ecs-linear", "--ecs-canary")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Sandbox.Options.parse(List.of("--external", other)));
            assertEquals("--ecs-linear, --ecs-canary, --canary, --linear and --external exclude each other (but --external "
                    + "--canary: the controller's canary promote)", refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of(other, "--external")));
        }
        // --canary with --external is the controller's canary promote, in either order
        assertEquals(ReleaseStrategy.EXTERNAL_CANARY, Sandbox.Options.parse(List.of("--external", "--canary")).strategy());
        assertEquals(ReleaseStrategy.EXTERNAL_CANARY, Sandbox.Options.parse(List.of("--canary", "--external", "--yes")).strategy());
        assertTrue(ReleaseStrategy.EXTERNAL_CANARY.external());
        assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--external", "--canary", "--linear")));
        assertEquals("--operator acts on the swap function's canary or linear steps; --external's promote takes no operator command",
                assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--external", "--operator",
                        "promote"))).getMessage());
        for (String yours : List.of("--blue-url", "--green-url")) {
            String message = assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--external",
                    yours, "http://localhost:3000"))).getMessage();
            assertTrue(message.startsWith("--external cannot release your own application (--blue-url/--green-url): its task "
                    + "sets name the demo apps by their image (sandbox/demo:v1, sandbox/demo:v2)"), message);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sandbox.Options.parse(List.of("--external",
                "--green-fails-live"))).getMessage().startsWith("--green-fails-live fails green only once it takes live traffic"));
    }
}
