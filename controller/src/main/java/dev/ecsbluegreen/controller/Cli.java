package dev.ecsbluegreen.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.controller.Outcome.Failed;
import dev.ecsbluegreen.controller.Outcome.Succeeded;
import dev.ecsbluegreen.controller.aws.ControllerClients;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.routing.Strategy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The command-line tool: {@code java -jar controller.jar ACTION [options]}, for Jenkins, GitHub Actions or a
 * terminal. Prints progress as it goes (every read of the service and every write), then the result; with
 * {@code --output json} the progress goes to stderr and stdout gets one JSON document. Exit status: 0 done,
 * 1 failed (refused, rolled back, or an AWS call failed), 2 bad usage or configuration. Region, credentials and
 * endpoints come from the environment as for any AWS SDK tool ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_ECS}, …).
 */
public final class Cli {
    static final String USAGE = """
            usage: java -jar controller.jar ACTION --cluster C --service S [options]
              ACTION            deploy | promote | cleanup | rollback | status
              --image IMAGE     REPO:TAG for a single-container task definition, or CONTAINER=REPO:TAG (repeatable);
                                deploy needs it; the other actions name the release by it or by --release
              --release ID      release id (default: derived from the images, so a repeated deploy converges)
              --live-listener ARN, --test-listener ARN, --target-groups ARN1,ARN2
                                the load balancer side (default: LIVE_LISTENER_ARN, TEST_LISTENER_ARN, TARGET_GROUP_ARNS)
              --wait-timeout D  how long deploy waits for STEADY_STATE before it rolls green back (default 15m)
              --cleanup-wait D  how long cleanup waits before it deletes anything (default 0)
              --poll-interval D how often to read the service while waiting (default 10s)
              --test-url URL    deploy validates green through the test listener at URL (e.g. http://ALB-DNS:8080) and
                                rolls it back when a check fails (default TEST_URL; none: no validation)
              --checks JSON     the checks to send, the hooks' CHECKS array, or @FILE (default CHECKS; GET / → 2xx)
              --strategy JSON   how promote moves live traffic, as the swap function's: {"type":"canary","percent":10,
                                "bakeSeconds":300} or {"type":"linear","stepPercent":25,"stepBakeSeconds":120};
                                each step bakes, then green's checks run, before the next (default: all at once)
              --wait-for-approval  deploy, then ask on the terminal: "promote" promotes, anything else rolls back
              --output text|json
            durations: 90, 90s, 15m, 1h. cluster and service default to ECS_CLUSTER and ECS_SERVICE.
            exit status: 0 done, 1 failed (refused or rolled back), 2 bad usage or configuration""";
    private static final ObjectMapper MAPPER = Json.newMapper();
    private static final Set<String> VALUED = Set.of("--cluster", "--service", "--image", "--release", "--live-listener",
            "--test-listener", "--target-groups", "--wait-timeout", "--cleanup-wait", "--poll-interval", "--output", "--test-url",
            "--checks", "--strategy");

    /** The AWS side, built only once the arguments are known to be good. */
    record Wiring(EcsTaskSets ecs, ListenerForwards listeners, Clock clock, Controller.Sleeper sleeper) {}

    private Cli() {}

    public static void main(String[] args) {
        int status = run(args, System::getenv, System.out, System.err, System.in,
                () -> new Wiring(ControllerClients.ecs(), ControllerClients.listeners(), Clock.systemUTC(),
                        d -> Thread.sleep(d.toMillis())));
        System.exit(status);
    }

    static int run(String[] args, UnaryOperator<String> env, PrintStream out, PrintStream err, InputStream in,
                   Supplier<Wiring> wiring) {
        Parsed parsed;
        try {
            parsed = parse(args, env);
        } catch (ConfigurationException e) {
            err.println("ecs-bluegreen: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (parsed == null) {
            out.println(USAGE);
            return 0;
        }
        Wiring w;
        try {
            w = wiring.get();
        } catch (RuntimeException e) {
            // no region configured, an unreadable profile: the environment's to fix
            err.println("ecs-bluegreen: the AWS clients could not be set up: " + e.getMessage());
            return 2;
        }
        PrintStream progressStream = parsed.json ? err : out;
        long start = w.clock().millis();
        Controller controller = new Controller(w.ecs(), w.listeners(),
                line -> progressStream.printf(Locale.ROOT, "[%4ds] %s%n", (w.clock().millis() - start) / 1000, line),
                w.clock(), w.sleeper(), parsed.pollInterval);
        // the CLI waits in one go: the wait, plus time for the writes and a rollback after it
        Strategy strategy = parsed.request.strategy();
        Duration budget = parsed.request.waitTimeout().plus(parsed.request.cleanupWait()).plus(Duration.ofMinutes(5))
                .plus(strategy.bake().multipliedBy(strategy.steps() - 1L));
        Outcome outcome = controller.run(parsed.request, Deadline.after(budget), start);
        Action reported = parsed.request.action();
        if (parsed.waitForApproval && outcome instanceof Succeeded) {
            progressStream.println("green is ready on the test listener. Type \"promote\" to promote, anything else rolls back:");
            String answer = readLine(in);
            Action next = "promote".equalsIgnoreCase(answer.strip()) ? Action.PROMOTE : Action.ROLLBACK;
            Request then = parsed.request.then(next);
            outcome = controller.run(then, Deadline.after(budget), w.clock().millis());
            // a declined approval is a deploy that was rolled back; an approved one ends as the promote
            reported = next;
            if (next == Action.ROLLBACK && outcome instanceof Succeeded s) {
                reported = Action.DEPLOY;
                outcome = new Failed(Outcome.Reason.ROLLED_BACK, "not approved (\"" + answer.strip() + "\"): rolled back. "
                        + s.message(), s.last());
            }
        }
        print(parsed, reported, outcome, out);
        return exitStatus(outcome);
    }

    static int exitStatus(Outcome outcome) {
        return switch (outcome) {
            case Succeeded s -> 0;
            case Failed f when f.reason() == Outcome.Reason.CONFIGURATION -> 2;
            default -> 1;
        };
    }

    private static void print(Parsed parsed, Action action, Outcome outcome, PrintStream out) {
        String result = switch (outcome) {
            case Succeeded s -> "succeeded";
            case Outcome.Waiting w -> "timed out";
            case Failed f -> f.reason() == Outcome.Reason.REFUSED ? "refused" : f.reason() == Outcome.Reason.ROLLED_BACK
                    ? "rolled back" : "failed";
        };
        if (!parsed.json) {
            out.println(action.word() + " " + result + ": " + outcome.message());
            return;
        }
        ObjectNode doc = MAPPER.createObjectNode().put("action", action.word())
                .put("release", parsed.request.releaseId()).put("result", result).put("message", outcome.message())
                .put("exitStatus", exitStatus(outcome));
        if (outcome instanceof Succeeded s) {
            doc.set("outputs", MAPPER.valueToTree(s.outputs()));
        }
        Observation last = outcome.last();
        if (last != null) {
            ArrayNode sets = doc.putArray("taskSets");
            for (TaskSet t : last.taskSets()) {
                sets.add(MAPPER.valueToTree(t));
            }
            doc.put("live", Observation.describe(last.live())).put("test", Observation.describe(last.test()));
        }
        out.println(doc.toString());
    }

    private static String readLine(InputStream in) {
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            return "";
        }
    }

    record Parsed(Request request, boolean json, boolean waitForApproval, Duration pollInterval) {}

    private static Strategy strategy(String json) {
        if (json == null) {
            return Strategy.ALL_AT_ONCE;
        }
        try {
            return Strategy.parse(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new ConfigurationException("--strategy is not JSON: give {\"type\": \"canary\", \"percent\": 10, "
                    + "\"bakeSeconds\": 300}");
        } catch (Strategy.Invalid e) {
            throw new ConfigurationException("--strategy: " + e.getMessage());
        }
    }

    /** The checks' JSON: as given, or read from the file named after an {@code @}. */
    private static String checksText(String value) {
        if (value == null || !value.startsWith("@")) {
            return value;
        }
        java.nio.file.Path file = java.nio.file.Path.of(value.substring(1));
        try {
            return java.nio.file.Files.readString(file);
        } catch (IOException e) {
            throw new ConfigurationException("--checks " + value + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    /** Null for {@code --help}. */
    static Parsed parse(String[] args, UnaryOperator<String> env) {
        if (args.length == 0) {
            throw new ConfigurationException("no action given");
        }
        if (List.of("-h", "--help", "help").contains(args[0])) {
            return null;
        }
        Action action = Action.of(args[0]);
        Map<String, String> single = new HashMap<>();
        List<String> images = new ArrayList<>();
        boolean approval = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (arg.equals("--wait-for-approval")) {
                approval = true;
                continue;
            }
            if (!VALUED.contains(arg)) {
                throw new ConfigurationException("unknown option " + arg);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new ConfigurationException(arg + " needs a value");
                }
                value = args[++i];
            }
            if (arg.equals("--image")) {
                images.add(value);
            } else if (single.put(arg, value) != null) {
                throw new ConfigurationException(arg + " given twice");
            }
        }
        if (approval && action != Action.DEPLOY) {
            throw new ConfigurationException("--wait-for-approval goes with deploy");
        }
        String output = single.getOrDefault("--output", "text");
        if (!output.equals("text") && !output.equals("json")) {
            throw new ConfigurationException("--output is text or json");
        }
        Target target = Settings.target(single.get("--cluster"), single.get("--service"), single.get("--live-listener"),
                single.get("--test-listener"), single.get("--target-groups"), env);
        Request request = new Request(action, target, single.get("--release"), images.isEmpty() ? null : Images.parse(images),
                Settings.duration(Settings.orEnv(single.get("--wait-timeout"), env, "WAIT_TIMEOUT"), "--wait-timeout"),
                Settings.duration(Settings.orEnv(single.get("--cleanup-wait"), env, "CLEANUP_WAIT"), "--cleanup-wait"),
                GreenChecks.of(Settings.orEnv(single.get("--test-url"), env, "TEST_URL"),
                        checksText(Settings.orEnv(single.get("--checks"), env, "CHECKS"))),
                strategy(single.get("--strategy")));
        Duration poll = Settings.duration(single.get("--poll-interval"), "--poll-interval");
        return new Parsed(request, output.equals("json"), approval, poll == null ? Duration.ofSeconds(10) : poll);
    }
}
