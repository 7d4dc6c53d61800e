package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.TargetGroups;
import dev.ecsbluegreen.testing.Moto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** Builds load balancer set-ups in moto, and reads back where traffic goes, for the swap's integration tests. */
final class AlbFixture {
    final ElasticLoadBalancingV2Client elb;
    final String vpcId;
    final String loadBalancerArn;
    private final Moto moto;

    private AlbFixture(Moto moto, ElasticLoadBalancingV2Client elb, String vpcId, String loadBalancerArn) {
        this.moto = moto;
        this.elb = elb;
        this.vpcId = vpcId;
        this.loadBalancerArn = loadBalancerArn;
    }

    static AlbFixture create(Moto moto, String name) {
        Ec2Client ec2 = moto.client(Ec2Client.builder());
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnetA = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String subnetB = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
        ElasticLoadBalancingV2Client elb = moto.client(ElasticLoadBalancingV2Client.builder());
        String lb = elb.createLoadBalancer(b -> b.name(name).subnets(subnetA, subnetB)).loadBalancers().get(0).loadBalancerArn();
        return new AlbFixture(moto, elb, vpc, lb);
    }

    /** The reference architecture: blue live on :80, green on :8080, each with a priority-1 "*" rule too. */
    static AlbFixture reference(Moto moto) {
        AlbFixture alb = create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        String live = alb.listener(80, forward(blue));
        String test = alb.listener(8080, forward(green));
        alb.rule(live, 1, forward(blue));
        alb.rule(test, 1, forward(green));
        return alb;
    }

    /** A target group with an {@code IsProduction} tag (none when {@code isProduction} is null) and healthy IP targets. */
    String targetGroup(String name, String isProduction, String... ips) {
        String arn = elb.createTargetGroup(b -> b.name(name).protocol("HTTP").port(80).vpcId(vpcId).targetType(TargetTypeEnum.IP))
                .targetGroups().get(0).targetGroupArn();
        if (isProduction != null) {
            elb.addTags(b -> b.resourceArns(arn).tags(t -> t.key("IsProduction").value(isProduction)));
        }
        if (ips.length > 0) {
            elb.registerTargets(b -> b.targetGroupArn(arn).targets(java.util.Arrays.stream(ips)
                    .map(ip -> software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription.builder().id(ip).port(8080).build())
                    .toList()));
        }
        return arn;
    }

    String listener(int port, Action defaultAction) {
        return elb.createListener(b -> b.loadBalancerArn(loadBalancerArn).port(port).protocol("HTTP").defaultActions(defaultAction))
                .listeners().get(0).listenerArn();
    }

    String httpsListener(int port, Action defaultAction) {
        AcmClient acm = moto.client(AcmClient.builder());
        String certificate = acm.requestCertificate(b -> b.domainName("app.example.com")).certificateArn();
        return elb.createListener(b -> b.loadBalancerArn(loadBalancerArn).port(port).protocol("HTTPS")
                        .certificates(c -> c.certificateArn(certificate)).sslPolicy("ELBSecurityPolicy-2016-08")
                        .defaultActions(defaultAction))
                .listeners().get(0).listenerArn();
    }

    String rule(String listenerArn, int priority, Action action, RuleCondition condition) {
        return elb.createRule(b -> b.listenerArn(listenerArn).priority(priority).conditions(condition).actions(action))
                .rules().get(0).ruleArn();
    }

    String rule(String listenerArn, int priority, Action action) {
        return rule(listenerArn, priority, action, pathPattern("*"));
    }

    static RuleCondition pathPattern(String pattern) {
        return RuleCondition.builder().field("path-pattern").values(pattern).build();
    }

    static RuleCondition hostHeader(String host) {
        return RuleCondition.builder().field("host-header").values(host).build();
    }

    static Action forward(String targetGroupArn) {
        return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
    }

    static Action weighted(String arnA, int weightA, String arnB, int weightB, boolean sticky) {
        return Action.builder().type(ActionTypeEnum.FORWARD).forwardConfig(f -> f
                .targetGroups(TargetGroupTuple.builder().targetGroupArn(arnA).weight(weightA).build(),
                        TargetGroupTuple.builder().targetGroupArn(arnB).weight(weightB).build())
                .targetGroupStickinessConfig(s -> {
                    s.enabled(sticky);
                    if (sticky) {
                        s.durationSeconds(3600);
                    }
                })).build();
    }

    static Action fixedResponse(int status) {
        return Action.builder().type(ActionTypeEnum.FIXED_RESPONSE)
                .fixedResponseConfig(f -> f.statusCode(String.valueOf(status)).contentType("text/plain").messageBody("nope"))
                .build();
    }

    static Action redirectToHttps() {
        return Action.builder().type(ActionTypeEnum.REDIRECT)
                .redirectConfig(r -> r.protocol("HTTPS").port("443").statusCode("HTTP_301")).build();
    }

    String listenerOnPort(int port) {
        return elb.describeListeners(b -> b.loadBalancerArn(loadBalancerArn)).listeners().stream()
                .filter(l -> l.port() == port).findFirst().orElseThrow().listenerArn();
    }

    /** Where {@code port} sends traffic: "default=app-blue", "1=app-blue", "2=app-blue:90,app-green:10", … */
    List<String> routing(int port) {
        List<String> result = new ArrayList<>();
        for (Rule rule : rules(port)) {
            result.add(rule.priority() + "=" + rule.actions().stream().map(AlbFixture::describe).collect(Collectors.joining("+")));
        }
        return result;
    }

    List<Rule> rules(int port) {
        List<Rule> rules = new ArrayList<>(elb.describeRules(b -> b.listenerArn(listenerOnPort(port))).rules());
        rules.sort(java.util.Comparator.comparing(r -> "default".equals(r.priority()) ? "" : String.format("%05d", Integer.parseInt(r.priority()))));
        return rules;
    }

    private static String describe(Action action) {
        if (action.type() != ActionTypeEnum.FORWARD) {
            return action.typeAsString();
        }
        if (action.forwardConfig() != null && action.forwardConfig().hasTargetGroups() && action.forwardConfig().targetGroups().size() > 1) {
            return action.forwardConfig().targetGroups().stream()
                    .map(t -> TargetGroups.name(t.targetGroupArn()) + ":" + t.weight()).collect(Collectors.joining(","));
        }
        String arn = action.targetGroupArn() != null ? action.targetGroupArn()
                : action.forwardConfig().targetGroups().get(0).targetGroupArn();
        return TargetGroups.name(arn);
    }

    Map<String, String> tags(String arn) {
        Map<String, String> tags = new LinkedHashMap<>();
        elb.describeTags(b -> b.resourceArns(arn)).tagDescriptions().get(0).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    String isProduction(String targetGroupArn) {
        return tags(targetGroupArn).get("IsProduction");
    }

    String targetGroupArn(String name) {
        return elb.describeTargetGroups(b -> b.names(name)).targetGroups().get(0).targetGroupArn();
    }
}
