package dev.ecsbluegreen.swap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.swap.aws.CodePipelineJobResults;
import dev.ecsbluegreen.swap.aws.ElbLoadBalancers;
import dev.ecsbluegreen.testing.EventFiles;
import dev.ecsbluegreen.testing.Moto;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The swap function's local demo ({@code ./demo}): a load balancer in the local AWS emulator, CodePipeline
 * approvals delivered as the real job event, the real handler, and a timeline of where traffic goes.
 * Exits non-zero when any step does not behave as described.
 */
public final class SwapDemo {
    private final PrintStream out;
    private final Moto moto = new Moto();
    private int surprises;

    private SwapDemo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        boolean ok = run(System.out);
        System.exit(ok ? 0 : 1);
    }

    /** Runs the demo against a clean moto server; true when every step did what it says. */
    static boolean run(PrintStream out) throws Exception {
        return new SwapDemo(out).play();
    }

    private boolean play() throws Exception {
        out.println("ecs-bluegreen: a CodePipeline approval moving live traffic, against a local AWS emulator");
        moto.server().reset();
        out.println("  AWS emulator (moto server): " + moto.endpoint());
        AlbFixture alb = AlbFixture.reference(moto);
        out.println("  load balancer app-alb as in the 2017 reference architecture: live listener :80, test listener "
                + ":8080, each with a default action and a priority-1 \"*\" rule; target groups app-blue and app-green");
        try (CodePipelineRecorder codePipeline = new CodePipelineRecorder()) {
            ElasticLoadBalancingV2Client elb = moto.client(ElasticLoadBalancingV2Client.builder());
            CodePipelineClient cp = moto.client(CodePipelineClient.builder(), codePipeline.endpoint());
            SwapHandler handler = new SwapHandler(new ElbLoadBalancers(elb), new CodePipelineJobResults(cp), name -> null);
            String event = EventFiles.read("codepipeline-job.json");
            out.println("  CodePipeline's job API (stand-in): " + codePipeline.endpoint());
            out.println();
            out.printf("  %-48s %-20s %-10s %-10s %s%n", "step", "reported", "live :80", "test :8080", "IsProduction=true");
            state(alb, "before the release", "-", "app-blue");

            step(handler, codePipeline, alb, event, "1. approval: release green", "PutJobSuccessResult", "app-green");
            step(handler, codePipeline, alb, event, "2. the same job delivered again", "PutJobSuccessResult", "app-green");
            String rollback = SwapHandlerIT.event("22222222-0000-0000-0000-000000000002", "{\"ElbName\": \"app-alb\"}");
            step(handler, codePipeline, alb, rollback, "3. next approval: roll back", "PutJobSuccessResult", "app-blue");
            alb.elb.deregisterTargets(b -> b.targetGroupArn(alb.targetGroupArn("app-green"))
                    .targets(t -> t.id("10.0.2.10").port(8080)));
            String broken = SwapHandlerIT.event("33333333-0000-0000-0000-000000000003", "{\"ElbName\": \"app-alb\"}");
            step(handler, codePipeline, alb, broken, "4. approval while green has no healthy target", "PutJobFailureResult", "app-blue");
        }
        out.println();
        out.println(surprises == 0 ? "demo finished: every step did what it says" : "demo FAILED: " + surprises + " step(s) did not");
        return surprises == 0;
    }

    private void step(SwapHandler handler, CodePipelineRecorder codePipeline, AlbFixture alb, String event, String title,
                      String expectedReport, String expectedLive) throws Exception {
        codePipeline.answerOk();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                new TestLambdaContext());
        CodePipelineRecorder.Report report = codePipeline.take();
        String operation = report.target().substring(report.target().indexOf('.') + 1);
        String live = state(alb, title, operation, expectedLive);
        JsonNode body = report.body();
        String text = body.has("failureDetails")
                ? body.at("/failureDetails/type").asText() + ": " + body.at("/failureDetails/message").asText()
                : body.at("/executionDetails/summary").asText();
        out.println("       " + text);
        if (!operation.equals(expectedReport) || !live.equals(expectedLive)) {
            surprises++;
            out.println("       ^ expected " + expectedReport + " with live traffic on " + expectedLive);
        }
    }

    private String state(AlbFixture alb, String title, String reported, String expectedLive) {
        List<String> live = alb.routing(80);
        List<String> test = alb.routing(8080);
        String liveGroup = single(live);
        String production = alb.isProduction(alb.targetGroupArn("app-blue")).equals("true") ? "app-blue" : "app-green";
        out.printf("  %-48s %-20s %-10s %-10s %s%n", title, reported, liveGroup, single(test), production);
        if (!production.equals(liveGroup)) {
            surprises++;
            out.println("       ^ IsProduction does not match the live listener");
        }
        return liveGroup;
    }

    /** The one target group all of a listener's routes send to, or the routes themselves when they differ. */
    private static String single(List<String> routes) {
        List<String> groups = routes.stream().map(r -> r.substring(r.indexOf('=') + 1)).distinct().toList();
        return groups.size() == 1 ? groups.get(0) : routes.toString();
    }
}
