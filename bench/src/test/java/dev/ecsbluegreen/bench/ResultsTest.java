package dev.ecsbluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTest {
    private static Results results(String date, double coldMillis) {
        return new Results(Map.of("date", date, "mode", "full"),
                List.of(Figure.of("swap.cold", "swap cold", "ms", List.of(coldMillis, coldMillis + 20, coldMillis - 20))
                                .budget(500, 400),
                        Figure.skipped("baseline.python", "python", "ms", "no boto3")),
                Map.of(), Map.of(), List.of());
    }

    @Test
    void theLatestFileBecomesThePreviousOneAndTheTableShowsTheChange(@TempDir Path dir) throws Exception {
        results("2026-01-01T00:00:00Z", 900).write(dir);
        assertFalse(Files.exists(dir.resolve(Results.PREVIOUS)));
        results("2026-01-02T00:00:00Z", 450).write(dir);

        Results.Previous previous = Results.Previous.read(dir.resolve(Results.PREVIOUS));
        assertEquals(Map.of("swap.cold", 900.0), previous.medians());
        assertEquals(450.0, Results.Previous.read(dir.resolve(Results.LATEST)).medians().get("swap.cold"));

        ByteArrayOutputStream table = new ByteArrayOutputStream();
        results("2026-01-03T00:00:00Z", 450).print(new PrintStream(table, true, StandardCharsets.UTF_8), previous);
        String text = table.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("-450 ms (-50.0 %)"), text);
        assertTrue(text.contains("≤ 500 ms (aim 400)") && text.contains("ok"), text);
        assertTrue(text.contains("skipped: no boto3"), text);
    }

    @Test
    void markdownMarksWhatIsOverBudget() {
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        results("2026-01-01T00:00:00Z", 900).printMarkdown(new PrintStream(table, true, StandardCharsets.UTF_8),
                Results.Previous.read(Path.of("does-not-exist.json")));
        String text = table.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("| swap cold | 900 ms | 880 – 920 | 3 | ≤ 500 ms (aim 400) **over** |"), text);
    }
}
