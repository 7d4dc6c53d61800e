package dev.ecsbluegreen.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.controller.aws.ElbListenerForwards;
import dev.ecsbluegreen.controller.aws.SdkEcsTaskSets;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.aws.ElbForwards;
import dev.ecsbluegreen.core.routing.TargetGroups;
import dev.ecsbluegreen.testing.FaultInjectingProxy;
import dev.ecsbluegreen.testing.Moto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * An ECS service with the EXTERNAL deployment controller in moto, as the external-controller post sets it up: blue's
 * task set (primary, 2 tasks of {@code app:1} on {@code app-blue}), the live listener :80 → app-blue, the test
 * listener :8080 → app-blue, and app-green idle. The controller's clients go through a {@link FaultInjectingProxy}
 * in front of moto; the fixture's own clients talk to moto directly.
 */
final class EcsFixture implements AutoCloseable {
    private static final ObjectMapper MAPPER = Json.newMapper();
    static final String CLUSTER = "prod";
    static final String SERVICE = "app";

    final EcsClient ecs;
    final ElasticLoadBalancingV2Client elb;
    final FaultInjectingProxy proxy;
    final String blueGroup;
    final String greenGroup;
    final String live;
    final String test;
    final String blueTaskSet;
    final String blueDefinition;
    final List<String> progress = new ArrayList<>();

    EcsFixture(Moto moto) throws IOException {
        ecs = moto.client(EcsClient.builder());
        elb = moto.client(ElasticLoadBalancingV2Client.builder());
        proxy = new FaultInjectingProxy(moto.endpoint());
        Ec2Client ec2 = moto.client(Ec2Client.builder());
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnetA = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String subnetB = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
        String lb = elb.createLoadBalancer(b -> b.name("app-alb").subnets(subnetA, subnetB)).loadBalancers().get(0).loadBalancerArn();
        blueGroup = targetGroup("app-blue", vpc);
        greenGroup = targetGroup("app-green", vpc);
        live = listener(lb, 80, blueGroup);
        test = listener(lb, 8080, blueGroup);

        ecs.createCluster(b -> b.clusterName(CLUSTER));
        blueDefinition = ecs.registerTaskDefinition(b -> b.family("app")
                .taskRoleArn("arn:aws:iam::123456789012:role/app-task").executionRoleArn("arn:aws:iam::123456789012:role/app-exec")
                .containerDefinitions(ContainerDefinition.builder().name("web").image("registry.example.com/app:1.0").memory(256)
                        .portMappings(PortMapping.builder().containerPort(8080).build()).build()))
                .taskDefinition().taskDefinitionArn();
        ecs.createService(b -> b.cluster(CLUSTER).serviceName(SERVICE).desiredCount(2)
                .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL)));
        blueTaskSet = ecs.createTaskSet(b -> b.cluster(CLUSTER).service(SERVICE).taskDefinition(blueDefinition)
                .launchType(LaunchType.FARGATE).scale(s -> s.unit(ScaleUnit.PERCENT).value(100.0))
                .loadBalancers(LoadBalancer.builder().targetGroupArn(blueGroup).containerName("web").containerPort(8080).build()))
                .taskSet().taskSetArn();
        ecs.updateServicePrimaryTaskSet(b -> b.cluster(CLUSTER).service(SERVICE).primaryTaskSet(blueTaskSet));
    }

    private String targetGroup(String name, String vpc) {
        return elb.createTargetGroup(b -> b.name(name).protocol("HTTP").port(8080).vpcId(vpc).targetType(TargetTypeEnum.IP))
                .targetGroups().get(0).targetGroupArn();
    }

    private String listener(String lb, int port, String group) {
        return elb.createListener(b -> b.loadBalancerArn(lb).port(port).protocol("HTTP")
                .defaultActions(forwardTo(group))).listeners().get(0).listenerArn();
    }

    /** A forward default action (ELB's {@code Action}, not the controller's). */
    static software.amazon.awssdk.services.elasticloadbalancingv2.model.Action forwardTo(String group) {
        return software.amazon.awssdk.services.elasticloadbalancingv2.model.Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(group).build();
    }

    Target target() {
        return new Target(CLUSTER, SERVICE, live, test, List.of(blueGroup, greenGroup));
    }

    Request request(Action action, String image) {
        return new Request(action, target(), null, Images.parse(List.of(image)), Duration.ofSeconds(5), Duration.ZERO);
    }

    EcsTaskSets controllerEcs(Moto moto) {
        return new SdkEcsTaskSets(moto.client(EcsClient.builder(), proxy.endpoint()));
    }

    ListenerForwards controllerListeners(Moto moto) {
        return new ElbListenerForwards(moto.client(ElasticLoadBalancingV2Client.builder(), proxy.endpoint()));
    }

    Controller controller(Moto moto) {
        return new Controller(controllerEcs(moto), controllerListeners(moto), progress::add, Clock.systemUTC(),
                d -> Thread.sleep(d.toMillis()), Duration.ofMillis(100));
    }

    /** Where a listener's default action forwards, by target group name. */
    String routing(String listenerArn) {
        var forward = ElbForwards.firstForward(elb.describeListeners(b -> b.listenerArns(listenerArn)).listeners().get(0).defaultActions());
        return String.join(",", forward.targets().stream().map(t -> TargetGroups.name(t.targetGroupArn())).toList());
    }

    /** Every task set, as "STATUS target-group-name task-definition", in ECS's order. */
    List<String> taskSets() {
        return ecs.describeTaskSets(b -> b.cluster(CLUSTER).service(SERVICE)).taskSets().stream()
                .map(t -> t.status() + " " + TargetGroups.name(t.loadBalancers().get(0).targetGroupArn()) + " "
                        + t.taskDefinition().substring(t.taskDefinition().lastIndexOf('/') + 1))
                .toList();
    }

    String definitionStatus(String arnOrFamilyRevision) {
        return ecs.describeTaskDefinition(b -> b.taskDefinition(arnOrFamilyRevision)).taskDefinition().statusAsString();
    }

    /** The ECS and ELB writes the controller sent (through the proxy), in order. */
    List<String> writes() {
        return proxy.actions().stream().filter(a -> !a.startsWith("Describe") && !a.startsWith("List")).toList();
    }

    /**
     * Makes every task set of {@code release} answer {@code STABILIZING} on the wire. moto 5.2.1 answers
     * {@code STEADY_STATE} for every task set from the moment it is created (and sends no running, pending or
     * computed desired counts); on AWS a new task set is {@code STABILIZING} until its tasks run and pass the target
     * group's health checks.
     */
    void neverStabilises(String release) {
        proxy.rewriteAnswers("DescribeTaskSets", body -> {
            try {
                var root = (ObjectNode) MAPPER.readTree(body);
                root.path("taskSets").forEach(t -> {
                    boolean ofRelease = false;
                    for (var tag : t.path("tags")) {
                        ofRelease |= Tags.RELEASE.equals(tag.path("key").asText()) && release.equals(tag.path("value").asText());
                    }
                    if (ofRelease) {
                        ((ObjectNode) t).put("stabilityStatus", "STABILIZING")
                                .put("runningCount", 0).put("pendingCount", 2).put("computedDesiredCount", 2);
                    }
                });
                return MAPPER.writeValueAsBytes(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    void stabilises() {
        proxy.rewriteAnswers("DescribeTaskSets", body -> body);
    }

    @Override
    public void close() {
        proxy.close();
    }
}
