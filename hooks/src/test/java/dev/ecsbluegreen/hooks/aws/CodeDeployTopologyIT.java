package dev.ecsbluegreen.hooks.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.hooks.Listener;
import dev.ecsbluegreen.hooks.codedeploy.DiscoveryException;
import dev.ecsbluegreen.hooks.codedeploy.Topology;
import dev.ecsbluegreen.testing.Moto;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** Discovery through the real SDK against moto: deployment → group → listeners → load balancer. */
class CodeDeployTopologyIT {
    @RegisterExtension
    static final Moto moto = new Moto();

    @Test
    void findsTheTestListenersUrlAndGreenTargetGroupFromTheDeployment() {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.IP)) {
            String deploymentId = aws.deployment(List.of(aws.testListenerArn));

            Topology topology = new CodeDeployTopology(aws.codeDeploy, aws.elb).describe(deploymentId);

            String dns = aws.loadBalancer.dnsName();
            assertEquals("shop/shop-web", topology.deploymentGroup());
            assertEquals(URI.create("http://" + dns + ":8080"), topology.route(Listener.TEST).baseUrl());
            assertEquals(aws.greenTargetGroupArn, topology.route(Listener.TEST).targetGroupArn());
            assertEquals(URI.create("http://" + dns), topology.route(Listener.PRODUCTION).baseUrl());
            assertEquals(aws.blueTargetGroupArn, topology.route(Listener.PRODUCTION).targetGroupArn());
            assertEquals("shop-cluster", topology.cluster());
            assertEquals("web", topology.service());
        }
    }

    @Test
    void takesTheHeaviestTargetGroupOfAWeightedForward() {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.IP)) {
            aws.elb.modifyListener(r -> r.listenerArn(aws.testListenerArn).defaultActions(a -> a.type(ActionTypeEnum.FORWARD)
                    .forwardConfig(f -> f.targetGroups(
                            t -> t.targetGroupArn(aws.blueTargetGroupArn).weight(0),
                            t -> t.targetGroupArn(aws.greenTargetGroupArn).weight(100)))));
            String deploymentId = aws.deployment(List.of(aws.testListenerArn));

            Topology topology = new CodeDeployTopology(aws.codeDeploy, aws.elb).describe(deploymentId);

            assertEquals(aws.greenTargetGroupArn, topology.route(Listener.TEST).targetGroupArn());
        }
    }

    @Test
    void saysWhatIsMissingWhenTheGroupHasNoTestListener() {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.IP)) {
            String deploymentId = aws.deployment(List.of());

            Topology topology = new CodeDeployTopology(aws.codeDeploy, aws.elb).describe(deploymentId);

            assertNull(topology.test());
            DiscoveryException e = assertThrows(DiscoveryException.class, () -> topology.route(Listener.TEST));
            assertTrue(e.getMessage().contains("shop/shop-web has no test listener"), e.getMessage());
        }
    }

    @Test
    void namesTheActionWhenTheDeploymentDoesNotExist() {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.IP)) {

            AwsCallException e = assertThrows(AwsCallException.class,
                    () -> new CodeDeployTopology(aws.codeDeploy, aws.elb).describe("d-NOPE00000"));

            assertEquals("codedeploy:GetDeployment", e.action());
        }
    }
}
