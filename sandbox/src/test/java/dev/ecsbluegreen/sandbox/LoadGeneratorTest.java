package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    @Test
    void sendsSteadyTrafficAndCountsTheAnswersByVersionAndStatus() throws Exception {
        try (DemoApp green = new DemoApp("green", "v2", DemoApp.Mode.HEALTHY, 80, 10);
             LoadGenerator load = new LoadGenerator(URI.create("http://127.0.0.1:" + green.port()), DemoApp.ORDERS_PATH, 50)) {
            Thread.sleep(1000);
            LoadGenerator.Tally tally = load.stop();

            assertTrue(tally.total() >= 30 && tally.total() <= 60, "about 50 requests in a second at 50/s: " + tally);
            assertEquals(tally.total(), tally.served("v2"));
            assertEquals((tally.total() + 9) / 10, tally.errors("v2"), "the 1st, 11th, 21st … fail at 10 %: " + tally);
            Thread.sleep(100);
            assertEquals(tally, load.tally(), "nothing is sent after stop");
        }
    }

    @Test
    void aTallySinceAnEarlierOneHoldsOnlyWhatCameAfterAndDescribesItself() {
        LoadGenerator.Tally earlier = new LoadGenerator.Tally(Map.of("v1", Map.of(200, 10L)));
        LoadGenerator.Tally later = new LoadGenerator.Tally(Map.of("v1", Map.of(200, 25L), "v2", Map.of(200, 7L, 500, 2L),
                "none", Map.of(503, 1L)));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("v1", "blue v1");
        labels.put("v2", "green v2");

        LoadGenerator.Tally since = later.since(earlier);

        assertEquals(15, since.served("v1"));
        assertEquals(9, since.served("v2"));
        assertEquals(2, since.errors("v2"));
        assertEquals("blue v1 15 / green v2 9 / none 1 requests, green v2 5xx 2, none 5xx 1", since.describe(labels));
        assertEquals("blue v1 0 / green v2 0 requests, no 5xx", LoadGenerator.Tally.EMPTY.describe(labels));
    }

    @Test
    void refusesARateOutsideItsRange() {
        assertThrows(IllegalArgumentException.class, () -> new LoadGenerator(URI.create("http://127.0.0.1:1"), "/", -1));
        assertThrows(IllegalArgumentException.class,
                () -> new LoadGenerator(URI.create("http://127.0.0.1:1"), "/", LoadGenerator.MAX_RATE + 1));
    }
}
