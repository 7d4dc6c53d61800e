package dev.ecsbluegreen.sandbox.aws;

import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.core.aws.ElbForwards;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.sandbox.Names;
import dev.ecsbluegreen.sandbox.Routing;
import dev.ecsbluegreen.sandbox.RoutingSource;
import dev.ecsbluegreen.sandbox.TaskSetRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.ComputePlatform;
import software.amazon.awssdk.services.codedeploy.model.DeploymentOption;
import software.amazon.awssdk.services.codedeploy.model.DeploymentType;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The sandbox's view of the AWS emulator: builds the control plane of an ECS blue/green service behind an ALB
 * (as CodeDeploy leaves it at AfterAllowTestTraffic: live listener → blue, test listener → green; or, for the
 * external controller, a service of task sets) and reads back where the load balancer routes and which task sets
 * run. Thread-safe after {@link #create} or {@link #createExternal}.
 */
public final class Emulator implements RoutingSource, TaskSetRegistry, AutoCloseable {
    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCOUNT = "123456789012";
    public static final int LIVE_PORT = 80;
    public static final int TEST_PORT = 8080;
    /** The target group port: where ECS tasks of the demo application would listen. */
    static final int CONTAINER_PORT = 8080;
    /** The demo application's image repository in the external mode's task definitions ({@link #image}). */
    public static final String IMAGE_REPOSITORY = "sandbox/demo";

    private final Ec2Client ec2;
    private final ElasticLoadBalancingV2Client elb;
    private final CodeDeployClient codeDeploy;
    private final EcsClient ecs;
    private final Names names;
    private volatile Created created;
    /** Task definition ARN → its container {@code web}'s image: task definitions do not change. */
    private final Map<String, String> images = new ConcurrentHashMap<>();

    /**
     * What {@link #create} or {@link #createExternal} made.
     *
     * @param deploymentId moto's CodeDeploy deployment; null for {@link #createExternal}, which makes none
     * @param reportedRunningTasks the running count moto reports for the service; null when it reports none
     */
    public record Created(String vpcId, List<String> subnetIds, String loadBalancerArn, String loadBalancerDns,
                          String blueTargetGroupArn, String greenTargetGroupArn, String liveListenerArn,
                          String testListenerArn, String deploymentId, int desiredTasks, Integer reportedRunningTasks) {}

    public Emulator(URI endpoint, Names names) {
        this.ec2 = client(Ec2Client.builder(), endpoint);
        this.elb = client(ElasticLoadBalancingV2Client.builder(), endpoint);
        this.codeDeploy = client(CodeDeployClient.builder(), endpoint);
        this.ecs = client(EcsClient.builder(), endpoint);
        this.names = names;
    }

    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, URI endpoint) {
        return AwsClients.configure(builder)
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("sandbox", "sandbox")))
                .build();
    }

    /**
     * Creates the load balancer (live {@value #LIVE_PORT} → blue, test {@value #TEST_PORT} → green, each with a
     * default action and a priority-1 {@code *} rule, as in the reference architecture), the target groups with
     * their {@code IsProduction} tags and one loopback target each, the ECS service, the CodeDeploy application
     * and deployment group naming all of it, and a deployment.
     *
     * @param bluePort  the loopback port blue listens on
     * @param greenPort the loopback port green listens on
     * @param hookFunctions the Lambda function names of the appspec's hooks, by hook name
     */
    public Created create(int bluePort, int greenPort, Map<String, String> hookFunctions) {
        Network network = network(true);
        String vpc = network.vpc();
        List<String> subnets = network.subnets();
        LoadBalancer alb = network.alb();
        String blue = network.blue();
        String green = network.green();
        String live = network.live();
        String test = network.test();
        tagIsProduction(blue, "true");
        tagIsProduction(green, "false");
        registerLoopback(blue, List.of(bluePort));
        registerLoopback(green, List.of(greenPort));

        int desiredTasks = 1;
        AwsCalls.call("ecs:CreateCluster", () -> ecs.createCluster(b -> b.clusterName(names.cluster())));
        AwsCalls.call("ecs:RegisterTaskDefinition", () -> ecs.registerTaskDefinition(b -> b.family(names.taskFamily())
                .containerDefinitions(c -> c.name("web").image("demo-app:v2").memory(256)
                        .portMappings(p -> p.containerPort(CONTAINER_PORT)))));
        // moto reports task counts only for services under the ECS deployment controller (CODE_DEPLOY in AWS)
        Service service = AwsCalls.call("ecs:CreateService", () -> ecs.createService(b -> b.cluster(names.cluster())
                .serviceName(names.service()).taskDefinition(names.taskFamily()).desiredCount(desiredTasks)
                .deploymentController(d -> d.type(DeploymentControllerType.ECS))
                .loadBalancers(l -> l.targetGroupArn(blue).containerName("web").containerPort(CONTAINER_PORT)))).service();
        Integer running = service.deployments().stream().filter(d -> "PRIMARY".equals(d.status()))
                .map(d -> d.runningCount()).findFirst().orElse(null);

        AwsCalls.call("codedeploy:CreateApplication", () -> codeDeploy.createApplication(b -> b
                .applicationName(names.application()).computePlatform(ComputePlatform.ECS)));
        AwsCalls.call("codedeploy:CreateDeploymentGroup", () -> codeDeploy.createDeploymentGroup(b -> b
                .applicationName(names.application()).deploymentGroupName(names.deploymentGroup())
                .serviceRoleArn("arn:aws:iam::" + ACCOUNT + ":role/CodeDeployECSRole")
                .deploymentConfigName("CodeDeployDefault.ECSAllAtOnce")
                .deploymentStyle(s -> s.deploymentType(DeploymentType.BLUE_GREEN)
                        .deploymentOption(DeploymentOption.WITH_TRAFFIC_CONTROL))
                .ecsServices(s -> s.clusterName(names.cluster()).serviceName(names.service()))
                .loadBalancerInfo(lb -> lb.targetGroupPairInfoList(pair -> pair
                        .targetGroups(tg -> tg.name(names.blueTargetGroup()), tg -> tg.name(names.greenTargetGroup()))
                        .prodTrafficRoute(route -> route.listenerArns(live))
                        .testTrafficRoute(route -> route.listenerArns(test))))));
        String appSpec = appSpec(hookFunctions);
        String deploymentId = AwsCalls.call("codedeploy:CreateDeployment", () -> codeDeploy.createDeployment(b -> b
                .applicationName(names.application()).deploymentGroupName(names.deploymentGroup())
                .revision(rev -> rev.revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                        .appSpecContent(c -> c.content(appSpec))))).deploymentId();
        created = new Created(vpc, subnets, alb.loadBalancerArn(), alb.dnsName(), blue, green, live, test,
                deploymentId, desiredTasks, running);
        return created;
    }

    /** The VPC, load balancer, target groups and listeners both modes share. */
    private record Network(String vpc, List<String> subnets, LoadBalancer alb, String blue, String green, String live,
                           String test) {}

    /** @param rules whether each listener gets a priority-1 {@code *} rule beside its default action */
    private Network network(boolean rules) {
        String vpc = AwsCalls.call("ec2:CreateVpc", () -> ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16"))).vpc().vpcId();
        List<String> subnets = new ArrayList<>();
        for (String[] subnet : new String[][]{{"10.0.1.0/24", "us-east-1a"}, {"10.0.2.0/24", "us-east-1b"}}) {
            subnets.add(AwsCalls.call("ec2:CreateSubnet", () -> ec2.createSubnet(b -> b.vpcId(vpc)
                    .cidrBlock(subnet[0]).availabilityZone(subnet[1]))).subnet().subnetId());
        }
        LoadBalancer alb = AwsCalls.call("elasticloadbalancing:CreateLoadBalancer",
                () -> elb.createLoadBalancer(b -> b.name(names.loadBalancer()).subnets(subnets))).loadBalancers().get(0);
        String blue = targetGroup(names.blueTargetGroup(), vpc);
        String green = targetGroup(names.greenTargetGroup(), vpc);
        String live = listener(alb.loadBalancerArn(), LIVE_PORT, blue, rules);
        String test = listener(alb.loadBalancerArn(), TEST_PORT, green, rules);
        return new Network(vpc, subnets, alb, blue, green, live, test);
    }

    /**
     * The control plane of a service under the EXTERNAL deployment controller, as docs/external-controller.md's
     * "What it needs" sets it up: the load balancer (live {@value #LIVE_PORT} → blue, test {@value #TEST_PORT} →
     * green, default actions only: the controller reads and writes nothing else), the two target groups with no
     * targets (ECS registers a task set's tasks; in the sandbox {@code TaskSetTargets} does), the service with
     * {@code deploymentController EXTERNAL}, a task definition whose container {@code web} runs
     * {@link #image image(blueVersion)}, and blue's task set on blue's target group at 100 %, made primary. No
     * CodeDeploy resources.
     */
    public Created createExternal(String blueVersion) {
        Network network = network(false);
        int desiredTasks = 1;
        AwsCalls.call("ecs:CreateCluster", () -> ecs.createCluster(b -> b.clusterName(names.cluster())));
        String definition = AwsCalls.call("ecs:RegisterTaskDefinition", () -> ecs.registerTaskDefinition(b -> b
                .family(names.taskFamily()).containerDefinitions(c -> c.name("web").image(image(blueVersion)).memory(256)
                        .portMappings(p -> p.containerPort(CONTAINER_PORT))))).taskDefinition().taskDefinitionArn();
        AwsCalls.call("ecs:CreateService", () -> ecs.createService(b -> b.cluster(names.cluster())
                .serviceName(names.service()).desiredCount(desiredTasks)
                .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL))));
        String blueTaskSet = AwsCalls.call("ecs:CreateTaskSet", () -> ecs.createTaskSet(b -> b.cluster(names.cluster())
                .service(names.service()).taskDefinition(definition).launchType(LaunchType.FARGATE)
                .scale(s -> s.unit(ScaleUnit.PERCENT).value(100.0))
                .loadBalancers(l -> l.targetGroupArn(network.blue()).containerName("web").containerPort(CONTAINER_PORT))))
                .taskSet().taskSetArn();
        AwsCalls.call("ecs:UpdateServicePrimaryTaskSet", () -> ecs.updateServicePrimaryTaskSet(b -> b
                .cluster(names.cluster()).service(names.service()).primaryTaskSet(blueTaskSet)));
        created = new Created(network.vpc(), network.subnets(), network.alb().loadBalancerArn(), network.alb().dnsName(),
                network.blue(), network.green(), network.live(), network.test(), null, desiredTasks, null);
        return created;
    }

    /** The image a task definition names to run the demo application of {@code version}: {@code sandbox/demo:v1}. */
    public static String image(String version) {
        return IMAGE_REPOSITORY + ":" + version;
    }

    /** The version an image of {@link #image} names ({@code v2} of {@code sandbox/demo:v2}), or null for another image. */
    public static String version(String image) {
        String prefix = IMAGE_REPOSITORY + ":";
        return image != null && image.startsWith(prefix) && image.length() > prefix.length()
                ? image.substring(prefix.length()) : null;
    }

    /**
     * One of the service's task sets, as the sandbox reads it back.
     *
     * @param status         {@code PRIMARY}, {@code ACTIVE} or {@code DRAINING}
     * @param targetGroupArn the target group of its (first) load balancer, or null
     * @param scalePercent   its scale, in percent of the service's desired count
     * @param image          the image of its task definition's container {@code web}, or null
     */
    public record TaskSet(String arn, String id, String status, String targetGroupArn, double scalePercent,
                          String taskDefinitionArn, String image, String stabilityStatus) {
        public boolean primary() {
            return "PRIMARY".equals(status);
        }
    }

    /** The service's task sets, in ECS's order; their task definitions' images are read once each and kept. */
    @Override
    public List<TaskSet> taskSets() {
        return AwsCalls.call("ecs:DescribeTaskSets", () -> ecs.describeTaskSets(b -> b.cluster(names.cluster())
                .service(names.service()))).taskSets().stream()
                .map(t -> new TaskSet(t.taskSetArn(), t.id(), t.status(),
                        t.hasLoadBalancers() && !t.loadBalancers().isEmpty() ? t.loadBalancers().get(0).targetGroupArn() : null,
                        t.scale() == null || t.scale().value() == null ? 0.0 : t.scale().value(), t.taskDefinition(),
                        imageOf(t.taskDefinition()), t.stabilityStatusAsString()))
                .toList();
    }

    private String imageOf(String taskDefinitionArn) {
        if (taskDefinitionArn == null) {
            return null;
        }
        return images.computeIfAbsent(taskDefinitionArn, arn -> AwsCalls.call("ecs:DescribeTaskDefinition",
                        () -> ecs.describeTaskDefinition(b -> b.taskDefinition(arn))).taskDefinition().containerDefinitions()
                .stream().filter(c -> "web".equals(c.name())).map(ContainerDefinition::image).findFirst().orElse(""));
    }

    /** ACTIVE or INACTIVE: whether the task definition is still registered. */
    public String taskDefinitionStatus(String taskDefinitionArn) {
        return AwsCalls.call("ecs:DescribeTaskDefinition", () -> ecs.describeTaskDefinition(b -> b
                .taskDefinition(taskDefinitionArn))).taskDefinition().statusAsString();
    }

    /** The loopback ports registered as targets of the target group (targets on other addresses are left out). */
    @Override
    public Set<Integer> registeredPorts(String targetGroupArn) {
        Set<Integer> ports = new TreeSet<>();
        AwsCalls.call("elasticloadbalancing:DescribeTargetHealth", () -> elb.describeTargetHealth(b -> b
                        .targetGroupArn(targetGroupArn))).targetHealthDescriptions().stream()
                .filter(d -> "127.0.0.1".equals(d.target().id()))
                .forEach(d -> ports.add(d.target().port() == null ? CONTAINER_PORT : d.target().port()));
        return ports;
    }

    @Override
    public void register(String targetGroupArn, Set<Integer> ports) {
        registerLoopback(targetGroupArn, ports);
    }

    @Override
    public void deregister(String targetGroupArn, Set<Integer> ports) {
        if (ports.isEmpty()) {
            return;
        }
        AwsCalls.call("elasticloadbalancing:DeregisterTargets", () -> elb.deregisterTargets(b -> b
                .targetGroupArn(targetGroupArn).targets(ports.stream()
                        .map(port -> TargetDescription.builder().id("127.0.0.1").port(port).build()).toList())));
    }

    /** An ECS appspec as CodeDeploy reads it: the task definition, the container behind the load balancer, the hooks. */
    private String appSpec(Map<String, String> hookFunctions) {
        StringBuilder hooks = new StringBuilder();
        hookFunctions.forEach((hook, function) -> hooks.append(hooks.isEmpty() ? "" : ",")
                .append("{\"").append(hook).append("\":\"").append(function).append("\"}"));
        return "{\"version\":0.0,\"Resources\":[{\"TargetService\":{\"Type\":\"AWS::ECS::Service\",\"Properties\":{"
                + "\"TaskDefinition\":\"arn:aws:ecs:" + REGION.id() + ":" + ACCOUNT + ":task-definition/"
                + names.taskFamily() + ":1\",\"LoadBalancerInfo\":{\"ContainerName\":\"web\",\"ContainerPort\":"
                + CONTAINER_PORT + "}}}}],\"Hooks\":[" + hooks + "]}";
    }

    private String targetGroup(String name, String vpc) {
        return AwsCalls.call("elasticloadbalancing:CreateTargetGroup", () -> elb.createTargetGroup(b -> b
                        .name(name).protocol(ProtocolEnum.HTTP).port(CONTAINER_PORT).vpcId(vpc)
                        .targetType(TargetTypeEnum.IP).healthCheckPath("/health")))
                .targetGroups().get(0).targetGroupArn();
    }

    private void tagIsProduction(String targetGroupArn, String isProduction) {
        AwsCalls.call("elasticloadbalancing:AddTags", () -> elb.addTags(b -> b.resourceArns(targetGroupArn)
                .tags(t -> t.key("IsProduction").value(isProduction))));
    }

    private void registerLoopback(String targetGroupArn, java.util.Collection<Integer> ports) {
        if (ports.isEmpty()) {
            return;
        }
        AwsCalls.call("elasticloadbalancing:RegisterTargets", () -> elb.registerTargets(b -> b.targetGroupArn(targetGroupArn)
                .targets(ports.stream().map(port -> TargetDescription.builder().id("127.0.0.1").port(port).build()).toList())));
    }

    private String listener(String loadBalancerArn, int port, String targetGroupArn, boolean rule) {
        Action forward = Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
        String arn = AwsCalls.call("elasticloadbalancing:CreateListener", () -> elb.createListener(b -> b
                .loadBalancerArn(loadBalancerArn).protocol(ProtocolEnum.HTTP).port(port).defaultActions(forward)))
                .listeners().get(0).listenerArn();
        if (rule) {
            AwsCalls.call("elasticloadbalancing:CreateRule", () -> elb.createRule(b -> b.listenerArn(arn).priority(1)
                    .conditions(c -> c.field("path-pattern").values("*")).actions(forward)));
        }
        return arn;
    }

    @Override
    public Routing read() {
        Created made = created;
        if (made == null) {
            throw new IllegalStateException("nothing created yet");
        }
        Map<Integer, Routing.Listener> listeners = new LinkedHashMap<>();
        AwsCalls.call("elasticloadbalancing:DescribeListeners",
                () -> elb.describeListeners(b -> b.loadBalancerArn(made.loadBalancerArn()))).listeners()
                .forEach(listener -> listeners.put(listener.port(), new Routing.Listener(listener.port(),
                        listener.listenerArn(), rules(elb, listener.listenerArn()))));
        List<TargetGroup> groups = AwsCalls.call("elasticloadbalancing:DescribeTargetGroups",
                () -> elb.describeTargetGroups(b -> b.targetGroupArns(made.blueTargetGroupArn(), made.greenTargetGroupArn())))
                .targetGroups();
        Map<String, String> isProduction = new HashMap<>();
        for (TagDescription description : AwsCalls.call("elasticloadbalancing:DescribeTags",
                () -> elb.describeTags(b -> b.resourceArns(groups.stream().map(TargetGroup::targetGroupArn).toList())))
                .tagDescriptions()) {
            description.tags().stream().filter(tag -> "IsProduction".equals(tag.key()))
                    .forEach(tag -> isProduction.put(description.resourceArn(), tag.value()));
        }
        Map<String, Routing.TargetGroup> targetGroups = new LinkedHashMap<>();
        for (TargetGroup group : groups) {
            List<Routing.Target> targets = AwsCalls.call("elasticloadbalancing:DescribeTargetHealth",
                            () -> elb.describeTargetHealth(b -> b.targetGroupArn(group.targetGroupArn())))
                    .targetHealthDescriptions().stream()
                    .map(Emulator::target)
                    .toList();
            targetGroups.put(group.targetGroupArn(), new Routing.TargetGroup(group.targetGroupArn(),
                    group.targetGroupName(), targets, isProduction.get(group.targetGroupArn())));
        }
        return new Routing(listeners, targetGroups);
    }

    private static Routing.Target target(TargetHealthDescription description) {
        boolean healthy = description.targetHealth() != null && "healthy".equals(description.targetHealth().stateAsString());
        return new Routing.Target(description.target().id(),
                description.target().port() == null ? CONTAINER_PORT : description.target().port(), healthy);
    }

    /** A listener's rules in the order ELB evaluates them (the default rule last), every page; also for stacks the sandbox did not create. */
    public static List<Routing.Rule> rules(ElasticLoadBalancingV2Client elb, String listenerArn) {
        List<Rule> rules = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            var response = AwsCalls.call("elasticloadbalancing:DescribeRules",
                    () -> elb.describeRules(b -> b.listenerArn(listenerArn).marker(page)));
            rules.addAll(response.rules());
            marker = response.nextMarker();
        } while (marker != null && !marker.isEmpty());
        return rules.stream()
                .sorted(Comparator.comparingInt(r -> Boolean.TRUE.equals(r.isDefault()) || "default".equals(r.priority())
                        ? Integer.MAX_VALUE : Integer.parseInt(r.priority())))
                .map(Emulator::rule)
                .toList();
    }

    private static Routing.Rule rule(Rule rule) {
        List<Routing.Condition> conditions = rule.conditions().stream()
                .map(c -> new Routing.Condition(c.field(), conditionValues(c)))
                .toList();
        for (Action action : rule.actions()) {
            Optional<Forward> forward = ElbForwards.read(action);
            if (forward.isPresent()) {
                return new Routing.Rule(rule.priority(), conditions, forward.get(), null);
            }
            if (action.type() != ActionTypeEnum.AUTHENTICATE_OIDC && action.type() != ActionTypeEnum.AUTHENTICATE_COGNITO) {
                return new Routing.Rule(rule.priority(), conditions, null, action.typeAsString());
            }
        }
        return new Routing.Rule(rule.priority(), conditions, null, "none");
    }

    private static List<String> conditionValues(software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition c) {
        if (c.pathPatternConfig() != null && c.pathPatternConfig().hasValues()) {
            return c.pathPatternConfig().values();
        }
        if (c.hostHeaderConfig() != null && c.hostHeaderConfig().hasValues()) {
            return c.hostHeaderConfig().values();
        }
        return c.values();
    }

    /** The ARN of the listener's rule of {@code priority} ("1", …). */
    public String ruleArn(String listenerArn, String priority) {
        return AwsCalls.call("elasticloadbalancing:DescribeRules", () -> elb.describeRules(b -> b.listenerArn(listenerArn)))
                .rules().stream().filter(rule -> priority.equals(rule.priority())).map(Rule::ruleArn).findFirst()
                .orElseThrow(() -> new IllegalStateException("listener " + listenerArn + " has no rule of priority " + priority));
    }

    /**
     * Points a rule at its target groups by weight, as Amazon ECS does at each traffic shift: {@code ModifyRule} with
     * one weighted forward (the sandbox's rules hold nothing else).
     *
     * @param weights target group ARN → weight, in the order to write them
     */
    public void forward(String ruleArn, Map<String, Integer> weights) {
        List<TargetGroupTuple> groups = weights.entrySet().stream()
                .map(e -> TargetGroupTuple.builder().targetGroupArn(e.getKey()).weight(e.getValue()).build()).toList();
        AwsCalls.call("elasticloadbalancing:ModifyRule", () -> elb.modifyRule(b -> b.ruleArn(ruleArn)
                .actions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f -> f.targetGroups(groups)))));
    }

    /**
     * Makes the ECS service what Amazon ECS's own blue/green deployment reads (and what a hook discovers the
     * deployment from): {@code loadBalancers[0]} names blue's target group and, in {@code advancedConfiguration},
     * green's, the live and test listeners' rules and the role ECS would change them with; and the deployment
     * strategy (moto keeps the load balancers verbatim and drops the strategy).
     *
     * @param strategy {@code LINEAR} or {@code CANARY}
     * @param stepPercent green's share after the first step
     * @return the service's ARN
     */
    public String configureEcsBlueGreen(String productionRuleArn, String testRuleArn, String strategy, int stepPercent) {
        Created made = created;
        String role = "arn:aws:iam::" + ACCOUNT + ":role/ecsInfrastructureRoleForLoadBalancers";
        return AwsCalls.call("ecs:UpdateService", () -> ecs.updateService(b -> b.cluster(names.cluster()).service(names.service())
                .loadBalancers(l -> l.targetGroupArn(made.blueTargetGroupArn()).containerName("web").containerPort(CONTAINER_PORT)
                        .advancedConfiguration(a -> a.alternateTargetGroupArn(made.greenTargetGroupArn())
                                .productionListenerRule(productionRuleArn).testListenerRule(testRuleArn).roleArn(role)))
                .deploymentConfiguration(d -> {
                    d.strategy(strategy).bakeTimeInMinutes(0);
                    if (strategy.equals("LINEAR")) {
                        d.linearConfiguration(c -> c.stepPercent((double) stepPercent).stepBakeTimeInMinutes(0));
                    } else {
                        d.canaryConfiguration(c -> c.canaryPercent((double) stepPercent).canaryBakeTimeInMinutes(0));
                    }
                }))).service().serviceArn();
    }

    /** Tags the load balancer, as an operator does with {@code aws elbv2 add-tags}. */
    public void tagLoadBalancer(String key, String value) {
        String arn = created().loadBalancerArn();
        AwsCalls.call("elasticloadbalancing:AddTags", () -> elb.addTags(b -> b.resourceArns(arn)
                .tags(t -> t.key(key).value(value))));
    }

    public Created created() {
        return created;
    }

    public Names names() {
        return names;
    }

    @Override
    public void close() {
        ec2.close();
        elb.close();
        codeDeploy.close();
        ecs.close();
    }

    /**
     * Deletes what {@link #create} or {@link #createExternal} made, for a shared emulator. Every step is attempted. The CodeDeploy
     * application, deployment group and deployment stay: moto 5.2 implements no CodeDeploy delete (their names
     * carry the run's suffix, so they collide with nothing).
     *
     * @return what could not be deleted, one entry per failed call (empty when everything went)
     */
    public List<String> delete() {
        Created made = created;
        if (made == null) {
            return List.of();
        }
        Map<String, Runnable> steps = new LinkedHashMap<>();
        if (made.deploymentId() == null) {
            // the external mode's service: its task sets go first (the controller leaves one, a failed run more)
            steps.put("ecs:DeleteTaskSet (every task set)", () -> taskSets().forEach(t -> ecs.deleteTaskSet(b -> b
                    .cluster(names.cluster()).service(names.service()).taskSet(t.arn()).force(true))));
        }
        steps.put("ecs:DeleteService", () -> ecs.deleteService(b -> b.cluster(names.cluster()).service(names.service()).force(true)));
        steps.put("ecs:DeleteCluster", () -> ecs.deleteCluster(b -> b.cluster(names.cluster())));
        // every revision still registered: the external controller registers one per release
        steps.put("ecs:DeregisterTaskDefinition", () -> ecs.listTaskDefinitions(b -> b.familyPrefix(names.taskFamily())
                .status(TaskDefinitionStatus.ACTIVE)).taskDefinitionArns()
                .forEach(arn -> ecs.deregisterTaskDefinition(b -> b.taskDefinition(arn))));
        steps.put("elasticloadbalancing:DeleteListener (live)", () -> elb.deleteListener(b -> b.listenerArn(made.liveListenerArn())));
        steps.put("elasticloadbalancing:DeleteListener (test)", () -> elb.deleteListener(b -> b.listenerArn(made.testListenerArn())));
        steps.put("elasticloadbalancing:DeleteLoadBalancer", () -> elb.deleteLoadBalancer(b -> b.loadBalancerArn(made.loadBalancerArn())));
        steps.put("elasticloadbalancing:DeleteTargetGroup (blue)", () -> elb.deleteTargetGroup(b -> b.targetGroupArn(made.blueTargetGroupArn())));
        steps.put("elasticloadbalancing:DeleteTargetGroup (green)", () -> elb.deleteTargetGroup(b -> b.targetGroupArn(made.greenTargetGroupArn())));
        for (String subnet : made.subnetIds()) {
            steps.put("ec2:DeleteSubnet " + subnet, () -> ec2.deleteSubnet(b -> b.subnetId(subnet)));
        }
        steps.put("ec2:DeleteVpc", () -> ec2.deleteVpc(b -> b.vpcId(made.vpcId())));
        List<String> failed = new ArrayList<>();
        steps.forEach((action, step) -> {
            try {
                AwsCalls.call(action, () -> {
                    step.run();
                    return null;
                });
            } catch (RuntimeException e) {
                failed.add(e.getMessage());
            }
        });
        return failed;
    }
}
