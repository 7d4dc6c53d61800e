package dev.ecsbluegreen.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.ecsbluegreen.bench.CountingProxy.Calls.Counted;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Runs a function in one fresh execution environment: the cold invocation, then {@code warm} more in the same JVM,
 * each event new and each answer verified (outside the timed span, while the runtime waits for its next event), and
 * the JVM's peak RSS read just before it is killed.
 */
final class Invoker {
    /**
     * One execution environment's figures.
     *
     * @param initMillis       process start → first {@code GET /next}
     * @param coldInvokeMillis first event handed over → its response
     * @param coldTotalMillis  process start → first response
     * @param warmMillis       event → response of each later invocation
     * @param peakRssMb        {@code VmHWM} just before the kill
     * @param coldCalls        AWS calls of the cold invocation
     * @param warmCalls        AWS calls of each warm invocation
     * @param evidence         what the verification found, per invocation
     */
    record Run(double initMillis, double coldInvokeMillis, double coldTotalMillis, List<Double> warmMillis,
               double peakRssMb, Counted coldCalls, List<Counted> warmCalls, List<Object> evidence) {}

    private final LambdaRuntime runtime;
    private final List<String> jvmOptions;
    private final Path logs;
    private final Fixture fixture;
    private final PrintStream out;
    private final boolean sigterm;
    private final RuntimeApi.Trace trace;

    Invoker(LambdaRuntime runtime, List<String> jvmOptions, boolean sigterm, RuntimeApi.Trace trace, Path logs,
            Fixture fixture, PrintStream out) {
        this.trace = trace;
        this.runtime = runtime;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.logs = logs;
        this.fixture = fixture;
        this.out = out;
        this.sigterm = sigterm;
    }

    /**
     * @param events  a new event per invocation
     * @param verify  checks one invocation's effect (event, answer) and returns the evidence
     * @param logName the JVM's log file under the logs folder
     * @throws BenchFailure when an invocation fails or does not do its work
     */
    Run run(ExecutionEnvironment.Function function, int warm, Supplier<Fixture.Event> events,
            BiFunction<Fixture.Event, String, Object> verify, String logName) {
        List<Object> evidence = new ArrayList<>();
        List<Double> warmMillis = new ArrayList<>();
        List<Counted> warmCalls = new ArrayList<>();
        try (RuntimeApi api = new RuntimeApi(function.name(), function.timeout(), trace)) {
            fixture.takeCalls();
            ExecutionEnvironment environment = ExecutionEnvironment.start(function, runtime, jvmOptions, api,
                    logs.resolve(logName), sigterm);
            try {
                Fixture.Event event = events.get();
                RuntimeApi.Result cold = answered(environment, event);
                Counted coldCalls = fixture.takeCalls();
                evidence.add(verified(environment, verify, event, cold));
                for (int i = 0; i < warm; i++) {
                    Fixture.Event next = events.get();
                    fixture.takeCalls();
                    RuntimeApi.Result result = answered(environment, next);
                    warmCalls.add(fixture.takeCalls());
                    evidence.add(verified(environment, verify, next, result));
                    warmMillis.add(result.millis());
                }
                double rss = environment.readPeakRssKb() / 1024.0;
                return new Run(environment.initMillis(), cold.millis(),
                        (cold.answeredNanos() - environment.startedNanos()) / 1e6, warmMillis, rss, coldCalls,
                        warmCalls, evidence);
            } finally {
                environment.close();
            }
        }
    }

    /**
     * One execution environment handed a chain of events, each made from the one before and its answer (a continued
     * CodePipeline job's next job carries the token of its answer), until {@code next} gives none or {@code max}
     * events were sent. The function's log is {@code logName} under the logs folder.
     *
     * @param next the event after ({@code event}, its answer), or null to stop; checks the answer (throws
     *     {@link BenchFailure} when it is wrong)
     * @return every answer, in order
     */
    List<RuntimeApi.Result> chain(ExecutionEnvironment.Function function, Fixture.Event first,
                                  BiFunction<Fixture.Event, String, Fixture.Event> next, int max, String logName) {
        List<RuntimeApi.Result> answers = new ArrayList<>();
        try (RuntimeApi api = new RuntimeApi(function.name(), function.timeout())) {
            ExecutionEnvironment environment = ExecutionEnvironment.start(function, runtime, jvmOptions, api,
                    logs.resolve(logName), sigterm);
            try {
                Fixture.Event event = first;
                while (event != null) {
                    if (answers.size() == max) {
                        throw new BenchFailure(function.name() + " was still continuing after " + max + " events\n"
                                + environment.logTail());
                    }
                    RuntimeApi.Result result = answered(environment, event);
                    answers.add(result);
                    try {
                        event = next.apply(event, result.body());
                    } catch (BenchFailure e) {
                        throw new BenchFailure(e.getMessage() + "\n" + environment.logTail());
                    }
                }
                return answers;
            } finally {
                environment.close();
            }
        }
    }

    /** Where {@link #run} and {@link #chain} write the function's log {@code logName}. */
    Path log(String logName) {
        return logs.resolve(logName);
    }

    private static RuntimeApi.Result answered(ExecutionEnvironment environment, Fixture.Event event) {
        RuntimeApi.Result result = environment.invoke(event.json());
        if (result.error()) {
            throw new BenchFailure("function error: " + result.body() + "\n" + environment.logTail());
        }
        return result;
    }

    private static Object verified(ExecutionEnvironment environment, BiFunction<Fixture.Event, String, Object> verify,
                                   Fixture.Event event, RuntimeApi.Result result) {
        try {
            return verify.apply(event, result.body());
        } catch (BenchFailure e) {
            throw new BenchFailure(e.getMessage() + "\n" + environment.logTail());
        }
    }

    PrintStream out() {
        return out;
    }
}
