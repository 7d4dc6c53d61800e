package dev.ecsbluegreen.bench.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.bench.ExecutionEnvironment;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Logs and metrics, Powertools for AWS Lambda (Java) or the project's own writer: the jar size each adds to the
 * swap function's shaded jar, and the cold start of each in a fresh JVM started with the managed java21 runtime's
 * flags — time from starting the JVM to its structured log line, and to the last of its three lines (the log line,
 * the ColdStart EMF line, one metrics flush) on its stdout — and how many classes it loaded. Three configurations, one JVM of each per round, in an
 * order that rotates from round to round; the first round is not timed (it warms the page cache and logs the
 * classes each JVM loads, {@code -Xlog:class+load}). bench/logging builds the jars and runs this;
 * BENCHMARKS.md, "Logs and metrics: Powertools or a small writer".
 *
 * <pre>
 * LoggingBench --classes DIR --own-jar JAR --powertools-jar JAR --results DIR [--rounds N]
 * </pre>
 */
public final class LoggingBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** What each JVM writes: the log line, the cold-start EMF line, the metrics EMF line. */
    private static final int LINES = 3;

    /** {@code baseline}: the configuration it is compared with (ratio, per-round difference, classes). */
    private record Config(String name, String label, String mainClass, Path jar, boolean afterJackson,
                          String baseline) {
    }

    private record Run(double firstLineMs, double flushedMs, double exitMs) {
    }

    private LoggingBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path classes = Path.of(required(options, "--classes"));
        Path ownJar = Path.of(required(options, "--own-jar"));
        Path powertoolsJar = Path.of(required(options, "--powertools-jar"));
        Path results = Path.of(required(options, "--results"));
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "16"));
        if (rounds < 10) {
            throw new IllegalArgumentException("--rounds must be at least 10 (the first is not timed)");
        }
        Files.createDirectories(results);

        List<Config> configs = List.of(
                new Config("none", "nothing (constant lines)", NoneMain.class.getName(), null, false, "none"),
                new Config("own", "own StructuredLog + MetricsLog", OwnMain.class.getName(), ownJar, false, "none"),
                new Config("powertools", "Powertools 2.9.0 (log4j2 + metrics)", PowertoolsMain.class.getName(),
                        powertoolsJar, false, "none"),
                new Config("jackson", "after Jackson: nothing (constant lines)", NoneMain.class.getName(), ownJar,
                        true, "jackson"),
                new Config("jackson-own", "after Jackson: own", OwnMain.class.getName(), ownJar, true, "jackson"),
                new Config("jackson-powertools", "after Jackson: Powertools", PowertoolsMain.class.getName(),
                        powertoolsJar, true, "jackson"));
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        Map<String, long[]> classCounts = new LinkedHashMap<>();
        configs.forEach(config -> runs.put(config.name(), new ArrayList<>()));

        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < configs.size(); k++) {
                Config config = configs.get((round + k) % configs.size());
                if (round == 0) {
                    Path classLog = results.resolve(config.name() + ".classes.log");
                    Files.deleteIfExists(classLog);
                    run(config, classes, List.of("-Xlog:class+load=info:file=" + classLog), results, true);
                    classCounts.put(config.name(), countClasses(classLog));
                } else {
                    Run run = run(config, classes, List.of(), results, false);
                    runs.get(config.name()).add(run);
                }
            }
            if (round > 0) {
                System.out.printf(Locale.ROOT, "round %2d:%s%n", round, configs.stream()
                        .map(c -> String.format(Locale.ROOT, "  %s %.1f ms", c.name(),
                                runs.get(c.name()).getLast().flushedMs()))
                        .reduce("", String::concat));
            }
        }

        long ownSize = Files.size(ownJar);
        long powertoolsSize = Files.size(powertoolsJar);

        ObjectNode out = JSON.createObjectNode();
        out.put("java", System.getProperty("java.home")).put("rounds", rounds - 1)
                .put("jvmOptions", String.join(" ", runtimeJvmOptions()));
        out.putObject("jarBytes").put("swap-function.jar", ownSize).put("swap-function-powertools.jar", powertoolsSize)
                .put("addedByPowertools", powertoolsSize - ownSize);
        ArrayNode table = out.putArray("configurations");
        StringBuilder md = new StringBuilder();
        md.append("| configuration | jar size added | log line (median) | all 3 lines (median) | × its baseline "
                + "| above its baseline (median of per-round differences) | JVM exit (median) | classes loaded "
                + "(from CDS) | classes above its baseline |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Config config : configs) {
            List<Run> list = runs.get(config.name());
            List<Run> base = runs.get(config.baseline());
            double baseFirst = median(base.stream().map(Run::firstLineMs).toList());
            double baseFlushed = median(base.stream().map(Run::flushedMs).toList());
            long baseClasses = classCounts.get(config.baseline())[0];
            double first = median(list.stream().map(Run::firstLineMs).toList());
            double flushed = median(list.stream().map(Run::flushedMs).toList());
            double exit = median(list.stream().map(Run::exitMs).toList());
            List<Double> above = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                above.add(list.get(i).flushedMs() - base.get(i).flushedMs());
            }
            double aboveMedian = median(above);
            long[] counted = classCounts.get(config.name());
            String added = switch (config.name()) {
                case "none", "jackson" -> "—";
                case "own", "jackson-own" -> "0 (in core already)";
                default -> String.format(Locale.ROOT, "+%.2f MB (%,d → %,d bytes)",
                        (powertoolsSize - ownSize) / 1e6, ownSize, powertoolsSize);
            };
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f ms | %.1f ms | %.2f | %+.1f ms | %.1f ms | %,d (%,d) | %+,d |%n",
                    config.label(), added, first, flushed, flushed / baseFlushed, aboveMedian, exit,
                    counted[0], counted[1], counted[0] - baseClasses));
            ObjectNode row = table.addObject().put("name", config.name()).put("label", config.label())
                    .put("baseline", config.baseline())
                    .put("firstLineMsMedian", first).put("flushedMsMedian", flushed).put("exitMsMedian", exit)
                    .put("firstLineRatioToBaseline", first / baseFirst).put("flushedRatioToBaseline", flushed / baseFlushed)
                    .put("flushedMsAboveBaselineMedian", aboveMedian)
                    .put("classesLoaded", counted[0]).put("classesFromCds", counted[1])
                    .put("classesAboveBaseline", counted[0] - baseClasses);
            ArrayNode raw = row.putArray("runs");
            list.forEach(r -> raw.addObject().put("firstLineMs", r.firstLineMs()).put("flushedMs", r.flushedMs())
                    .put("exitMs", r.exitMs()));
        }
        JSON.writeValue(results.resolve("latest.json").toFile(), out);
        Files.writeString(results.resolve("table.md"), md.toString());
        System.out.println();
        System.out.print(md);
        System.out.println();
        System.out.println("lines each configuration wrote: " + results + "/<configuration>.out");
    }

    /**
     * The managed java21 runtime's JVM options, as bench's ExecutionEnvironment starts a function (1024 MB, the
     * swap function's memory size), less the runtime interface client's own (its JNI library): no RIC runs here.
     */
    static List<String> runtimeJvmOptions() {
        int memoryMb = 1024;
        List<String> options = new ArrayList<>(ExecutionEnvironment.managedRuntimeJvmOptions(memoryMb));
        options.addAll(ExecutionEnvironment.machineJvmOptions(memoryMb));
        return options;
    }

    private static Run run(Config config, Path classes, List<String> extra, Path results, boolean keepOutput)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(runtimeJvmOptions());
        command.addAll(extra);
        command.add("-classpath");
        command.add(config.jar() == null ? classes.toString() : classes + File.pathSeparator + config.jar());
        command.add(config.mainClass());
        if (config.afterJackson()) {
            command.add("--after-jackson");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(results.resolve(config.name() + ".err").toFile());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        // what Lambda sets in a java21 execution environment, as far as either writer reads it
        env.put("PATH", path);
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "swap-function");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/swap-function");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/01/[$LATEST]0123456789abcdef");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0");
        env.put("POWERTOOLS_SERVICE_NAME", "swap");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "ecs-bluegreen");

        long started = System.nanoTime();
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        long firstLine = -1;
        long flushed = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                long now = System.nanoTime();
                lines.add(line);
                if (firstLine < 0 && !line.contains("\"_aws\"")) {
                    firstLine = now;
                }
                if (lines.size() == LINES) {
                    flushed = now;
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(config.name() + ": the JVM did not exit");
        }
        long exited = System.nanoTime();
        String err = Files.readString(results.resolve(config.name() + ".err"));
        if (process.exitValue() != 0 || !err.isBlank()) {
            throw new IllegalStateException(config.name() + ": exit " + process.exitValue() + ", stderr: " + err);
        }
        check(config, lines);
        if (keepOutput) {
            Files.write(results.resolve(config.name() + ".out"), lines);
        }
        return new Run(millis(firstLine - started), millis(flushed - started), millis(exited - started));
    }

    /**
     * One log line with the schema's keys and two EMF lines (an {@code _aws.CloudWatchMetrics} directive), the
     * cold start's and the metrics'.
     */
    private static void check(Config config, List<String> lines) throws IOException {
        if (lines.size() != LINES) {
            throw new IllegalStateException(config.name() + ": " + lines.size() + " lines, not " + LINES + ": " + lines);
        }
        int logs = 0;
        int emf = 0;
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if (node.path("_aws").path("CloudWatchMetrics").isArray()) {
                emf++;
                continue;
            }
            logs++;
            for (String key : List.of("timestamp", "level", "message", "service", "cold_start", "function_request_id")) {
                if (!node.has(key)) {
                    throw new IllegalStateException(config.name() + ": the log line has no " + key + ": " + line);
                }
            }
        }
        if (logs != 1 || emf != 2 || !String.join("\n", lines).contains("\"ColdStart\"")) {
            throw new IllegalStateException(config.name() + ": not one log line, a ColdStart and a metrics EMF line: "
                    + lines);
        }
    }

    /** {total, from the CDS archive} in a {@code -Xlog:class+load} log. */
    private static long[] countClasses(Path classLog) throws IOException {
        try (Stream<String> lines = Files.lines(classLog)) {
            long[] counts = new long[2];
            lines.filter(line -> line.contains(" source: ")).forEach(line -> {
                counts[0]++;
                if (line.contains("shared objects file")) {
                    counts[1]++;
                }
            });
            return counts;
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name + "; given " + Arrays.toString(options.keySet().toArray()));
        }
        return value;
    }
}
