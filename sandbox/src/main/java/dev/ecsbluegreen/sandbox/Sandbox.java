package dev.ecsbluegreen.sandbox;

import dev.ecsbluegreen.core.local.Repository;
import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code ./sandbox.sh}: the whole blue/green release on this machine. {@code demo} (the default) starts everything,
 * runs the release and the rollback, and stops everything; {@code up} starts everything and keeps it running
 * until Enter. Exit status: 0 when the release succeeded, 1 when it was stopped or failed, 2 for bad usage or a
 * sandbox that could not start.
 */
public final class Sandbox {
    static final String USAGE = """
            usage: ./sandbox.sh [demo|up] [--canary|--linear|--ecs-linear|--ecs-canary|--external] [--operator promote|abort]
                                [--broken-green|--slow-green|--green-fails-live] [--green-error-rate N] [--load-rate N]
                                [--yes] [--no-rollback] [--verbose] [--blue-url URL] [--green-url URL]
              demo            start everything, release green, roll back, stop everything (default)
              --canary        the swap function moves 10 %% of live traffic to green, judges it (analysis, green vs blue,
                              target health) while it bakes, then swaps; a failed verdict rolls back by itself
              --linear        the same in steps of 25 %%: 25 → 50 → 75 → 100 %%
              --operator promote|abort
                              with --canary/--linear: tag the load balancer ecs-bluegreen:command=promote (finish now)
                              or abort (roll back now) during the first bake, as an operator would
              --ecs-linear    Amazon ECS's own blue/green shifts live traffic 33 → 66 → 100 %%, calling the hook function
                              at every step (no CodeDeploy, no approval, no swap function)
              --ecs-canary    the same with one canary step: 10 → 100 %%
              --external      the project's external deployment controller (controller.jar) on an ECS service with
                              deploymentController EXTERNAL: deploy green as a task set (its checks run through the
                              test listener), approval, promote, then "keep green and clean up blue?" (no: roll back);
                              with --canary its promote sends 10 %% of live traffic to green by weight, bakes and
                              judges it (task set steady, the checks again), then moves the rest
              --green-error-rate N
                              green answers 500 to N %% (0–100) of the load generator's requests (%s), evenly
                              spread; / and /health stay healthy, so only the metrics show it
              --load-rate N   requests per second the load generator sends through the live listener (default %d; 0: none)
              up              start everything, print the URLs, stop on Enter
              --broken-green  green answers 500: the first hook fails and the swap is never reached
              --slow-green    green answers after %d ms: the hooks' latency limit (1 s) fails it
              --green-fails-live  green fails only production traffic: AfterAllowTraffic fails, traffic rolls back
              --yes           approve both manual approvals without asking
              --no-rollback   stop after the release instead of asking for the rollback approval
              --verbose       print every function's log
              --blue-url URL, --green-url URL
                              your own application as blue or green instead of the demo app: an HTTP server on this
                              machine (http://localhost:PORT); the hooks then run their default check, GET / → 2xx
                              (not with --external, whose task sets name the demo apps by their image)""".formatted(
            DemoApp.ORDERS_PATH, LoadGenerator.DEFAULT_RATE, DemoApp.SLOW_DELAY.toMillis());

    /** The command line, parsed. */
    public record Options(String command, DemoApp.Mode green, boolean yes, boolean rollback, boolean verbose,
                          App.Yours yourBlue, App.Yours yourGreen, int greenErrorPercent, ReleaseStrategy strategy,
                          int loadRate, String operator) {
        public Options(String command, DemoApp.Mode green, boolean yes, boolean rollback, boolean verbose) {
            this(command, green, yes, rollback, verbose, null, null, 0, ReleaseStrategy.CODEDEPLOY, LoadGenerator.DEFAULT_RATE,
                    null);
        }

        /** @throws IllegalArgumentException for anything not in {@link #USAGE} */
        public static Options parse(List<String> args) {
            String command = "demo";
            DemoApp.Mode green = DemoApp.Mode.HEALTHY;
            boolean yes = false;
            boolean rollback = true;
            boolean verbose = false;
            App.Yours yourBlue = null;
            App.Yours yourGreen = null;
            int greenErrorPercent = 0;
            ReleaseStrategy strategy = ReleaseStrategy.CODEDEPLOY;
            int loadRate = LoadGenerator.DEFAULT_RATE;
            String operator = null;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--blue-url", "--green-url" -> {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException(arg + " needs a URL");
                        }
                        String color = arg.equals("--blue-url") ? "blue" : "green";
                        App.Yours app = App.Yours.parse(color, args.get(++i));
                        if (color.equals("blue")) {
                            yourBlue = app;
                        } else {
                            yourGreen = app;
                        }
                    }
                    case "--green-error-rate" -> greenErrorPercent = number(args, i++, 100,
                            "a whole percentage from 0 to 100 (the share of " + DemoApp.ORDERS_PATH + " requests green answers 500)");
                    case "--load-rate" -> loadRate = number(args, i++, LoadGenerator.MAX_RATE,
                            "a whole number of requests per second from 0 to " + LoadGenerator.MAX_RATE);
                    case "--ecs-linear", "--ecs-canary", "--canary", "--linear", "--external" -> {
                        ReleaseStrategy wanted = switch (arg) {
                            case "--ecs-linear" -> ReleaseStrategy.ECS_LINEAR;
                            case "--ecs-canary" -> ReleaseStrategy.ECS_CANARY;
                            case "--canary" -> ReleaseStrategy.SWAP_CANARY;
                            case "--external" -> ReleaseStrategy.EXTERNAL;
                            default -> ReleaseStrategy.SWAP_LINEAR;
                        };
                        boolean externalCanary = (strategy == ReleaseStrategy.EXTERNAL && wanted == ReleaseStrategy.SWAP_CANARY)
                                || (strategy == ReleaseStrategy.SWAP_CANARY && wanted == ReleaseStrategy.EXTERNAL)
                                || (strategy == ReleaseStrategy.EXTERNAL_CANARY
                                        && (wanted == ReleaseStrategy.EXTERNAL || wanted == ReleaseStrategy.SWAP_CANARY));
                        if (externalCanary) {
                            wanted = ReleaseStrategy.EXTERNAL_CANARY;
                        } else if (strategy != ReleaseStrategy.CODEDEPLOY && strategy != wanted) {
                            throw new IllegalArgumentException("--ecs-linear, --ecs-canary, --canary, --linear and --external "
                                    + "exclude each other (but --external --canary: the controller's canary promote)");
                        }
                        strategy = wanted;
                    }
                    case "--operator" -> {
                        if (i + 1 >= args.size() || !List.of("promote", "abort").contains(args.get(i + 1))) {
                            throw new IllegalArgumentException("--operator wants promote or abort (the ecs-bluegreen:command "
                                    + "an operator tags the load balancer with during the first bake)");
                        }
                        operator = args.get(++i);
                    }
                    case "demo", "up" -> command = arg;
                    case "--broken-green", "--slow-green", "--green-fails-live" -> green = set(green, arg);
                    case "--yes", "-y" -> yes = true;
                    case "--no-rollback" -> rollback = false;
                    case "--verbose", "-v" -> verbose = true;
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            if (yourGreen != null && green != DemoApp.Mode.HEALTHY) {
                throw new IllegalArgumentException(green.flag() + " changes the demo green; with --green-url green is yours");
            }
            if (yourGreen != null && greenErrorPercent > 0) {
                throw new IllegalArgumentException("--green-error-rate changes the demo green; with --green-url green is yours");
            }
            if (yourBlue != null && yourGreen != null && yourBlue.port() == yourGreen.port()) {
                throw new IllegalArgumentException("--blue-url and --green-url name the same port: blue and green must differ");
            }
            if (strategy.external() && (yourBlue != null || yourGreen != null)) {
                throw new IllegalArgumentException("--external cannot release your own application (--blue-url/--green-url): "
                        + "its task sets name the demo apps by their image (" + Emulator.image("v1") + ", "
                        + Emulator.image("v2") + "), which is how the sandbox registers them as the tasks");
            }
            if (strategy.external() && green == DemoApp.Mode.FAILS_LIVE) {
                throw new IllegalArgumentException("--green-fails-live fails green only once it takes live traffic, and nothing "
                        + "in --external judges green after the promote (its checks run through the test listener before): "
                        + "try it with the default mode, whose AfterAllowTraffic hook catches it");
            }
            if (operator != null && strategy.external()) {
                throw new IllegalArgumentException("--operator acts on the swap function's canary or linear steps; "
                        + "--external's promote takes no operator command");
            }
            if (operator != null && !strategy.progressiveSwap()) {
                throw new IllegalArgumentException("--operator acts on the swap function's steps: add --canary or --linear");
            }
            return new Options(command, green, yes, rollback, verbose, yourBlue, yourGreen, greenErrorPercent,
                    strategy, loadRate, operator);
        }

        /** The whole number after {@code args[flagAt]}, from 0 to {@code max}. */
        private static int number(List<String> args, int flagAt, int max, String wanted) {
            String flag = args.get(flagAt);
            if (flagAt + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs " + wanted);
            }
            String text = args.get(flagAt + 1);
            try {
                int value = Integer.parseInt(text);
                if (value >= 0 && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException(flag + " wants " + wanted + ", not '" + text + "'");
        }

        private static DemoApp.Mode set(DemoApp.Mode current, String flag) {
            DemoApp.Mode wanted = java.util.Arrays.stream(DemoApp.Mode.values())
                    .filter(mode -> flag.equals(mode.flag())).findFirst().orElseThrow();
            if (current != DemoApp.Mode.HEALTHY && current != wanted) {
                throw new IllegalArgumentException("--broken-green, --slow-green and --green-fails-live exclude each other");
            }
            return wanted;
        }
    }

    private Sandbox() {}

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Approver approver = options.yes() ? Approver.always() : Approver.prompt(stdin, System.out);
        int status;
        try {
            status = options.command().equals("up") ? up(options, stdin) : demo(options, approver, System.out);
        } catch (RuntimeException e) {
            System.err.println("sandbox: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    /** Runs the demo; returns the exit status. */
    public static int demo(Options options, Approver approver, PrintStream out) {
        return run(options, approver, out).succeeded() ? 0 : 1;
    }

    /**
     * What a run did: the release, the live traffic the load generator sent meanwhile, and the load balancer's
     * metrics in the emulator's CloudWatch afterwards.
     *
     * @param metrics target group name → metric name → its Sum over the run (absent when CloudWatch holds none)
     */
    public record Run(Release.Result result, LoadGenerator.Tally traffic, Map<String, Map<String, Double>> metrics) {}

    /** Starts the sandbox, runs the release, stops the sandbox. */
    public static Release.Result run(Options options, Approver approver, PrintStream out) {
        return execute(options, approver, out).result();
    }

    /** As {@link #run}, returning what the traffic and the metrics said too. */
    public static Run execute(Options options, Approver approver, PrintStream out) {
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        out.println("ecs-bluegreen sandbox: a blue/green release on this machine, through the real Lambda handlers");
        SandboxEnvironment env = start(options);
        // Ctrl-C still stops every process and server the sandbox started
        Thread stopper = new Thread(env::close, "sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        Run run;
        try {
            describe(env, out);
            try (LoadGenerator load = new LoadGenerator(env.dataPlane().url(Emulator.LIVE_PORT), DemoApp.ORDERS_PATH,
                    options.loadRate())) {
                if (load.rate() > 0) {
                    out.println("  load generator   " + load.rate() + " requests/s to " + load.url()
                            + " (the live listener) throughout the release");
                    out.println();
                }
                Release.Result result = options.strategy().ecs()
                        ? new EcsRelease(env, options.strategy(), EcsRelease.hooksJar(env, new FunctionRunner()), load, out,
                                options.verbose()).run()
                        : options.strategy().external()
                        ? new ExternalRelease(env, new FunctionRunner(), approver, load, out, options.verbose(),
                                options.strategy() == ReleaseStrategy.EXTERNAL_CANARY)
                                .run(options.rollback())
                        : new Release(env, new FunctionRunner(), approver, out, options.verbose(), options.strategy(),
                                options.operator(), load).run(options.rollback());
                LoadGenerator.Tally traffic = load.stop();
                run = new Run(result, traffic, metrics(env, startedAt, out));
                if (load.rate() > 0) {
                    out.println("  live traffic     " + traffic.describe(EcsRelease.versionLabels(env)) + " (load generator, "
                            + DemoApp.ORDERS_PATH + ")");
                }
                report(options, result, load.series(), EcsRelease.versionLabels(env), out);
            }
        } finally {
            unregister(stopper);
            stopQuietly(env, out);
        }
        out.println();
        out.println(conclusion(run.result(), options));
        out.printf("  (%.1f s; everything the sandbox started is stopped)%n", (System.nanoTime() - started) / 1e9);
        return run;
    }

    /** The sandbox the options ask for: the external controller's service, or CodeDeploy's and Amazon ECS's. */
    private static SandboxEnvironment start(Options options) {
        return options.strategy().external()
                ? SandboxEnvironment.startExternal(repositoryRoot(), options.green(), options.greenErrorPercent())
                : SandboxEnvironment.start(repositoryRoot(), options.green(), options.greenErrorPercent(),
                        options.yourBlue(), options.yourGreen());
    }

    /** Where every run leaves its release report (overwritten by the next run). */
    public static final Path REPORT = Path.of("sandbox", "target", "release-report.html");

    /** Writes the release report beside the text timeline; a report that cannot be written is said, not fatal. */
    private static void report(Options options, Release.Result result, List<LoadGenerator.Second> traffic,
                               Map<String, String> labels, PrintStream out) {
        Path file = repositoryRoot().resolve(REPORT);
        try {
            ReleaseReport.write(file, ReleaseReport.html(options.strategy().describe(), conclusion(result, options),
                    result.succeeded(), result.steps(), traffic, labels, options.strategy().external()
                            ? ExternalRelease.PRIMARY_COLUMN : Timeline.IS_PRODUCTION.title()));
            out.println("  release report   " + file.toUri());
        } catch (java.io.IOException e) {
            out.println("  release report   not written to " + file + ": " + e.getMessage());
        }
    }

    /** The metrics the hooks can read, summed over the run, as the emulator's CloudWatch answers GetMetricData. */
    private static Map<String, Map<String, Double>> metrics(SandboxEnvironment env, Instant since, PrintStream out) {
        env.metricsPublisher().flush();
        Map<String, Map<String, Double>> sums = new LinkedHashMap<>();
        Instant start = since.minus(Duration.ofMinutes(5));
        Instant end = Instant.now().plus(Duration.ofMinutes(5));
        out.println();
        try {
            for (String[] group : new String[][]{{env.names().blueTargetGroup(), env.created().blueTargetGroupArn()},
                    {env.names().greenTargetGroup(), env.created().greenTargetGroupArn()}}) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                Map<String, String> dimensions = TrafficMetrics.dimensions(env.created().loadBalancerArn(), group[1]);
                for (String metric : List.of("RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_5XX_Count")) {
                    Double sum = env.cloudWatch().sum(TrafficMetrics.NAMESPACE, metric, dimensions, start, end);
                    if (sum != null) {
                        metrics.put(metric, sum);
                    }
                }
                sums.put(group[0], metrics);
            }
            out.println("  CloudWatch       " + TrafficMetrics.NAMESPACE + " in moto, Sum over the run: " + String.join("; ",
                    sums.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().entrySet().stream()
                            .map(m -> m.getKey() + " " + Math.round(m.getValue())).collect(Collectors.joining(", ")))
                            .toList()));
        } catch (RuntimeException e) {
            out.println("  CloudWatch       could not read the metrics back from moto: " + e.getMessage());
        }
        if (env.metricsPublisher().failures() > 0) {
            out.println("                   (" + env.metricsPublisher().failures() + " PutMetricData calls failed)");
        }
        return sums;
    }

    private static void unregister(Thread stopper) {
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // already shutting down (Ctrl-C): the hook stops everything
        }
    }

    /** A stop that did not go cleanly is reported, and does not change what the release did. */
    private static void stopQuietly(SandboxEnvironment env, PrintStream out) {
        try {
            env.close();
        } catch (RuntimeException e) {
            out.println("  warning: " + e.getMessage());
        }
    }

    private static int up(Options options, BufferedReader stdin) {
        SandboxEnvironment env = start(options);
        Thread stopper = new Thread(env::close, "sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            describe(env, System.out);
            System.out.println("  try:  curl " + env.dataPlane().url(Emulator.LIVE_PORT) + "   (blue)    curl "
                    + env.dataPlane().url(Emulator.TEST_PORT) + (env.external()
                    ? "   (green: 503 until a deploy creates its task set)" : "   (green)"));
            System.out.println("        AWS_ENDPOINT_URL=" + env.moto().endpoint() + " AWS_REGION=us-east-1 "
                    + "AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws elbv2 describe-listeners --load-balancer-arn "
                    + env.created().loadBalancerArn());
            System.out.println("        (change a listener there and the local listener follows within "
                    + DataPlane.ROUTING_TTL.toMillis() + " ms)");
            System.out.println("  running; press Enter (or Ctrl-C) to stop everything");
            try {
                stdin.readLine();
            } catch (java.io.IOException e) {
                // stdin gone: stop
            }
        } finally {
            unregister(stopper);
            stopQuietly(env, System.out);
        }
        return 0;
    }

    private static void describe(SandboxEnvironment env, PrintStream out) {
        Names names = env.names();
        Emulator.Created created = env.created();
        out.println("  control plane    moto server " + env.moto().describe());
        if (env.external()) {
            out.println("                   ALB " + names.loadBalancer() + " (listeners :" + Emulator.LIVE_PORT + " live → "
                    + names.blueTargetGroup() + ", :" + Emulator.TEST_PORT + " test → " + names.greenTargetGroup()
                    + ", default actions only), ECS " + names.cluster() + "/" + names.service()
                    + " with deploymentController EXTERNAL: blue's task set of " + Emulator.image(env.blue().version())
                    + " on " + names.blueTargetGroup() + ", primary; no CodeDeploy");
        } else {
            out.println("                   ALB " + names.loadBalancer() + " (listeners :" + Emulator.LIVE_PORT + " live, :"
                    + Emulator.TEST_PORT + " test), target groups " + names.blueTargetGroup() + " / " + names.greenTargetGroup()
                    + ", ECS " + names.cluster() + "/" + names.service() + ", CodeDeploy " + names.application() + "/"
                    + names.deploymentGroup() + ", deployment " + env.deploymentId() + " (moto's " + created.deploymentId() + ")");
        }
        String blueRole = env.external() ? "stands in for the tasks of " + Emulator.image(env.blue().version())
                : "target of " + names.blueTargetGroup();
        String greenRole = env.external() ? "stands in for the tasks of " + Emulator.image(env.green().version())
                : "target of " + names.greenTargetGroup();
        out.println("  blue  " + "%-9s".formatted(env.blue().label()) + " http://127.0.0.1:" + env.blue().port() + "  ("
                + blueRole + ")");
        out.println("  green " + "%-9s".formatted(env.green().label()) + " http://127.0.0.1:" + env.green().port() + "  ("
                + greenRole + ")" + switch (env.green().mode()) {
                    case HEALTHY -> "";
                    case BROKEN -> "  BROKEN: answers 500";
                    case SLOW -> "  SLOW: answers after " + DemoApp.SLOW_DELAY.toMillis() + " ms";
                    case FAILS_LIVE -> "  FAILS LIVE: answers 500 to requests through the live listener";
                } + (env.green() instanceof DemoApp demo && demo.errorPercent() > 0
                        ? "  ERRORS: answers 500 to " + demo.errorPercent() + " % of " + DemoApp.ORDERS_PATH
                        + " (/ and /health stay healthy)" : ""));
        out.println("  live listener    " + env.dataPlane().url(Emulator.LIVE_PORT) + "  (serves the ALB's :" + Emulator.LIVE_PORT
                + " as moto routes it; its DNS name " + created.loadBalancerDns() + " does not resolve here, so the "
                + (env.external() ? "deploy's checks get the test listener's local URL as testUrl" : "hooks get TARGET_BASE_URL") + ")");
        out.println("  test listener    " + env.dataPlane().url(Emulator.TEST_PORT) + "  (serves :" + Emulator.TEST_PORT + ")");
        out.println("  report endpoint  " + env.recorder().endpoint() + "  (CodePipeline job results" + (env.external() ? ""
                : " and CodeDeploy hook status") + " are recorded here; every other call goes on to moto)");
        if (env.external()) {
            out.println("  task sets        a task set scaled above 0 on a target group registers the demo app its image "
                    + "names (" + Emulator.image("v2") + " → green v2) as that group's target, polled every "
                    + TaskSetTargets.INTERVAL.toMillis() + " ms, as ECS registers its tasks");
            out.println("  functions        " + env.root().relativize(env.controllerJar()) + " as "
                    + SandboxEnvironment.CONTROLLER_FUNCTION + " (" + SandboxEnvironment.CONTROLLER_HANDLER + ")");
            out.println("  note             moto says STEADY_STATE as soon as a task set exists and reports no task counts "
                    + "(on AWS a deploy waits for green's tasks to run and pass health checks): the deploy's first check "
                    + "can reach green's target group a moment before green is registered, a 503 its next attempt passes");
            out.println();
            return;
        }
        out.println("  functions        " + env.root().relativize(env.hooksJar()) + " as "
                + String.join(", ", SandboxEnvironment.HOOKS.stream().map(SandboxEnvironment::hookFunctionName).toList())
                + "; " + env.root().relativize(env.swapJar()) + " as " + SandboxEnvironment.SWAP_FUNCTION);
        if (!env.taskCountsReported()) {
            out.println("  note             this moto server does not report the ECS service's tasks as running "
                    + "(MOTO_ECS_SERVICE_RUNNING): BeforeAllowTraffic runs with GATES=TARGET_HEALTH only");
        }
        out.println();
    }

    static String conclusion(Release.Result result, Options options) {
        String blue = result.steps().get(0).live().routedTo();
        if (options.strategy().ecs()) {
            return EcsRelease.conclusion(result, options.strategy(), blue);
        }
        if (options.strategy().external()) {
            return ExternalRelease.conclusion(result, options, blue);
        }
        if (result.released()) {
            String rollback = !result.rollbackApproved() ? ""
                    : result.rolledBack() ? "; rolled back: live traffic is on " + blue + " again"
                    : "; the ROLLBACK FAILED";
            return "release SUCCEEDED: green took live traffic and passed AfterAllowTraffic" + rollback;
        }
        boolean liveNeverLeftBlue = result.steps().stream().allMatch(step -> step.live().routedTo().equals(blue));
        String last = result.steps().get(result.steps().size() - 1).live().routedTo();
        String rolledBack = liveNeverLeftBlue ? ""
                : result.rolledBack() ? "; rolled back at once: live traffic is on " + blue + " again"
                : "; the automatic ROLLBACK FAILED: live traffic is on " + last;
        String swap = result.steps().stream().anyMatch(step -> step.name().startsWith("swap"))
                ? "" : "; the swap was never run";
        return "release STOPPED at " + result.stoppedAt() + swap
                + (liveNeverLeftBlue ? "; live traffic never left " + blue : rolledBack)
                + (options.green().flag() == null ? "" : " (green was started with " + options.green().flag() + ")");
    }

    /** The repository ({@link Repository#root()}): {@code -Decsbluegreen.root}, else found above the working directory. */
    public static Path repositoryRoot() {
        return Repository.root();
    }
}
