package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DemoAppTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anErrorRateFailsExactlyThatShareOfEvery100RequestsEvenlySpread() {
        assertEquals(List.of(1L, 21L, 41L, 61L, 81L), LongStream.rangeClosed(1, 100)
                .filter(n -> DemoApp.failsRequest(n, 5)).boxed().toList());
        for (int percent : new int[] {0, 1, 33, 50, 99, 100}) {
            int p = percent;
            assertEquals(percent, LongStream.rangeClosed(101, 200).filter(n -> DemoApp.failsRequest(n, p)).count(), "at " + percent + " %");
        }
        assertThrows(IllegalArgumentException.class, () -> new DemoApp("green", "v2", DemoApp.Mode.HEALTHY, 80, 101));
    }

    @Test
    void aGreenWithAnErrorRateFailsOnlyTheOrdersApiWhileItsSmokeTestPathsStayHealthy() throws Exception {
        try (DemoApp green = new DemoApp("green", "v2", DemoApp.Mode.HEALTHY, 80, 25)) {
            URI base = URI.create("http://127.0.0.1:" + green.port());
            List<Integer> orders = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                orders.add(get(base.resolve(DemoApp.ORDERS_PATH)).statusCode());
                assertEquals(200, get(base.resolve("/")).statusCode());
                assertEquals(200, get(base.resolve("/health")).statusCode());
            }
            assertEquals(List.of(500, 200, 200, 200, 500, 200, 200, 200, 500), orders);
            HttpResponse<String> answer = get(base.resolve(DemoApp.ORDERS_PATH));
            assertEquals("v2", answer.headers().firstValue("X-App-Version").orElseThrow());
            assertTrue(answer.body().contains("\"servedBy\":\"v2\""), answer.body());
        }
    }

    private HttpResponse<String> get(URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
