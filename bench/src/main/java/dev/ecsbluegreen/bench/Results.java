package dev.ecsbluegreen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.core.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A benchmark run's outcome: the figures, the set-up they were measured on, what the verification found, and what
 * failed. Written to {@code latest.json} (the one before kept as {@code previous.json}) and printed as a table
 * with the change against the previous file.
 *
 * @param setup    date, JDK, machine, runtime, JVM options, runs: what makes two files comparable
 * @param calls    AWS calls by operation, per scenario (e.g. {@code swap.cold})
 * @param evidence what each verified invocation did (reports, where live traffic went)
 * @param failures what did not work; empty when everything did
 */
record Results(Map<String, Object> setup, List<Figure> figures, Map<String, Map<String, Long>> calls,
               Map<String, List<Object>> evidence, List<String> failures) {
    static final String LATEST = "latest.json";
    static final String PREVIOUS = "previous.json";
    private static final ObjectMapper JSON = Json.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    Results {
        setup = new LinkedHashMap<>(setup);
        figures = List.copyOf(figures);
        calls = new LinkedHashMap<>(calls);
        evidence = new LinkedHashMap<>(evidence);
        failures = List.copyOf(failures);
    }

    Optional<Figure> figure(String id) {
        return figures.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    boolean succeeded() {
        return failures.isEmpty();
    }

    ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", 1);
        root.set("setup", JSON.valueToTree(setup));
        ArrayNode list = root.putArray("figures");
        for (Figure figure : figures) {
            ObjectNode node = list.addObject().put("id", figure.id()).put("label", figure.label()).put("unit", figure.unit());
            if (figure.measured()) {
                node.put("median", round(figure.median())).put("min", round(figure.min())).put("max", round(figure.max()))
                        .put("n", figure.samples().size());
                ArrayNode samples = node.putArray("samples");
                figure.samples().forEach(s -> samples.add(round(s)));
            } else {
                node.put("skipped", figure.skipped());
            }
            if (figure.budget() != null) {
                node.put("budget", figure.budget()).put("overBudget", figure.overBudget());
            }
            if (figure.aim() != null) {
                node.put("aim", figure.aim());
            }
        }
        root.set("callsByOperation", JSON.valueToTree(calls));
        root.set("evidence", JSON.valueToTree(evidence));
        root.set("failures", JSON.valueToTree(failures));
        return root;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** The medians of a results file by figure id, with its set-up; empty when there is no readable file. */
    record Previous(Map<String, Double> medians, JsonNode setup) {
        static Previous read(Path file) {
            Map<String, Double> medians = new LinkedHashMap<>();
            if (!Files.isRegularFile(file)) {
                return new Previous(medians, null);
            }
            try {
                JsonNode root = JSON.readTree(file.toFile());
                for (JsonNode figure : root.path("figures")) {
                    if (figure.has("median")) {
                        medians.put(figure.path("id").asText(), figure.path("median").asDouble());
                    }
                }
                return new Previous(medians, root.path("setup"));
            } catch (IOException e) {
                return new Previous(medians, null);
            }
        }

        boolean exists() {
            return setup != null;
        }
    }

    /** Keeps the current latest.json as previous.json and writes this run as latest.json. */
    Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path latest = dir.resolve(LATEST);
            if (Files.isRegularFile(latest)) {
                Files.move(latest, dir.resolve(PREVIOUS), StandardCopyOption.REPLACE_EXISTING);
            }
            Path temporary = dir.resolve(LATEST + ".tmp");
            JSON.writeValue(temporary.toFile(), toJson());
            Files.writeString(temporary, Files.readString(temporary) + "\n");
            Files.move(temporary, latest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return latest;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the results to " + dir, e);
        }
    }

    /** The table: each figure's median, min, max, budget, and the change against {@code previous}. */
    void print(PrintStream out, Previous previous) {
        String row = "%-44s %9s %8s %8s %3s  %-20s %-4s  %s%n";
        out.printf(row, "figure", "median", "min", "max", "n", "budget", "", previous.exists()
                ? "vs previous (" + previous.setup().path("date").asText("?") + ")" : "vs previous (none)");
        String section = "";
        for (Figure figure : figures) {
            String group = figure.id().substring(0, figure.id().indexOf('.'));
            if (!group.equals(section)) {
                section = group;
                out.println("-- " + group);
            }
            if (!figure.measured()) {
                out.printf("%-44s %s%n", figure.label(), "skipped: " + figure.skipped());
                continue;
            }
            String budget = budget(figure);
            String status = figure.budget() == null ? "" : figure.overBudget() ? "OVER" : "ok";
            out.printf(row, figure.label(), number(figure.median(), figure.unit()) + unitSuffix(figure.unit()),
                    number(figure.min(), figure.unit()), number(figure.max(), figure.unit()), figure.samples().size(),
                    budget, status, change(figure, previous));
        }
        if (previous.exists() && !sameSetup(previous.setup())) {
            out.println("note: the previous file was measured with a different set-up ("
                    + difference(previous.setup()) + "): compare with care");
        }
    }

    /** The same table in Markdown, for BENCHMARKS.md. */
    void printMarkdown(PrintStream out, Previous previous) {
        out.println("| figure | median | min – max | n | budget | vs previous |");
        out.println("| --- | ---: | ---: | ---: | --- | --- |");
        for (Figure figure : figures) {
            if (!figure.measured()) {
                out.println("| " + figure.label() + " | skipped: " + figure.skipped() + " | | | | |");
                continue;
            }
            String budget = figure.budget() == null ? "" : budget(figure) + (figure.overBudget() ? " **over**" : " ok");
            out.println("| " + figure.label() + " | " + number(figure.median(), figure.unit()) + " " + figure.unit()
                    + " | " + number(figure.min(), figure.unit()) + " – " + number(figure.max(), figure.unit())
                    + " | " + figure.samples().size() + " | " + budget + " | " + change(figure, previous) + " |");
        }
    }

    /** "≤ 500 ms (aim 400)", or "" without a budget. */
    private static String budget(Figure figure) {
        if (figure.budget() == null) {
            return "";
        }
        return "≤ " + limit(figure.budget()) + " " + figure.unit() + (figure.aim() == null ? "" : " (aim " + limit(figure.aim()) + ")");
    }

    private static String limit(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.valueOf(value);
    }

    private String change(Figure figure, Previous previous) {
        Double before = previous.medians().get(figure.id());
        if (before == null) {
            return previous.exists() ? "new" : "";
        }
        double delta = figure.median() - before;
        String percent = before == 0 ? "" : String.format(Locale.ROOT, " (%+.1f %%)", delta * 100 / before);
        return (delta >= 0 ? "+" : "-") + number(Math.abs(delta), figure.unit()) + " " + figure.unit() + percent;
    }

    private static final List<String> COMPARABLE = List.of("jdk", "machine", "memoryMb", "runtime", "runtimeJvmOptions", "machineJvmOptions", "extraJvmOptions");

    private boolean sameSetup(JsonNode other) {
        return difference(other).isEmpty();
    }

    private String difference(JsonNode other) {
        List<String> differing = new ArrayList<>();
        JsonNode mine = JSON.valueToTree(setup);
        for (String key : COMPARABLE) {
            if (!mine.path(key).equals(other.path(key))) {
                differing.add(key);
            }
        }
        if (!mine.path("mode").equals(other.path("mode"))) {
            differing.add("mode " + other.path("mode").asText() + " → " + mine.path("mode").asText());
        }
        return String.join(", ", differing);
    }

    private static String unitSuffix(String unit) {
        return " " + unit;
    }

    static String number(double value, String unit) {
        if (unit.equals("calls")) {
            return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
        }
        if (unit.equals("×")) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (unit.equals("ms") && Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
