package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.core.priming.CannedElb.BLUE;
import static dev.ecsbluegreen.core.priming.CannedElb.GREEN;
import static dev.ecsbluegreen.core.priming.CannedElb.LB;
import static dev.ecsbluegreen.core.priming.CannedElb.LIVE;
import static dev.ecsbluegreen.core.priming.CannedElb.TEST;
import static dev.ecsbluegreen.core.priming.CannedElb.forward;
import static dev.ecsbluegreen.core.priming.CannedElb.listener;
import static dev.ecsbluegreen.core.priming.CannedElb.response;

import dev.ecsbluegreen.core.aws.CodePipelineJobResults;
import dev.ecsbluegreen.core.priming.CannedHttpClient;
import dev.ecsbluegreen.core.priming.Priming;
import dev.ecsbluegreen.swap.aws.ElbLoadBalancers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The swap function's SnapStart priming: one whole approval — job event, UserParameters, both listeners read,
 * target health, the writes, the read-back, the tags, the success report — through a second {@link SwapHandler}
 * whose SDK clients answer from a {@link CannedHttpClient} playing a load balancer in the reference layout
 * (live :80 → blue, test :8080 → green, one rule each). Nothing reaches AWS.
 */
final class SwapPriming {
    /** The load balancer's state: false until the first listener or rule write, true after (the swap took). */
    private boolean swapped;
    private final List<String> operations = new ArrayList<>();

    private SwapPriming() {}

    /** What priming did: the primed handler's answer and the ELB operations it called. */
    record Primed(String answer, List<String> elbOperations) {}

    /** Runs the priming invocation. */
    static Primed run() {
        SwapPriming elb = new SwapPriming();
        SwapHandler handler = new SwapHandler(
                new ElbLoadBalancers(Priming.client(ElasticLoadBalancingV2Client.builder(), elb::answer)),
                new CodePipelineJobResults(Priming.client(CodePipelineClient.builder(), (operation, body) -> "{}")),
                name -> null);
        String answer = Priming.invoke(handler, Priming.resource(SwapPriming.class, "priming-job.json"));
        return new Primed(answer, elb.operations());
    }

    private synchronized String answer(String operation, String body) {
        operations.add(operation);
        return switch (operation) {
            case "DescribeLoadBalancers" -> response(operation, "<LoadBalancers><member><LoadBalancerArn>" + LB
                    + "</LoadBalancerArn><LoadBalancerName>priming</LoadBalancerName><Type>application</Type>"
                    + "<DNSName>priming.invalid</DNSName></member></LoadBalancers>");
            case "DescribeListeners" -> response(operation, "<Listeners>" + listener(LIVE, 80, BLUE)
                    + listener(TEST, 8080, GREEN) + "</Listeners>");
            case "DescribeRules" -> {
                boolean live = decoded(body).contains(LIVE);
                String listener = live ? LIVE : TEST;
                String target = live == swapped ? GREEN : BLUE;
                yield response(operation, "<Rules>" + rule(listener, "c1", "default", true, target)
                        + rule(listener, "c2", "1", false, target) + "</Rules>");
            }
            case "DescribeTags" -> {
                StringBuilder tags = new StringBuilder("<TagDescriptions>");
                for (String arn : List.of(LB, BLUE, GREEN)) {
                    if (decoded(body).contains(arn)) {
                        String production = arn.equals(LB) ? null : String.valueOf(arn.equals(BLUE) != swapped);
                        tags.append("<member><ResourceArn>").append(arn).append("</ResourceArn><Tags>")
                                .append(production == null ? "" : "<member><Key>IsProduction</Key><Value>" + production
                                        + "</Value></member>")
                                .append("</Tags></member>");
                    }
                }
                yield response(operation, tags.append("</TagDescriptions>").toString());
            }
            case "DescribeTargetHealth" -> response(operation, "<TargetHealthDescriptions><member><Target><Id>10.0.0.1</Id>"
                    + "<Port>8080</Port></Target><TargetHealth><State>healthy</State></TargetHealth></member>"
                    + "</TargetHealthDescriptions>");
            case "ModifyListener", "ModifyRule" -> {
                swapped = true;
                yield response(operation, "");
            }
            default -> response(operation, "");
        };
    }

    private synchronized List<String> operations() {
        return List.copyOf(operations);
    }

    private static String rule(String listener, String id, String priority, boolean isDefault, String target) {
        String arn = listener.replace(":listener/", ":listener-rule/") + "/00000000000000" + id;
        String conditions = isDefault ? "" : "<member><Field>path-pattern</Field><PathPatternConfig><Values>"
                + "<member>/api/*</member></Values></PathPatternConfig></member>";
        return "<member><RuleArn>" + arn + "</RuleArn><Priority>" + priority + "</Priority><IsDefault>" + isDefault
                + "</IsDefault><Conditions>" + conditions + "</Conditions><Actions>" + forward(target) + "</Actions></member>";
    }

    private static String decoded(String body) {
        return URLDecoder.decode(body, StandardCharsets.UTF_8);
    }
}
