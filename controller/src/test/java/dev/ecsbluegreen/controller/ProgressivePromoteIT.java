package dev.ecsbluegreen.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.analysis.check.CheckRunner;
import dev.ecsbluegreen.analysis.check.http.OkHttpProbe;
import dev.ecsbluegreen.controller.Outcome.Failed;
import dev.ecsbluegreen.controller.Outcome.Reason;
import dev.ecsbluegreen.controller.Outcome.Succeeded;
import dev.ecsbluegreen.controller.Outcome.Waiting;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.Strategy;
import dev.ecsbluegreen.testing.Moto;
import dev.ecsbluegreen.testing.TestClocks;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canary and linear promotes with task sets, against moto through the real SDK: live moves to green by weight
 * between the two target groups, each step baked and judged, and a green that goes bad mid-bake is put back. The bakes
 * run on a fake wall clock that the controller's sleeps advance, so a 5-minute bake takes no time.
 */
class ProgressivePromoteIT {
    @RegisterExtension
    static final Moto moto = new Moto();
    static final String IMAGE = ControllerIT.IMAGE;
    static final Strategy CANARY = ProgressivePlannerTest.CANARY;
    static final Strategy LINEAR_50 = ProgressivePlannerTest.strategy(
            "{\"type\": \"linear\", \"stepPercent\": 50, \"stepBakeSeconds\": 120}");

    EcsFixture fx;
    final AtomicLong now = new AtomicLong(Instant.parse("2026-12-01T12:00:00Z").toEpochMilli());
    final List<String> progress = new CopyOnWriteArrayList<>();
    /** What a test does at each of the controller's sleeps (mid-bake), before the fake clock moves on. */
    Consumer<Duration> atSleep = d -> { };
    final List<String> liveDuringBakes = new ArrayList<>();
    HttpServer green;
    volatile int greenStatus = 200;

    @BeforeEach
    void setUp() throws Exception {
        fx = new EcsFixture(moto);
        green = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        green.createContext("/", exchange -> {
            exchange.sendResponseHeaders(greenStatus, -1);
            exchange.close();
        });
        green.start();
        Outcome deployed = fx.controller(moto).run(fx.request(Action.DEPLOY, IMAGE), Deadline.after(Duration.ofSeconds(60)),
                System.currentTimeMillis());
        assertInstanceOf(Succeeded.class, deployed, deployed.message());
    }

    @AfterEach
    void tearDown() {
        green.stop(0);
        fx.close();
    }

    Controller controller() {
        Controller.Sleeper sleeper = d -> {
            liveDuringBakes.add(fx.routing(fx.live) + " " + liveShares());
            atSleep.accept(d);
            now.addAndGet(d.toMillis());
        };
        return new Controller(fx.controllerEcs(moto), fx.controllerListeners(moto),
                line -> progress.add("[" + (now.get() / 1000 % 100_000) + "] " + line),
                TestClocks.utc(() -> Instant.ofEpochMilli(now.get())), sleeper, Duration.ofSeconds(10),
                new CheckRunner(new OkHttpProbe(new OkHttpClient(), Controller.USER_AGENT), d -> { }));
    }

    /** Green's share of the live listener as the controller reads it. */
    String liveShares() {
        return Observation.describe(fx.controllerListeners(moto).read(fx.live));
    }

    Request promote(Strategy strategy, boolean checks) {
        return new Request(Action.PROMOTE, fx.target(), null, Images.parse(List.of(IMAGE)), Duration.ofMinutes(1), Duration.ZERO,
                checks ? GreenChecks.of("http://127.0.0.1:" + green.getAddress().getPort(),
                        "[{\"name\": \"health\", \"path\": \"/health\", \"attempts\": 1, \"expect\": {\"status\": 200}}]") : null,
                strategy, null);
    }

    Outcome run(Request request, Duration time, Outcome.Baking resumed) {
        return controller().run(request, Deadline.after(time), now.get(), resumed);
    }

    List<String> writes() {
        return progress.stream().filter(l -> l.contains("] → ")).map(l -> l.substring(l.indexOf("→ ") + 2)).toList();
    }

    @Test
    void aCanarySendsTenPercentBakesItsFiveMinutesThenPromotesGreen() {
        long started = now.get();

        Outcome outcome = run(promote(CANARY, true), Duration.ofSeconds(60), null);

        Succeeded done = assertInstanceOf(Succeeded.class, outcome, outcome.message() + progress);
        assertEquals(List.of("live listener → app-blue 90 % / app-green 10 %", "test listener → app-blue",
                "live listener → app-green", "make " + greenId() + " the primary task set"), writes(), progress.toString());
        assertTrue(liveDuringBakes.stream().allMatch(l -> l.endsWith("app-blue 90 % / app-green 10 %")), liveDuringBakes.toString());
        assertTrue(now.get() - started >= 300_000, "the bake took its 300 s: " + (now.get() - started));
        assertTrue(progress.stream().anyMatch(l -> l.endsWith("step 1 of 2 (live 10 % to green) baked 300 s; green passed its "
                + "1 check through http://127.0.0.1:" + green.getAddress().getPort())), progress.toString());
        assertEquals(List.of("ACTIVE app-blue app:1", "PRIMARY app-green app:2"), fx.taskSets());
        assertEquals("app-green", fx.routing(fx.live));
        assertEquals("app-blue", fx.routing(fx.test));
        assertTrue(done.message().startsWith("release "), done.message());
    }

    @Test
    void aLinearPromoteBakesEachStep() {
        Outcome outcome = run(promote(LINEAR_50, false), Duration.ofSeconds(60), null);

        assertInstanceOf(Succeeded.class, outcome, outcome.message() + progress);
        assertEquals(List.of("live listener → app-blue 50 % / app-green 50 %", "test listener → app-blue",
                "live listener → app-green", "make " + greenId() + " the primary task set"), writes());
        assertEquals(12, liveDuringBakes.size(), "120 s in 10 s sleeps: " + liveDuringBakes);
        assertEquals(List.of("PRIMARY app-green app:2"), fx.taskSets().stream().filter(t -> t.startsWith("PRIMARY")).toList());
    }

    @Test
    void aGreenThatStopsBeingSteadyMidBakeIsTakenOutOfLiveTrafficAndBlueStaysPrimary() {
        String release = fx.request(Action.DEPLOY, IMAGE).releaseId();
        atSleep = d -> {
            if (liveDuringBakes.size() == 3) {
                fx.neverStabilises(release);
            }
        };

        Outcome outcome = run(promote(CANARY, false), Duration.ofSeconds(60), null);

        Failed failed = assertInstanceOf(Failed.class, outcome, outcome.message());
        assertEquals(Reason.ROLLED_BACK, failed.reason(), failed.message());
        assertTrue(failed.message().startsWith("promote stopped: green is not ready: "), failed.message());
        assertTrue(failed.message().contains("Put back, as read back: live → app-blue, test → app-green, primary "), failed.message());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-green", fx.routing(fx.test));
        assertEquals(List.of("PRIMARY app-blue app:1", "ACTIVE app-green app:2"), fx.taskSets());

        // and the release can be rolled back from there as from any deploy
        fx.stabilises();
        Outcome rolledBack = run(fx.request(Action.ROLLBACK, IMAGE), Duration.ofSeconds(60), null);
        assertInstanceOf(Succeeded.class, rolledBack, rolledBack.message());
        assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
    }

    @Test
    void greenFailingItsChecksAtTheEndOfTheBakeIsTakenOutOfLiveTraffic() {
        greenStatus = 503;

        Outcome outcome = run(promote(CANARY, true), Duration.ofSeconds(60), null);

        Failed failed = assertInstanceOf(Failed.class, outcome, outcome.message());
        assertEquals(Reason.ROLLED_BACK, failed.reason(), failed.message());
        assertTrue(failed.message().startsWith("promote green failed its checks at step 1 of 2 (live 10 % to green) ('health': "),
                failed.message());
        assertTrue(failed.message().contains("503"), failed.message());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-green", fx.routing(fx.test));
        assertEquals(List.of("live listener → app-blue 90 % / app-green 10 %"), writes());
    }

    @Test
    void aRunOutOfTimeMidBakeHandsTheStepOverAndTheNextRunFinishesWithoutMovingItAgain() {
        // 15 s of work: less than a 10 s sleep and the promote's 10 s restore reserve, so the run hands over at once
        Outcome first = run(promote(CANARY, false), Duration.ofSeconds(15), null);

        Waiting waiting = assertInstanceOf(Waiting.class, first, first.message() + progress);
        assertEquals(1, waiting.baking().step());
        assertEquals(now.get(), waiting.baking().sinceMillis(), "the step was placed now (fake time has not moved)");
        assertTrue(waiting.message().startsWith("step 1 of 2 (live 10 % to green): baking 300 s more"), waiting.message());
        assertEquals("app-blue 90 % / app-green 10 %", liveShares());
        String token = new ContinuationToken("promote", fx.request(Action.PROMOTE, IMAGE).releaseId(), now.get(),
                waiting.baking()).encode(ControllerIT.MAPPER);
        assertEquals(waiting.baking(), ContinuationToken.decode(token, ControllerIT.MAPPER).baking());

        progress.clear();
        now.addAndGet(301_000);
        Outcome next = run(promote(CANARY, false), Duration.ofSeconds(60), waiting.baking());

        assertInstanceOf(Succeeded.class, next, next.message() + progress);
        assertEquals(List.of("test listener → app-blue", "live listener → app-green", "make " + greenId() + " the primary task set"),
                writes(), "the continuation went on from the step it found, without weighing again");
        assertTrue(liveDuringBakes.isEmpty(), "the bake was over: " + liveDuringBakes);
    }

    @Test
    void aStepFoundInPlaceWithoutItsRecordBakesInFullBeforeAnythingMoves() {
        Outcome first = run(promote(CANARY, false), Duration.ofSeconds(15), null);
        assertInstanceOf(Waiting.class, first);
        now.addAndGet(301_000);
        long resumedAt = now.get();

        // a job retried without its token: the controller cannot know when the step began, so it bakes from now
        Outcome again = run(promote(CANARY, false), Duration.ofSeconds(60), null);

        assertInstanceOf(Succeeded.class, again, again.message());
        assertTrue(now.get() - resumedAt >= 300_000, "baked again in full: " + (now.get() - resumedAt));
    }

    @Test
    void checksAtTheEndOfABakeWaitForARunWithTheirTimeAndPastTheDeploysWaitPutLiveBack() {
        Outcome first = run(promote(CANARY, true), Duration.ofSeconds(15), null);
        Waiting placed = assertInstanceOf(Waiting.class, first, first.message() + progress);
        long since = placed.baking().sinceMillis();

        // the bake is over, but 15 s of work cannot hold the check's 5 s and the 10 s kept for a restore
        now.set(since + 301_000);
        Outcome short1 = run(promote(CANARY, true), Duration.ofSeconds(15), placed.baking());
        Waiting waiting = assertInstanceOf(Waiting.class, short1, short1.message() + progress);
        assertTrue(waiting.message().startsWith("step 1 of 2 (live 10 % to green) baked; its checks (up to 16 s) wait"),
                waiting.message());
        assertEquals("app-blue 90 % / app-green 10 %", liveShares(), "the step stays in place");

        // still no run with the time a minute past the bake (the promote's wait timeout): green cannot be judged
        now.set(since + 300_000 + 61_000);
        Outcome late = run(promote(CANARY, true), Duration.ofSeconds(15), placed.baking());
        Failed failed = assertInstanceOf(Failed.class, late, late.message());
        assertEquals(Reason.ROLLED_BACK, failed.reason(), failed.message());
        assertTrue(failed.message().contains("green's checks at step 1 of 2 (live 10 % to green) could not be run"),
                failed.message());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-green", fx.routing(fx.test));
    }

    @Test
    void aStrategyWithAFinalBakeIsRefusedBeforeAnythingIsRead() {
        ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigurationException.class,
                () -> promote(ProgressivePlannerTest.strategy(
                        "{\"type\": \"canary\", \"percent\": 10, \"bakeSeconds\": 60, \"finalBakeSeconds\": 60}"), false));
        assertTrue(e.getMessage().contains("instead of the strategy's finalBakeSeconds"), e.getMessage());
    }

    String greenId() {
        return fx.ecs.describeTaskSets(b -> b.cluster(EcsFixture.CLUSTER).service(EcsFixture.SERVICE)).taskSets().stream()
                .filter(t -> t.taskDefinition().endsWith(":2")).findFirst().orElseThrow().id();
    }
}
