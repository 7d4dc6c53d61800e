package dev.ecsbluegreen.sandbox;

import dev.ecsbluegreen.core.local.Repository;
import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./sandbox.sh}: the whole blue/green release on this machine. {@code demo} (the default) starts everything,
 * runs the release and the rollback, and stops everything; {@code up} starts everything and keeps it running
 * until Enter. Exit status: 0 when the release succeeded, 1 when it was stopped or failed, 2 for bad usage or a
 * sandbox that could not start.
 */
public final class Sandbox {
    static final String USAGE = """
            usage: ./sandbox.sh [demo|up] [--broken-green|--slow-green|--green-fails-live] [--yes] [--no-rollback] [--verbose]
                                [--blue-url URL] [--green-url URL]
              demo            start everything, release green, roll back, stop everything (default)
              up              start everything, print the URLs, stop on Enter
              --broken-green  green answers 500: the first hook fails and the swap is never reached
              --slow-green    green answers after %d ms: the hooks' latency limit (1 s) fails it
              --green-fails-live  green fails only production traffic: AfterAllowTraffic fails, traffic rolls back
              --yes           approve both manual approvals without asking
              --no-rollback   stop after the release instead of asking for the rollback approval
              --verbose       print every function's log
              --blue-url URL, --green-url URL
                              your own application as blue or green instead of the demo app: an HTTP server on this
                              machine (http://localhost:PORT); the hooks then run their default check, GET / → 2xx""".formatted(DemoApp.SLOW_DELAY.toMillis());

    /** The command line, parsed. */
    public record Options(String command, DemoApp.Mode green, boolean yes, boolean rollback, boolean verbose,
                          App.Yours yourBlue, App.Yours yourGreen) {
        public Options(String command, DemoApp.Mode green, boolean yes, boolean rollback, boolean verbose) {
            this(command, green, yes, rollback, verbose, null, null);
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
            if (yourBlue != null && yourGreen != null && yourBlue.port() == yourGreen.port()) {
                throw new IllegalArgumentException("--blue-url and --green-url name the same port: blue and green must differ");
            }
            return new Options(command, green, yes, rollback, verbose, yourBlue, yourGreen);
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

    /** Starts the sandbox, runs the release, stops the sandbox. */
    public static Release.Result run(Options options, Approver approver, PrintStream out) {
        long started = System.nanoTime();
        out.println("ecs-bluegreen sandbox: a blue/green release on this machine, through the real Lambda handlers");
        SandboxEnvironment env = SandboxEnvironment.start(repositoryRoot(), options.green(), options.yourBlue(), options.yourGreen());
        // Ctrl-C still stops every process and server the sandbox started
        Thread stopper = new Thread(env::close, "sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        Release.Result result;
        try {
            describe(env, out);
            result = new Release(env, new FunctionRunner(), approver, out, options.verbose()).run(options.rollback());
        } finally {
            unregister(stopper);
            stopQuietly(env, out);
        }
        out.println();
        out.println(conclusion(result, options));
        out.printf("  (%.1f s; everything the sandbox started is stopped)%n", (System.nanoTime() - started) / 1e9);
        return result;
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
        SandboxEnvironment env = SandboxEnvironment.start(repositoryRoot(), options.green(), options.yourBlue(), options.yourGreen());
        Thread stopper = new Thread(env::close, "sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            describe(env, System.out);
            System.out.println("  try:  curl " + env.dataPlane().url(Emulator.LIVE_PORT) + "   (blue)    curl "
                    + env.dataPlane().url(Emulator.TEST_PORT) + "   (green)");
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
        out.println("                   ALB " + names.loadBalancer() + " (listeners :" + Emulator.LIVE_PORT + " live, :"
                + Emulator.TEST_PORT + " test), target groups " + names.blueTargetGroup() + " / " + names.greenTargetGroup()
                + ", ECS " + names.cluster() + "/" + names.service() + ", CodeDeploy " + names.application() + "/"
                + names.deploymentGroup() + ", deployment " + env.deploymentId() + " (moto's " + created.deploymentId() + ")");
        out.println("  blue  " + "%-9s".formatted(env.blue().label()) + " http://127.0.0.1:" + env.blue().port() + "  (target of "
                + names.blueTargetGroup() + ")");
        out.println("  green " + "%-9s".formatted(env.green().label()) + " http://127.0.0.1:" + env.green().port() + "  (target of "
                + names.greenTargetGroup() + ")" + switch (env.green().mode()) {
                    case HEALTHY -> "";
                    case BROKEN -> "  BROKEN: answers 500";
                    case SLOW -> "  SLOW: answers after " + DemoApp.SLOW_DELAY.toMillis() + " ms";
                    case FAILS_LIVE -> "  FAILS LIVE: answers 500 to requests through the live listener";
                });
        out.println("  live listener    " + env.dataPlane().url(Emulator.LIVE_PORT) + "  (serves the ALB's :" + Emulator.LIVE_PORT
                + " as moto routes it; its DNS name " + created.loadBalancerDns() + " does not resolve here, so the "
                + "hooks get TARGET_BASE_URL)");
        out.println("  test listener    " + env.dataPlane().url(Emulator.TEST_PORT) + "  (serves :" + Emulator.TEST_PORT + ")");
        out.println("  report endpoint  " + env.recorder().endpoint() + "  (CodePipeline job results and CodeDeploy hook "
                + "status are recorded here; every other call goes on to moto)");
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
