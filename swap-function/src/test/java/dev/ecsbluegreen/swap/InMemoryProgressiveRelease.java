package dev.ecsbluegreen.swap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.codepipeline.JobEvent;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetGroups;
import dev.ecsbluegreen.swap.SwapOutcome.Continued;
import dev.ecsbluegreen.swap.SwapOutcome.Failed;
import dev.ecsbluegreen.swap.SwapOutcome.Succeeded;
import dev.ecsbluegreen.swap.execution.Budget;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A canary or linear release driven over an {@link InMemoryLoadBalancers}, one invocation at a time, each job as
 * CodePipeline sends it (the first, then a new job carrying the last token): the release's own parts as the handler
 * wires them, with its wall clock and its sleeps on the load balancer's fake clock, so a bake of minutes costs no
 * time. Each invocation's log and {@link JobLog.Facts} are kept for the assertions.
 */
final class InMemoryProgressiveRelease {
    static final ObjectMapper MAPPER = Json.newMapper();
    static final String BLUE = Routes.arn("app-blue");
    static final String GREEN = Routes.arn("app-green");
    /** The wall clock's start, epoch seconds: a release's step tags carry it. */
    private static final long EPOCH = 1_764_590_000L;

    final InMemoryLoadBalancers elb;
    final Map<String, String> env = new HashMap<>();
    private final Duration maxWait;
    private final Clock clock;
    private final Sleeper sleeper;
    private int jobs;

    /** One invocation: its job, what it answered, its log lines and its facts. */
    record Invocation(String jobId, String token, SwapOutcome outcome, String log, JobLog.Facts facts) {
        String text() {
            return switch (outcome) {
                case Succeeded s -> s.summary();
                case Continued c -> c.summary();
                case Failed f -> f.message();
            };
        }

        boolean continued() {
            return outcome instanceof Continued;
        }

        String nextToken() {
            return outcome instanceof Continued c ? c.continuationToken() : null;
        }

        /** The {@code routing changed} lines, parsed. */
        List<JsonNode> cutovers() {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : log.split("\n")) {
                try {
                    JsonNode node = MAPPER.readTree(line);
                    if (node != null && "routing changed".equals(node.path("message").asText())) {
                        lines.add(node);
                    }
                } catch (java.io.IOException e) {
                    throw new AssertionError("a log line that is not JSON: " + line, e);
                }
            }
            return lines;
        }
    }

    InMemoryProgressiveRelease(InMemoryLoadBalancers elb, Duration maxWait) {
        this.elb = elb;
        this.maxWait = maxWait;
        this.clock = dev.ecsbluegreen.testing.TestClocks.utc(() -> Instant.ofEpochSecond(EPOCH).plusNanos(elb.nanoTime()));
        this.sleeper = d -> elb.clock.addAndGet(d.toNanos());
    }

    /** The reference layout: live default action and {@code rules} rules on blue, test's on green, IsProduction. */
    static InMemoryLoadBalancers reference(int rules) {
        InMemoryLoadBalancers elb = new InMemoryLoadBalancers()
                .route(true, "default", List.of(Routes.forward("app-blue")))
                .route(false, "default", List.of(Routes.forward("app-green")))
                .route(false, "1", List.of(Routes.forward("app-green")));
        for (int i = 1; i <= rules; i++) {
            elb.route(true, String.valueOf(i), List.of(Routes.forward("app-blue")));
        }
        return elb.tag(BLUE, "IsProduction", "true").tag(GREEN, "IsProduction", "false");
    }

    String newJobId() {
        return "job-" + (++jobs);
    }

    /** The first job of a release. */
    Invocation first(String userParameters) throws Exception {
        return deliver(newJobId(), userParameters, null);
    }

    /** The next job, as CodePipeline sends it after a continued result. */
    Invocation next(String userParameters, Invocation last) throws Exception {
        return deliver(newJobId(), userParameters, last.nextToken());
    }

    /** One delivery of {@code jobId}: with a token, the job CodePipeline sends after a result that carried it. */
    Invocation deliver(String jobId, String userParameters, String token) throws Exception {
        String event = token == null ? SwapHandlerIT.event(jobId, userParameters)
                : ProgressiveSwapIT.continuation(jobId, userParameters, token);
        JobEvent job = JobEvent.parse(event.getBytes(StandardCharsets.UTF_8), MAPPER);
        StringBuilder lines = new StringBuilder();
        JobLog log = new JobLog(new dev.ecsbluegreen.core.telemetry.StructuredLog(
                dev.ecsbluegreen.core.telemetry.Invocation.outside(SwapHandler.SERVICE, name -> null),
                dev.ecsbluegreen.core.telemetry.Level.INFO, line -> {
                    synchronized (lines) {
                        lines.append(line).append('\n');
                    }
                }, false)).forJob(jobId);
        // as the handler gives a 60 s function: its deadline less the report's reserve
        Budget budget = new Budget(Deadline.after(Duration.ofSeconds(54), elb::nanoTime));
        Swapper swapper = new Swapper(elb);
        ProgressiveSwap progressive = new ProgressiveSwap(elb, swapper, () -> {
            throw new IllegalStateException("no analysis in these releases");
        }, clock, sleeper, maxWait, MAPPER);
        SwapOutcome outcome;
        try {
            SwapRequest request = SwapRequest.parse(job.userParameters(), MAPPER, env::get);
            Scope scope = Scope.fromEnvironment(env::get);
            try {
                outcome = progressive.run(job, request, scope, budget, log);
            } catch (ProgressiveSwap.Abandoned abandoned) {
                outcome = progressive.putBackAbandoned(abandoned, request, scope, budget, log);
            }
        } catch (SwapException e) {
            outcome = new Failed(e.type(), e.getMessage() + ". Nothing was changed.");
        }
        return new Invocation(jobId, token, outcome, lines.toString(), log.facts());
    }

    // ------------------------------------------------------------------ the state a test compares

    /** Both listeners' routes as {@code app-blue:90,app-green:10} (a single target: its name), and IsProduction. */
    record State(List<String> live, List<String> test, String blueTag, String greenTag) {}

    State state() {
        return new State(describe(elb.forwards(true)), describe(elb.forwards(false)),
                elb.tagsOf(BLUE).get("IsProduction"), elb.tagsOf(GREEN).get("IsProduction"));
    }

    static List<String> describe(List<List<Forward>> routes) {
        return routes.stream().map(forwards -> forwards.stream().map(f -> f.targets().size() == 1
                        ? TargetGroups.name(f.targets().get(0).targetGroupArn())
                        : f.targets().stream().map(t -> TargetGroups.name(t.targetGroupArn()) + ":" + t.weight())
                                .collect(Collectors.joining(",")))
                .collect(Collectors.joining(" | "))).toList();
    }

    /** The reference layout at a step: every live route blue {@code 100-p} / green {@code p}; test and tags as before. */
    static State atStep(State original, int percent) {
        return new State(original.live().stream().map(r -> "app-blue:" + (100 - percent) + ",app-green:" + percent)
                .toList(), original.test(), original.blueTag(), original.greenTag());
    }

    /** The reference layout swapped whole: live on green, test on blue, IsProduction flipped. */
    static State swapped(State original) {
        return new State(original.live().stream().map(r -> "app-green").toList(),
                original.test().stream().map(r -> "app-blue").toList(), "false", "true");
    }
}
