package dev.ecsbluegreen.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.controller.Outcome.Failed;
import dev.ecsbluegreen.controller.Outcome.Reason;
import dev.ecsbluegreen.controller.Outcome.Succeeded;
import dev.ecsbluegreen.controller.Outcome.Waiting;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.testing.Moto;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deploy that validates green itself: after the test listener forwards to green, the project's HTTP checks go to
 * the test URL (here a local server standing in for green behind moto's test listener, which routes nothing); a failed
 * check rolls green back while blue serves. Against moto through the real SDK and the real OkHttp probe.
 */
class DeployValidationIT {
    @RegisterExtension
    static final Moto moto = new Moto();
    static final String IMAGE = "registry.example.com/app:2.0";
    static final String CHECKS = "[{\"name\": \"serves 2.0\", \"path\": \"/\", \"timeoutMillis\": 2000, \"attempts\": 2,"
            + " \"intervalMillis\": 100, \"expect\": {\"status\": 200, \"bodyContains\": \"2.0\"}}]";

    EcsFixture fx;
    Controller controller;
    HttpServer green;
    volatile int status = 200;
    final List<String> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        fx = new EcsFixture(moto);
        controller = fx.controller(moto);
        green = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        green.createContext("/", exchange -> {
            requests.incrementAndGet();
            // what the request saw: its agent, and where the test listener forwarded when it arrived
            seen.add(exchange.getRequestHeaders().getFirst("User-Agent") + " test→" + fx.routing(fx.test));
            byte[] body = ("hello from app 2.0\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        green.start();
    }

    @AfterEach
    void tearDown() {
        green.stop(0);
        fx.close();
    }

    String testUrl() {
        return "http://127.0.0.1:" + green.getAddress().getPort();
    }

    Request deploy(String checks, Duration waitTimeout) {
        return new Request(Action.DEPLOY, fx.target(), null, Images.parse(List.of(IMAGE)), waitTimeout, Duration.ZERO,
                GreenChecks.of(testUrl(), checks), null, null);
    }

    Outcome run(Request request, Duration time, long startedAt) {
        return controller.run(request, Deadline.after(time), startedAt);
    }

    @Test
    void greenPassingItsChecksThroughTheTestListenerIsDeployedAndARepeatValidatesAgainWithoutWriting() {
        Outcome outcome = run(deploy(CHECKS, Duration.ofMinutes(1)), Duration.ofSeconds(60), System.currentTimeMillis());

        Succeeded done = assertInstanceOf(Succeeded.class, outcome, outcome.message());
        assertTrue(done.message().endsWith("; validated: 1 check through " + testUrl() + " passed"), done.message());
        assertEquals(List.of("PRIMARY app-blue app:1", "ACTIVE app-green app:2"), fx.taskSets());
        // the checks went out once the test listener forwarded to green, under the controller's name
        assertEquals(List.of("ecs-bluegreen-controller test→app-green"), seen);
        assertTrue(fx.progress.contains("  check 'serves 2.0' attempt 1/2: passed"), fx.progress.toString());

        int writes = fx.writes().size();
        Outcome again = run(deploy(CHECKS, Duration.ofMinutes(1)), Duration.ofSeconds(60), System.currentTimeMillis());
        assertInstanceOf(Succeeded.class, again, again.message());
        assertEquals(writes, fx.writes().size(), "a repeated deploy wrote: " + fx.writes().subList(writes, fx.writes().size()));
        assertEquals(2, requests.get(), "a repeated deploy validates green again");
    }

    @Test
    void greenFailingItsChecksIsScaledToZeroAndDeletedWhileBlueKeepsServing() {
        status = 500;

        Outcome outcome = run(deploy(CHECKS, Duration.ofMinutes(1)), Duration.ofSeconds(60), System.currentTimeMillis());

        Failed failed = assertInstanceOf(Failed.class, outcome, outcome.message());
        assertEquals(Reason.ROLLED_BACK, failed.reason(), failed.message());
        assertTrue(failed.message().startsWith("green failed its checks through the test listener ('serves 2.0': "),
                failed.message());
        assertTrue(failed.message().contains("500"), failed.message());
        assertTrue(failed.message().contains("failed all 2 attempts"), failed.message());
        assertTrue(failed.message().contains("Its task set was scaled to 0 and deleted"), failed.message());
        assertEquals(2, requests.get(), "both attempts were sent");
        assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-blue", fx.routing(fx.test));
        assertEquals("INACTIVE", fx.definitionStatus("app:2"));
        List<String> writes = fx.writes();
        assertTrue(writes.indexOf("UpdateTaskSet") < writes.indexOf("DeleteTaskSet"), "scaled to 0 before deleted: " + writes);
        assertTrue(fx.proxy.calls().stream().noneMatch(c -> "ModifyListener".equals(c.action())
                && fx.live.equals(c.param("ListenerArn"))), "the live listener was never written");
    }

    @Test
    void aRunWithoutTheTimeForTheChecksLeavesGreenInPlaceAndTheNextRunValidatesIt() {
        // two attempts of up to 2 s, 0.1 s apart, and the 10 s kept for a rollback: 15 s; the run has 12
        Outcome first = run(deploy(CHECKS, Duration.ofMinutes(1)), Duration.ofSeconds(12), System.currentTimeMillis());

        Waiting waiting = assertInstanceOf(Waiting.class, first, first.message());
        assertTrue(waiting.message().contains("waits for a run with the time for it"), waiting.message());
        assertEquals(0, requests.get());
        assertEquals(List.of("PRIMARY app-blue app:1", "ACTIVE app-green app:2"), fx.taskSets());
        assertEquals("app-green", fx.routing(fx.test));

        Outcome next = run(deploy(CHECKS, Duration.ofMinutes(1)), Duration.ofSeconds(60), System.currentTimeMillis());
        assertInstanceOf(Succeeded.class, next, next.message());
        assertEquals(1, requests.get());
    }

    @Test
    void checksNoRunHasTheTimeForRollGreenBackOnceTheDeploysWaitIsOver() {
        long startedTwoMinutesAgo = System.currentTimeMillis() - Duration.ofMinutes(2).toMillis();

        Outcome outcome = run(deploy(CHECKS, Duration.ofMinutes(1)), Duration.ofSeconds(12), startedTwoMinutesAgo);

        Failed failed = assertInstanceOf(Failed.class, outcome, outcome.message());
        assertEquals(Reason.ROLLED_BACK, failed.reason(), failed.message());
        assertTrue(failed.message().startsWith("green could not be validated within 60 s"), failed.message());
        assertEquals(0, requests.get());
        assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
    }

    @Test
    void aTestUrlAloneSendsTheHooksDefaultCheck() {
        Outcome outcome = run(deploy(null, Duration.ofMinutes(1)), Duration.ofSeconds(60), System.currentTimeMillis());

        Succeeded done = assertInstanceOf(Succeeded.class, outcome, outcome.message());
        assertTrue(done.message().endsWith("validated: 1 check through " + testUrl() + " passed"), done.message());
        assertTrue(fx.progress.stream().anyMatch(l -> l.startsWith("  check 'default GET /' attempt 1/")), fx.progress.toString());
    }

    @Test
    void aReleaseAlreadyLiveIsNotCheckedThroughTheTestListenerWhichServesBlueThen() throws IOException {
        assertInstanceOf(Succeeded.class, run(deploy(CHECKS, Duration.ofMinutes(1)), Duration.ofSeconds(60),
                System.currentTimeMillis()));
        assertInstanceOf(Succeeded.class, run(fx.request(Action.PROMOTE, IMAGE), Duration.ofSeconds(60),
                System.currentTimeMillis()));
        int before = requests.get();
        status = 500;

        Outcome outcome = run(deploy(CHECKS, Duration.ofMinutes(1)), Duration.ofSeconds(60), System.currentTimeMillis());

        Succeeded done = assertInstanceOf(Succeeded.class, outcome, outcome.message());
        assertTrue(done.message().startsWith("release " + fx.request(Action.DEPLOY, IMAGE).releaseId() + " is already live"),
                done.message());
        assertEquals(before, requests.get());
    }
}
