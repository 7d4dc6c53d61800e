package dev.ecsbluegreen.analysis.metrics;

import dev.ecsbluegreen.analysis.ProviderSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.List;

/** How the providers write figures in a summary and fold datapoints into one. Pure. */
final class Figures {
    private static final MathContext SHOWN = new MathContext(3);

    private Figures() {}

    /** Three significant digits, no exponent, no trailing zeros: 0.00213 → "0.00213", 1.0 → "1", 412.6 → "413". */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value).round(SHOWN).stripTrailingZeros().toPlainString();
    }

    /** A ratio as a percentage: 0.002 → "0.2 %". */
    static String percent(double ratio) {
        return number(ratio * 100) + " %";
    }

    /** "in the last 125 s". */
    static String window(Duration length) {
        return "in the last " + Math.max(0, length.toSeconds()) + " s";
    }

    /** The symbol of the relation that does hold between figure and threshold: the condition's, or its negation. */
    static String relation(ProviderSpec.Condition condition, boolean holds) {
        return (holds ? condition.operator() : condition.operator().negated()).symbol();
    }

    static double sum(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** {@code values}, oldest first and not empty, folded into one figure. */
    static double fold(ProviderSpec.Fold fold, List<Double> values) {
        return switch (fold) {
            case SUM -> sum(values);
            case AVERAGE -> sum(values) / values.size();
            case MAXIMUM -> max(values);
            case MINIMUM -> values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            case LAST -> values.get(values.size() - 1);
        };
    }

    /** At most {@code max} characters, the cut marked with an ellipsis. */
    static String shorten(String text, int max) {
        if (text == null) {
            return "";
        }
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
