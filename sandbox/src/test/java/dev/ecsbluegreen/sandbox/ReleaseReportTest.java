package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReleaseReportTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    static Release.Step step(String name, String verdict, boolean passed, String live, int second) {
        return new Release.Step(name, verdict, passed, new Release.Served(live, "v1"), new Release.Served("app-green", "v2"),
                "app-blue", List.of(), T0.plusSeconds(second));
    }

    /** A canary whose green fails a share of its requests, rolled back at step 2. */
    static String canaryReport() {
        List<Release.Step> steps = List.of(step("before the release", "-", true, "app-blue", 0),
                step("step 1: live rule to 10 %", "ModifyRule", true, "app-blue:90,app-green:10", 3),
                step("step 1: PRODUCTION_TRAFFIC_SHIFT", "FAILED (2 calls)", false, "app-blue:90,app-green:10", 9),
                step("rollback <to blue>", "ModifyRule", true, "app-blue:100,app-green:0", 10));
        List<LoadGenerator.Second> traffic = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            traffic.add(new LoadGenerator.Second(T0.plusSeconds(s), "v1", s >= 3 && s < 10 ? 18 : 20, 0));
            if (s >= 3 && s < 10) {
                traffic.add(new LoadGenerator.Second(T0.plusSeconds(s), "v2", 2, s == 7 ? 1 : 0));
            }
        }
        return ReleaseReport.html("Amazon ECS canary 10 % → 100 %", "release FAILED at step 1", false, steps, traffic,
                Map.of("v1", "blue v1", "v2", "green v2"));
    }

    @Test
    void thePageHoldsEveryStepAndOneLinePerVersionInEachChart() {
        String html = canaryReport();
        assertEquals(4, count(html, "<tr class=\"step\""));
        assertEquals(2, count(html, "<svg id=\""), "requests per second and error rate");
        assertEquals(4, count(html, "<polyline class=\"series\""), "blue and green in each chart");
        assertTrue(html.contains("class=\"failed\">FAILED (2 calls)</td>"), html);
        assertTrue(html.contains("<span><i class=\"swatch\" style=\"background:#1f6fd1\"></i>blue v1</span>"), html);
        assertTrue(html.contains("<span><i class=\"swatch\" style=\"background:#1a9e55\"></i>green v2</span>"), html);
    }

    @Test
    void thePageIsSelfContainedAndEscapesWhatItQuotes() {
        String html = canaryReport();
        assertFalse(Pattern.compile("(src|href)=\"https?:").matcher(html).find(), "nothing is fetched");
        assertTrue(html.contains("rollback &lt;to blue&gt;"), html);
        assertFalse(html.contains("rollback <to blue>"), html);
    }

    @Test
    void withoutTrafficThereIsNoChart() {
        String html = ReleaseReport.html("CodeDeploy", "release SUCCEEDED", true,
                List.of(step("before the release", "-", true, "app-blue", 0)), List.of(), Map.of());
        assertEquals(0, count(html, "<svg"));
        assertEquals(1, count(html, "<tr class=\"step\""));
    }

    static int count(String text, String what) {
        Matcher matcher = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
