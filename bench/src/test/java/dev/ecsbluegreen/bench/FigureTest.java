package dev.ecsbluegreen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FigureTest {
    @Test
    void medianOfAnOddAndAnEvenNumberOfSamples() {
        assertEquals(3.0, Figure.of("a", "a", "ms", List.of(9.0, 1.0, 3.0)).median());
        assertEquals(2.5, Figure.of("a", "a", "ms", List.of(4.0, 1.0, 2.0, 3.0)).median());
    }

    @Test
    void overBudgetJudgesTheMedianNotTheWorstRun() {
        Figure figure = Figure.of("swap.cold", "swap cold", "ms", List.of(380.0, 390.0, 900.0)).budget(500, 400);
        assertFalse(figure.overBudget());
        assertEquals(900.0, figure.max());
        assertTrue(Figure.of("swap.cold", "swap cold", "ms", List.of(501.0)).budget(500).overBudget());
    }

    @Test
    void aSkippedFigureIsNeverOverBudget() {
        Figure skipped = Figure.skipped("baseline.python", "python", "ms", "no boto3").budget(1);
        assertFalse(skipped.measured());
        assertFalse(skipped.overBudget());
    }
}
