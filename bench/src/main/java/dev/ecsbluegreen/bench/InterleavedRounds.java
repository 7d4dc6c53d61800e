package dev.ecsbluegreen.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The functions' cold starts side by side with the Python baseline, interleaved: each round starts one cold swap JVM,
 * one cold hook JVM and one Python process, in that order, and every figure is also given as a ratio to the Python run
 * of its own round. On a shared machine a burst of load then moves the three alike and leaves the ratios readable,
 * where sections measured minutes apart are not. The first round is unmeasured (page cache, moto's code paths).
 */
final class InterleavedRounds {
    /** What the rounds measured, and the functions' verified work. */
    record Result(List<Figure> figures, List<Object> evidence) {}

    private InterleavedRounds() {}

    /**
     * @param rounds measured rounds (one more is run first, unmeasured)
     * @throws BenchFailure when a function or the baseline does not do its work
     */
    static Result measure(int rounds, ExecutionEnvironment.Function swap, ExecutionEnvironment.Function hook, Invoker invoker,
                          Fixture fixture, PythonBaseline baseline, PrintStream out) {
        List<Object> evidence = new ArrayList<>();
        List<Double> swapMillis = new ArrayList<>();
        List<Double> hookMillis = new ArrayList<>();
        List<Double> pythonMillis = new ArrayList<>();
        List<Double> swapRatio = new ArrayList<>();
        List<Double> hookRatio = new ArrayList<>();
        List<Double> hookToSwap = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            Invoker.Run s = invoker.run(swap, 0, fixture::newSwapJob, (event, answer) -> fixture.verifySwap(event.id(), answer),
                    "interleaved-swap-" + round + ".log");
            Invoker.Run h = invoker.run(hook, 0, fixture::newHookEvent, (event, answer) -> fixture.verifyHook(event.id(), answer),
                    "interleaved-hook-" + round + ".log");
            Fixture.Event job = fixture.newSwapJob();
            PythonBaseline.Run p = baseline.run(job.json(), fixture.baselineEnvironment());
            if (p.exitCode() != 0) {
                throw new BenchFailure("the Python baseline exited with " + p.exitCode() + " in round " + round + ": "
                        + p.stderr().strip());
            }
            evidence.addAll(s.evidence());
            evidence.addAll(h.evidence());
            evidence.add(fixture.verifySwap(job.id(), p.stdout()));
            if (round == 0) {
                out.printf(Locale.ROOT, "interleaved round 0 (not counted): swap %.0f ms, hook %.0f ms, Python %.0f ms%n",
                        s.coldTotalMillis(), h.coldTotalMillis(), p.millis());
                continue;
            }
            swapMillis.add(s.coldTotalMillis());
            hookMillis.add(h.coldTotalMillis());
            pythonMillis.add(p.millis());
            swapRatio.add(s.coldTotalMillis() / p.millis());
            hookRatio.add(h.coldTotalMillis() / p.millis());
            hookToSwap.add(h.coldTotalMillis() / s.coldTotalMillis());
            out.printf(Locale.ROOT, "interleaved round %d/%d: swap %.0f ms (%.2f× Python), hook %.0f ms (%.2f× Python, %.2f× the "
                            + "swap), Python %.0f ms%n", round, rounds, s.coldTotalMillis(), swapRatio.getLast(),
                    h.coldTotalMillis(), hookRatio.getLast(), hookToSwap.getLast(), p.millis());
        }
        List<Figure> figures = List.of(
                Figure.of("interleaved.swap.cold", "swap cold (interleaved): JVM start → response", "ms", swapMillis),
                Figure.of("interleaved.hook.cold", "hook cold (interleaved): JVM start → response", "ms", hookMillis),
                Figure.of("interleaved.python", "Python boto3 swap (interleaved): start → exit", "ms", pythonMillis),
                // the cold-start issue's goal: the swap at most the Python function it replaces (aim 0.8), the hook at
                // most 1.2 times the swap
                Figure.of("interleaved.swap.ratio", "swap cold ÷ Python, same round", "×", swapRatio).budget(1.0, 0.8),
                Figure.of("interleaved.hook.ratio", "hook cold ÷ Python, same round", "×", hookRatio),
                Figure.of("interleaved.hook.vs.swap", "hook cold ÷ swap cold, same round", "×", hookToSwap).budget(1.2));
        return new Result(figures, evidence);
    }
}
