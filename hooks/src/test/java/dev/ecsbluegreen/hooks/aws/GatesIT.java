package dev.ecsbluegreen.hooks.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.analysis.gate.GateResult;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.testing.Moto;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** The gates beyond HTTP through the real SDK against moto. */
class GatesIT {
    @RegisterExtension
    static final Moto moto = new Moto();

    @Test
    void targetHealthPassesWhenEveryRegisteredTargetOfGreenIsHealthy() {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.IP)) {
            aws.elb.registerTargets(r -> r.targetGroupArn(aws.greenTargetGroupArn)
                    .targets(t -> t.id("10.0.1.7").port(8080), t -> t.id("10.0.2.9").port(8080)));

            List<Gate.TargetState> targets = new ElbTargetHealth(aws.elb).targets(aws.greenTargetGroupArn);
            GateResult gate = Gate.judgeTargets(aws.greenTargetGroupArn, targets);

            assertEquals(2, targets.size());
            assertTrue(gate.passed(), gate.detail());
        }
    }

    @Test
    void targetHealthFailsAndNamesTheTargetThatIsNotHealthy() {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.INSTANCE)) {
            List<Instance> instances = aws.ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(2).maxCount(2)
                    .instanceType("t3.micro")).instances();
            String stopped = instances.get(1).instanceId();
            aws.elb.registerTargets(r -> r.targetGroupArn(aws.greenTargetGroupArn).targets(
                    t -> t.id(instances.get(0).instanceId()).port(8080), t -> t.id(stopped).port(8080)));
            aws.ec2.stopInstances(r -> r.instanceIds(stopped));

            GateResult gate = Gate.judgeTargets("shop-green",
                    new ElbTargetHealth(aws.elb).targets(aws.greenTargetGroupArn));

            assertFalse(gate.passed());
            assertEquals("1 of 2 targets of shop-green are not healthy — unused (Target.InvalidState): " + stopped + ":8080",
                    gate.detail());
        }
    }

    @Test
    void targetHealthFailsWhenGreenHasNoTargetsYet() {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.IP)) {
            GateResult gate = Gate.judgeTargets("shop-green", new ElbTargetHealth(aws.elb).targets(aws.greenTargetGroupArn));

            assertFalse(gate.passed());
            assertEquals("no targets are registered in shop-green", gate.detail());
        }
    }

    private static EcsClient ecsWithService(DeploymentControllerType controller) {
        EcsClient ecs = moto.client(EcsClient.builder());
        ecs.createCluster(r -> r.clusterName("shop-cluster"));
        ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("web").image("nginx").memory(256)));
        ecs.createService(r -> r.cluster("shop-cluster").serviceName("web").taskDefinition("web").desiredCount(2)
                .deploymentController(d -> d.type(controller)));
        return ecs;
    }

    @Test
    void taskCountsOfAnEcsControlledServiceComeFromItsPrimaryDeployment() {
        EcsClient ecs = ecsWithService(DeploymentControllerType.ECS);

        Gate.TaskCounts counts = new EcsTaskCounts(ecs).green("shop-cluster", "web", null);
        GateResult gate = Gate.judgeCounts(counts);

        assertTrue(counts.what().startsWith("primary deployment ecs-svc/"), counts.what());
        assertEquals(2, counts.desired());
        assertEquals(0, counts.running());
        assertFalse(gate.passed());
        assertTrue(gate.detail().endsWith("runs 0 of 2 tasks"), gate.detail());
    }

    @Test
    void taskCountsOfACodeDeployServiceComeFromTheTaskSetBehindGreensTargetGroup() {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.IP)) {
            EcsClient ecs = ecsWithService(DeploymentControllerType.CODE_DEPLOY);
            ecs.createTaskSet(r -> r.cluster("shop-cluster").service("web").taskDefinition("web")
                    .loadBalancers(lb -> lb.targetGroupArn(aws.blueTargetGroupArn).containerName("web").containerPort(8080)));
            String greenSet = ecs.createTaskSet(r -> r.cluster("shop-cluster").service("web").taskDefinition("web")
                    .loadBalancers(lb -> lb.targetGroupArn(aws.greenTargetGroupArn).containerName("web").containerPort(8080)))
                    .taskSet().id();

            Gate.TaskCounts counts = new EcsTaskCounts(ecs).green("shop-cluster", "web", aws.greenTargetGroupArn);

            // moto 5.2 keeps no task counts for task sets: the gate must refuse to guess
            assertTrue(counts.what().startsWith("task set " + greenSet), counts.what());
            assertNull(counts.running());
            assertFalse(Gate.judgeCounts(counts).passed());
        }
    }

    @Test
    void taskCountsNameTheServiceThatDoesNotExist() {
        EcsClient ecs = moto.client(EcsClient.builder());
        ecs.createCluster(r -> r.clusterName("shop-cluster"));

        AwsCallException e = assertThrows(AwsCallException.class,
                () -> new EcsTaskCounts(ecs).green("shop-cluster", "gone", null));

        assertEquals(AwsCallException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("gone"), e.getMessage());
    }
}
