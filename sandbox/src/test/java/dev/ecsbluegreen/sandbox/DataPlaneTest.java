package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The local listeners against real demo apps, with routing handed in as data (no emulator). */
class DataPlaneTest {
    private static final String BLUE = "arn:tg/app-blue";
    private static final String GREEN = "arn:tg/app-green";
    private final HttpClient http = HttpClient.newHttpClient();
    private final DemoApp blue = new DemoApp("blue", "v1", DemoApp.Mode.HEALTHY, 80);
    private final DemoApp green = new DemoApp("green", "v2", DemoApp.Mode.HEALTHY, 80);
    private final AtomicReference<Routing> routing = new AtomicReference<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> observed = java.util.Collections.synchronizedList(new ArrayList<>());
    private final DataPlane dataPlane = new DataPlane(() -> {
        reads.incrementAndGet();
        return routing.get();
    }, List.of(80), (targetGroupArn, status, responseTime) -> {
        observed.add(targetGroupArn + " " + status);
        if (status == 404) {
            throw new IllegalStateException("an observer that throws");
        }
    });

    @AfterEach
    void stop() {
        dataPlane.close();
        blue.close();
        green.close();
    }

    @Test
    void followsTheDefaultActionAndSeesAChangeWithinTheRoutingTtl() throws Exception {
        routing.set(routing(List.of(rule("default", List.of(), forward(BLUE, 1)))));
        assertEquals("hello from blue v1\n", get("/").body());

        routing.set(routing(List.of(rule("default", List.of(), forward(GREEN, 1)))));
        Thread.sleep(DataPlane.ROUTING_TTL.toMillis() + 50);

        HttpResponse<String> response = get("/");
        assertEquals("hello from green v2\n", response.body());
        assertEquals("app-green", response.headers().firstValue(DataPlane.SERVED_BY).orElseThrow());
    }

    @Test
    void readsTheRoutingAtMostOncePerTtlUnderLoad() throws Exception {
        routing.set(routing(List.of(rule("default", List.of(), forward(BLUE, 1)))));
        for (int i = 0; i < 20; i++) {
            get("/health");
        }
        assertTrue(reads.get() <= 3, "20 quick requests read the routing " + reads.get() + " times");
    }

    @Test
    void aRefreshRoutesTheNextRequestByTheChangeAtOnceThoughTheCacheIsYoung() throws Exception {
        routing.set(routing(List.of(rule("default", List.of(), forward(BLUE, 1)))));
        assertEquals("hello from blue v1\n", get("/").body());

        routing.set(routing(List.of(rule("default", List.of(), forward(GREEN, 1)))));
        dataPlane.refresh();

        assertEquals("hello from green v2\n", get("/").body());
    }

    @Test
    void rulesWinOverTheDefaultActionInPriorityOrder() throws Exception {
        routing.set(routing(List.of(
                rule("1", List.of(new Routing.Condition("path-pattern", List.of("/health"))), forward(GREEN, 1)),
                rule("2", List.of(new Routing.Condition("host-header", List.of("*.example.com"))), forward(GREEN, 1)),
                rule("default", List.of(), forward(BLUE, 1)))));

        assertEquals("ok v2\n", get("/health").body());
        assertEquals("hello from blue v1\n", get("/").body());
    }

    @Test
    void weightedForwardsSplitTrafficByWeightAndNeverSendToWeightZero() throws Exception {
        routing.set(routing(List.of(rule("default", List.of(), forward(BLUE, 0, GREEN, 100)))));
        for (int i = 0; i < 10; i++) {
            assertEquals("hello from green v2\n", get("/").body());
        }

        routing.set(routing(List.of(rule("default", List.of(), forward(BLUE, 50, GREEN, 50)))));
        Thread.sleep(DataPlane.ROUTING_TTL.toMillis() + 50);
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            served.merge(get("/").body(), 1, Integer::sum);
        }
        int toBlue = served.getOrDefault("hello from blue v1\n", 0);
        assertTrue(toBlue > 50 && toBlue < 150, "50/50 split sent " + toBlue + " of 200 to blue: " + served);
    }

    @Test
    void answers503WhenTheListenerDoesNotForwardAnd502ForTargetsOffThisMachine() throws Exception {
        routing.set(new Routing(Map.of(80, new Routing.Listener(80, "arn:listener",
                List.of(new Routing.Rule("default", List.of(), null, "fixed-response")))), groups()));
        HttpResponse<String> notForwarded = get("/");
        assertEquals(503, notForwarded.statusCode());
        assertTrue(notForwarded.body().contains("fixed-response"), notForwarded.body());

        Map<String, Routing.TargetGroup> remote = new HashMap<>(groups());
        remote.put(BLUE, new Routing.TargetGroup(BLUE, "app-blue", List.of(new Routing.Target("10.0.1.10", 8080, true)), "true"));
        routing.set(new Routing(Map.of(80, new Routing.Listener(80, "arn:listener",
                List.of(rule("default", List.of(), forward(BLUE, 1))))), remote));
        Thread.sleep(DataPlane.ROUTING_TTL.toMillis() + 50);
        HttpResponse<String> offMachine = get("/");
        assertEquals(502, offMachine.statusCode());
        assertTrue(offMachine.body().contains("forwards to this machine only"), offMachine.body());
    }

    @Test
    void tellsTheObserverOfEveryTargetAnswerAndNeverFailsARequestForIt() throws Exception {
        routing.set(routing(List.of(
                rule("1", List.of(new Routing.Condition("path-pattern", List.of("/health"))), forward(GREEN, 1)),
                rule("default", List.of(), forward(BLUE, 1)))));

        get("/");
        get("/health");
        HttpResponse<String> notFound = get("/missing");

        assertEquals(404, notFound.statusCode(), "the observer threw, the answer still came through");
        assertEquals(List.of(BLUE + " 200", GREEN + " 200", BLUE + " 404"), observed);
    }

    @Test
    void matchesElbWildcards() {
        assertTrue(DataPlane.wildcard("*", "/anything/at/all", false));
        assertTrue(DataPlane.wildcard("/api/*", "/api/v1", false));
        assertFalse(DataPlane.wildcard("/api/*", "/web", false));
        assertTrue(DataPlane.wildcard("/v?", "/v2", false));
        assertTrue(DataPlane.wildcard("*.Example.com", "shop.example.com", true));
        assertNull(DataPlane.match(new Routing.Listener(80, "arn", List.of(
                rule("1", List.of(new Routing.Condition("http-header", List.of("x"))), forward(BLUE, 1)))), "/", "h"),
                "conditions the sandbox does not emulate never match");
    }

    private Routing routing(List<Routing.Rule> rules) {
        return new Routing(Map.of(80, new Routing.Listener(80, "arn:listener", rules)), groups());
    }

    private Map<String, Routing.TargetGroup> groups() {
        return Map.of(
                BLUE, new Routing.TargetGroup(BLUE, "app-blue", List.of(new Routing.Target("127.0.0.1", blue.port(), true)), "true"),
                GREEN, new Routing.TargetGroup(GREEN, "app-green", List.of(new Routing.Target("127.0.0.1", green.port(), true)), "false"));
    }

    private static Routing.Rule rule(String priority, List<Routing.Condition> conditions, Forward forward) {
        return new Routing.Rule(priority, conditions, forward, null);
    }

    private static Forward forward(Object... arnsAndWeights) {
        List<TargetWeight> targets = new ArrayList<>();
        for (int i = 0; i < arnsAndWeights.length; i += 2) {
            targets.add(new TargetWeight((String) arnsAndWeights[i], (Integer) arnsAndWeights[i + 1]));
        }
        return new Forward(targets);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI url = dataPlane.url(80).resolve(path);
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
