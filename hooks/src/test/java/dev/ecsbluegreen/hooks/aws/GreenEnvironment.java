package dev.ecsbluegreen.hooks.aws;

import dev.ecsbluegreen.core.local.MotoQuirks;
import dev.ecsbluegreen.testing.FaultInjectingProxy;
import dev.ecsbluegreen.testing.Moto;
import java.util.List;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.ComputePlatform;
import software.amazon.awssdk.services.codedeploy.model.DeploymentOption;
import software.amazon.awssdk.services.codedeploy.model.DeploymentType;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * A CodeDeploy ECS blue/green set-up in moto as CodeDeploy leaves it at AfterAllowTestTraffic: an ALB with a
 * production listener (80 → blue) and a test listener (8080 → green), a deployment group naming both target
 * groups and listeners, and a deployment.
 */
final class GreenEnvironment implements AutoCloseable {
    final Ec2Client ec2;
    final ElasticLoadBalancingV2Client elb;
    final CodeDeployClient codeDeploy;
    final String vpcId;
    final LoadBalancer loadBalancer;
    final String blueTargetGroupArn;
    final String greenTargetGroupArn;
    final String productionListenerArn;
    final String testListenerArn;
    private final FaultInjectingProxy codeDeployProxy;

    GreenEnvironment(Moto moto, TargetTypeEnum targetType) {
        ec2 = moto.client(Ec2Client.builder());
        elb = moto.client(ElasticLoadBalancingV2Client.builder());
        try {
            codeDeployProxy = new FaultInjectingProxy(moto.endpoint());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        codeDeployProxy.rewriteAnswers("GetDeployment", MotoQuirks::codeDeployTimesAsEpochSeconds);
        codeDeploy = moto.client(CodeDeployClient.builder(), codeDeployProxy.endpoint());
        vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnetA = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String subnetB = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
        loadBalancer = elb.createLoadBalancer(r -> r.name("shop-alb").subnets(subnetA, subnetB)).loadBalancers().get(0);
        blueTargetGroupArn = targetGroup("shop-blue", targetType);
        greenTargetGroupArn = targetGroup("shop-green", targetType);
        productionListenerArn = listener(80, blueTargetGroupArn);
        testListenerArn = listener(8080, greenTargetGroupArn);
    }

    private String targetGroup(String name, TargetTypeEnum type) {
        return elb.createTargetGroup(r -> r.name(name).protocol(ProtocolEnum.HTTP).port(8080).vpcId(vpcId).targetType(type))
                .targetGroups().get(0).targetGroupArn();
    }

    private String listener(int port, String targetGroupArn) {
        return elb.createListener(r -> r.loadBalancerArn(loadBalancer.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(port)
                        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn)))
                .listeners().get(0).listenerArn();
    }

    /** The application, deployment group and a deployment; returns the deployment id. */
    String deployment(List<String> testListenerArns) {
        codeDeploy.createApplication(r -> r.applicationName("shop").computePlatform(ComputePlatform.ECS));
        codeDeploy.createDeploymentGroup(r -> r.applicationName("shop").deploymentGroupName("shop-web")
                .serviceRoleArn("arn:aws:iam::" + Moto.ACCOUNT + ":role/CodeDeployECSRole")
                .deploymentStyle(s -> s.deploymentType(DeploymentType.BLUE_GREEN)
                        .deploymentOption(DeploymentOption.WITH_TRAFFIC_CONTROL))
                .ecsServices(s -> s.clusterName("shop-cluster").serviceName("web"))
                .loadBalancerInfo(lb -> lb.targetGroupPairInfoList(pair -> pair
                        .targetGroups(tg -> tg.name("shop-blue"), tg -> tg.name("shop-green"))
                        .prodTrafficRoute(route -> route.listenerArns(productionListenerArn))
                        .testTrafficRoute(route -> route.listenerArns(testListenerArns)))));
        return codeDeploy.createDeployment(r -> r.applicationName("shop").deploymentGroupName("shop-web")
                .revision(rev -> rev.revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                        .appSpecContent(c -> c.content("{\"version\":0.0,\"Resources\":[]}")))).deploymentId();
    }

    @Override
    public void close() {
        codeDeployProxy.close();
    }
}
