package dev.ecsbluegreen.sandbox.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.core.local.MotoServer;
import dev.ecsbluegreen.sandbox.DataPlane;
import dev.ecsbluegreen.sandbox.FunctionRunner;
import dev.ecsbluegreen.sandbox.ReportRecorder;
import dev.ecsbluegreen.sandbox.Routing;
import dev.ecsbluegreen.testing.EventFiles;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The reference pipeline example ({@code examples/reference-pipeline}) checked against the emulator, not only
 * linted: moto's CloudFormation creates the example's infrastructure stack and what it implements of the pipeline
 * stack (the test prints what it skipped and why), then the real functions, run from their shaded jars as Lambda runs
 * them, release green on what the stacks created — the hook through the pipeline's own validation state machine
 * and input, the swap function with the pipeline's own UserParameters, reporting to the recording CodePipeline
 * endpoint. So the example's layout is one the functions handle.
 */
class ReferencePipelineIT {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Path ROOT = EventFiles.repositoryRoot();
    private static final Path EXAMPLE = ROOT.resolve("examples/reference-pipeline");
    private static final Region REGION = Region.US_EAST_1;
    private static final String ACCOUNT = "123456789012";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern PIPELINE_VARIABLE = Pattern.compile("#\\{([A-Za-z0-9_]+\\.[A-Za-z0-9_]+)}");

    @Test
    void theFunctionsReleaseGreenOnWhatTheExampleCreates() throws Exception {
        for (String jar : List.of("swap-function/target/swap-function.jar", "hooks/target/hooks.jar")) {
            assertTrue(Files.isRegularFile(ROOT.resolve(jar)), ROOT.resolve(jar) + " is missing: the reactor builds it "
                    + "before this module (./mvnw verify, or ./mvnw -DskipTests install first)");
        }
        JsonNode infrastructure = CloudFormationTemplate.read(EXAMPLE.resolve("infrastructure.yaml"));
        JsonNode pipeline = CloudFormationTemplate.read(EXAMPLE.resolve("pipeline.yaml"));
        JsonNode functions = CloudFormationTemplate.read(ROOT.resolve("template.yaml"));
        List<AutoCloseable> started = new ArrayList<>();
        try {
            MotoServer moto = keep(started, MotoServer.provision(Map.of()));
            // a shared server (MOTO_ENDPOINT) gets names of this run's own; the stacks are deleted at the end
            String name = "refpipe" + (moto.external() ? "-" + UUID.randomUUID().toString().substring(0, 6) : "");
            CloudFormationClient cloudFormation = keep(started, client(CloudFormationClient.builder(), moto.endpoint()));
            ElasticLoadBalancingV2Client elb = keep(started, client(ElasticLoadBalancingV2Client.builder(), moto.endpoint()));
            Ec2Client ec2 = keep(started, client(Ec2Client.builder(), moto.endpoint()));
            SfnClient sfn = keep(started, client(SfnClient.builder(), moto.endpoint()));
            List<String> stacks = new ArrayList<>();
            if (moto.external()) {
                started.add(() -> {
                    for (int i = stacks.size() - 1; i >= 0; i--) {
                        String stack = stacks.get(i);
                        cloudFormation.deleteStack(b -> b.stackName(stack));
                    }
                });
            }

            // ---- part 1: the infrastructure, as ./deploy names it
            EmulatorStack infra = EmulatorStack.create(cloudFormation, name + "-infrastructure", infrastructure,
                    infrastructureParameters(name));
            stacks.add(infra.name());
            System.out.println(infra.describe());
            assertTrue(infra.skipped().isEmpty(), "the infrastructure is meant to be all the emulator can create: " + infra.describe());
            theNetworkIsTwoPublicSubnetsWithARouteOutAndTwoPrivateOnesWithout(ec2, infrastructure, infra);
            addTheTargetGroupsTags(elb, infrastructure, infra);

            // ECS would register each service's Fargate tasks with its target group: a local server per service
            HttpServer blueTask = keep(started, app("hello from blue v1\n", 0, new AtomicInteger()));
            AtomicInteger greenRequests = new AtomicInteger();
            // green warms up: its first answers are 503, so the hook's first call fails and it is called again
            HttpServer greenTask = keep(started, app("hello from green v2\n", 3, greenRequests));
            Map<String, HttpServer> tasks = Map.of("BlueService", blueTask, "GreenService", greenTask);
            Map<String, String> targetGroupOfService = targetGroupOfEachService(infrastructure, infra);
            targetGroupOfService.forEach((service, targetGroup) -> elb.registerTargets(b -> b.targetGroupArn(targetGroup)
                    .targets(t -> t.id("127.0.0.1").port(tasks.get(service).getAddress().getPort()))));

            int livePort = Integer.parseInt(infra.outputs().get("LiveListenerPort"));
            int testPort = Integer.parseInt(infra.outputs().get("TestListenerPort"));
            String blueGroup = infra.outputs().get("BlueTargetGroupArn");
            String greenGroup = infra.outputs().get("GreenTargetGroupArn");
            LoadBalancerRouting routing = new LoadBalancerRouting(elb, infra.outputs().get("LoadBalancerArn"),
                    List.of(blueGroup, greenGroup));
            DataPlane dataPlane = keep(started, new DataPlane(routing, List.of(livePort, testPort)));
            System.out.println("the load balancer's DNS name does not resolve here: its listeners :" + livePort + " and :"
                    + testPort + " are served at " + dataPlane.url(livePort) + " and " + dataPlane.url(testPort)
                    + ", routed as the emulator's listeners say");
            assertEquals("hello from blue v1\n", get(dataPlane.url(livePort)).body(), "before the release live is blue");

            // ---- part 2: the functions stack's outputs, as this project's template.yaml would give them
            String functionsStack = name + "-functions";
            Map<String, String> functionOutputs = Map.of(
                    "SwapFunctionName", functionsStack + "-SwapFunction-EXAMPLE1234",
                    "AfterAllowTestTrafficHookAliasArn", "arn:aws:lambda:" + REGION.id() + ":" + ACCOUNT
                            + ":function:CodeDeployHook_" + functionsStack + "-AfterAllowTestTraffic:live");
            Map<String, String> functionParameters = Map.of(
                    "LoadBalancerArn", infra.outputs().get("LoadBalancerArn"),
                    "TargetGroupArns", blueGroup + "," + greenGroup,
                    "EcsClusterName", infra.outputs().get("ClusterName"));

            // ---- part 3: the pipeline, its parameters taken from the outputs before it as ./deploy takes them
            Map<String, String> pipelineParameters = new LinkedHashMap<>(pipelineNames(name));
            pipeline.get("Parameters").properties().forEach(e -> {
                String value = infra.outputs().getOrDefault(e.getKey(), functionOutputs.get(e.getKey()));
                if (value != null) {
                    pipelineParameters.put(e.getKey(), value);
                }
            });
            EmulatorStack release = EmulatorStack.create(cloudFormation, name + "-pipeline", pipeline, pipelineParameters);
            stacks.add(release.name());
            System.out.println(release.describe());
            assertEquals(Set.of("AWS::CodePipeline::Pipeline", "AWS::CodeBuild::Project"), skippedTypes(release),
                    release.describe());
            Map<String, String> values = new LinkedHashMap<>(release.parameters());
            values.put("AWS::Region", REGION.id());
            values.put("AWS::AccountId", ACCOUNT);
            values.put("AWS::Partition", "aws");

            // Release stage, FindGreen: the service registered with the group the test listener forwards to
            String green = serviceBehind(routing.read(), testPort, targetGroupOfService);
            assertEquals("GreenService", green, "at first the test listener serves the green service");
            Map<String, String> variables = findGreenVariables(infra, green);
            findGreenScriptAgrees(pipeline, release, moto.endpoint(), variables);

            // Release stage, DeployToGreen: ECS would now roll the new image out to green (here: green runs v2)

            // Release stage, ValidateGreen: the pipeline's state machine, as moto stored it, with the action's input
            JsonNode validate = action(pipeline, "ValidateGreen");
            ObjectNode input = (ObjectNode) JSON.readTree(pipelineVariables(
                    CloudFormationTemplate.substitute(validate.at("/Configuration/Input"), values::get), variables));
            assertEquals("http://" + infra.outputs().get("LoadBalancerDnsName") + ":" + testPort, input.path("baseUrl").asText(),
                    "the hook tests green through the test listener");
            input.put("baseUrl", dataPlane.url(testPort).toString());
            String definition = sfn.describeStateMachine(b -> b.stateMachineArn(
                    release.resources().get("ValidationStateMachine"))).definition();
            FunctionRunner runner = new FunctionRunner();
            Map<String, String> hookEnvironment = functionEnvironment(functions, "AfterAllowTestTrafficHook", functionParameters);
            hookEnvironment.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
            List<FunctionRunner.Invocation> hookRuns = new ArrayList<>();
            HookStateMachine.Outcome validation = HookStateMachine.run(JSON.readTree(definition), input,
                    "validate-" + UUID.randomUUID(), (function, payload) -> {
                        assertEquals(functionOutputs.get("AfterAllowTestTrafficHookAliasArn"), function);
                        FunctionRunner.Invocation run = runner.invoke(new FunctionRunner.LambdaFunction(
                                "CodeDeployHook_" + functionsStack + "-AfterAllowTestTraffic", ROOT.resolve("hooks/target/hooks.jar"),
                                handler(functions, "AfterAllowTestTrafficHook"), timeout(functions, "AfterAllowTestTrafficHook"), 512,
                                hookEnvironment),
                                payload.toString());
                        hookRuns.add(run);
                        assertFalse(run.functionError(), () -> "the hook failed:\n" + String.join("\n", run.log()));
                        return readJson(run.answer());
                    }, Duration.ofSeconds(1));
            System.out.println("validation state machine: " + String.join(" → ", validation.states()));
            hookRuns.forEach(run -> run.log().stream().filter(line -> line.contains("hook-verdict"))
                    .forEach(line -> System.out.println("  hook: " + line)));
            assertTrue(validation.succeeded(), () -> "the validation ended in " + validation.finalState() + ": "
                    + validation.answers() + "\n" + hookLogs(hookRuns));
            assertEquals(List.of("IN_PROGRESS", "SUCCEEDED"), validation.answers().stream()
                    .map(a -> a.path("hookStatus").asText()).toList(), "a warming green is tried again, then passes");
            JsonNode secondCall = validation.payloads().get(1);
            assertEquals(validation.payloads().get(0).path("executionId"), secondCall.path("executionId"));
            assertEquals(input.path("baseUrl"), secondCall.at("/hookDetails/baseUrl"), "the base URL is carried forward");
            assertEquals(2, secondCall.at("/hookDetails/ecsBlueGreenValidation/round").asInt(), secondCall::toString);
            assertTrue(greenRequests.get() > 3, "the hook's checks reached green through the test listener");

            // Release stage, ApproveRelease: a person. SwapTraffic: the swap function with the action's configuration
            JsonNode swapAction = action(pipeline, "SwapTraffic");
            String jobId = UUID.randomUUID().toString();
            ReportRecorder recorder = keep(started, new ReportRecorder(moto.endpoint()));
            recorder.expectJob(jobId);
            ObjectNode event = (ObjectNode) JSON.readTree(EventFiles.read("codepipeline-job.json"));
            ObjectNode job = (ObjectNode) event.get("CodePipeline.job");
            job.put("id", jobId);
            ((ObjectNode) job.at("/data/actionConfiguration/configuration"))
                    .put("FunctionName", CloudFormationTemplate.substitute(swapAction.at("/Configuration/FunctionName"), values::get))
                    .put("UserParameters", CloudFormationTemplate.substitute(swapAction.at("/Configuration/UserParameters"), values::get));
            Map<String, String> swapEnvironment = functionEnvironment(functions, "SwapFunction", functionParameters);
            swapEnvironment.put("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", moto.endpoint().toString());
            swapEnvironment.put("AWS_ENDPOINT_URL_CODEPIPELINE", recorder.endpoint().toString());
            FunctionRunner.Invocation swap = runner.invoke(new FunctionRunner.LambdaFunction(functionOutputs.get("SwapFunctionName"),
                    ROOT.resolve("swap-function/target/swap-function.jar"), handler(functions, "SwapFunction"),
                    timeout(functions, "SwapFunction"), 512, swapEnvironment), event.toString());
            assertFalse(swap.functionError(), () -> "the swap function failed:\n" + String.join("\n", swap.log()));
            List<ReportRecorder.Report> reports = recorder.reports();
            reports.forEach(report -> System.out.println("  report endpoint ← " + report.describe()));
            assertEquals(1, reports.size(), () -> reports + "\n" + String.join("\n", swap.log()));
            ReportRecorder.Report report = reports.get(0);
            assertEquals("PutJobSuccessResult", report.operation(), report::describe);
            assertNull(report.error(), report::describe);
            assertEquals(infra.outputs().get("GreenTargetGroupName"), report.body().at("/outputVariables/LiveTargetGroup").asText());

            Routing after = routing.read();
            assertEquals(infra.outputs().get("GreenTargetGroupName"), after.summary(livePort), "live → green");
            assertEquals(infra.outputs().get("BlueTargetGroupName"), after.summary(testPort), "test → blue");
            assertEquals("true", after.targetGroups().get(greenGroup).isProduction(), "IsProduction flipped to green");
            assertEquals("false", after.targetGroups().get(blueGroup).isProduction(), "and off blue");
            assertEquals("hello from green v2\n", get(dataPlane.url(livePort)).body(), "live traffic reaches green");
            assertEquals("hello from blue v1\n", get(dataPlane.url(testPort)).body(), "the previous version stays on test");
            assertEquals("BlueService", serviceBehind(after, testPort, targetGroupOfService),
                    "the next release's FindGreen deploys to the service that was live");
            findGreenScriptAgrees(pipeline, release, moto.endpoint(), findGreenVariables(infra, "BlueService"));
        } finally {
            closeAll(started);
        }
    }

    @Test
    void everyPipelineParameterWithoutADefaultIsAnOutputOfTheStacksBeforeIt() {
        Set<String> outputs = new LinkedHashSet<>();
        for (Path template : List.of(EXAMPLE.resolve("infrastructure.yaml"), ROOT.resolve("template.yaml"))) {
            CloudFormationTemplate.read(template).get("Outputs").properties().forEach(e -> outputs.add(e.getKey()));
        }
        List<String> unmatched = new ArrayList<>();
        CloudFormationTemplate.read(EXAMPLE.resolve("pipeline.yaml")).get("Parameters").properties().forEach(e -> {
            if (!e.getValue().has("Default") && !outputs.contains(e.getKey())) {
                unmatched.add(e.getKey());
            }
        });
        assertEquals(List.of(), unmatched, "./deploy passes the pipeline the outputs of the infrastructure and functions "
                + "stacks by name: these have neither an output of that name nor a default");
    }

    @Test
    void examplePoliciesGrantNoWildcardActionAndNoWriteOnEveryResource() {
        // what AWS offers no resource-level permission for, and why allowing it on "*" is harmless here
        Map<String, String> writesOnEveryResource = Map.of("ecs:RegisterTaskDefinition", "a new revision runs nowhere "
                + "until a service is updated to it, which the pipeline may do to the two services only");
        int checked = 0;
        for (String file : List.of("infrastructure.yaml", "pipeline.yaml")) {
            for (JsonNode statement : statements(CloudFormationTemplate.read(EXAMPLE.resolve(file)))) {
                checked++;
                List<String> actions = new ArrayList<>();
                JsonNode action = statement.path("Action");
                (action.isArray() ? action : JSON.createArrayNode().add(action)).forEach(a -> actions.add(a.asText()));
                for (String a : actions) {
                    assertFalse(a.contains("*"), file + ": wildcard action " + a + " in " + statement);
                    String verb = a.substring(a.indexOf(':') + 1);
                    boolean readOnly = verb.startsWith("Describe") || verb.startsWith("Get") || verb.startsWith("List");
                    if (statement.path("Resource").asText().equals("*") && !readOnly) {
                        assertTrue(writesOnEveryResource.containsKey(a), file + ": " + a + " is allowed on every resource: " + statement);
                    }
                }
                assertFalse(statement.path("Resource").isMissingNode(), file + ": a statement without a resource: " + statement);
            }
        }
        assertTrue(checked >= 15, "statements found: " + checked);
    }

    // ------------------------------------------------------------------ what ./deploy does with names

    /** The infrastructure's names as {@code ./deploy --name NAME} sets them. */
    private static Map<String, String> infrastructureParameters(String name) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("LoadBalancerName", name);
        names.put("BlueTargetGroupName", name + "-blue");
        names.put("GreenTargetGroupName", name + "-green");
        names.put("ClusterName", name);
        names.put("BlueServiceName", name + "-blue");
        names.put("GreenServiceName", name + "-green");
        names.put("TaskFamily", name);
        names.put("RepositoryName", name);
        names.put("LogGroupName", "/ecs/" + name);
        return names;
    }

    private static Map<String, String> pipelineNames(String name) {
        return Map.of("PipelineName", name, "BuildProjectName", name + "-build",
                "FindGreenProjectName", name + "-find-green", "ValidationStateMachineName", name + "-validate-green");
    }

    // ------------------------------------------------------------------ the infrastructure as created

    /**
     * Public subnets route to the internet gateway, private ones nowhere, no NAT gateway anywhere, and each pair spans
     * two zones. Which table a subnet uses comes from the template's associations (moto records them but does not show
     * them in DescribeRouteTables), what each table routes from the emulator.
     */
    private static void theNetworkIsTwoPublicSubnetsWithARouteOutAndTwoPrivateOnesWithout(Ec2Client ec2, JsonNode template,
                                                                                           EmulatorStack infra) {
        Map<String, String> tableOfSubnet = new LinkedHashMap<>();
        CloudFormationTemplate.resources(template).forEach((id, resource) -> {
            if (resource.path("Type").asText().equals("AWS::EC2::SubnetRouteTableAssociation")) {
                tableOfSubnet.put(resource.at("/Properties/SubnetId/Ref").asText(),
                        infra.resources().get(resource.at("/Properties/RouteTableId/Ref").asText()));
            }
        });
        assertEquals(Set.of("PublicSubnet1", "PublicSubnet2", "PrivateSubnet1", "PrivateSubnet2"), tableOfSubnet.keySet());
        Map<String, String> zones = new LinkedHashMap<>();
        tableOfSubnet.forEach((subnet, table) -> {
            RouteTable routes = ec2.describeRouteTables(b -> b.routeTableIds(table)).routeTables().get(0);
            boolean routeOut = routes.routes().stream().anyMatch(r -> "0.0.0.0/0".equals(r.destinationCidrBlock())
                    && r.gatewayId() != null && r.gatewayId().startsWith("igw-"));
            assertEquals(subnet.startsWith("Public"), routeOut, subnet + ": a route to the internet gateway");
            assertTrue(routes.routes().stream().allMatch(r -> r.natGatewayId() == null), subnet + ": no NAT gateway");
            zones.put(subnet, ec2.describeSubnets(b -> b.subnetIds(infra.resources().get(subnet))).subnets().get(0)
                    .availabilityZone());
        });
        assertNotEquals(zones.get("PublicSubnet1"), zones.get("PublicSubnet2"), "two zones: " + zones);
        assertNotEquals(zones.get("PrivateSubnet1"), zones.get("PrivateSubnet2"), "two zones: " + zones);
        List<String> loadBalancerSubnets = infrastructureLoadBalancerSubnets(template);
        assertEquals(List.of("PublicSubnet1", "PublicSubnet2"), loadBalancerSubnets, "the load balancer faces the internet");
    }

    private static List<String> infrastructureLoadBalancerSubnets(JsonNode template) {
        List<String> subnets = new ArrayList<>();
        template.at("/Resources/LoadBalancer/Properties/Subnets").forEach(s -> subnets.add(s.path("Ref").asText()));
        return subnets;
    }

    /** moto's CloudFormation leaves out a target group's Tags: add the template's. */
    private static void addTheTargetGroupsTags(ElasticLoadBalancingV2Client elb, JsonNode template, EmulatorStack infra) {
        CloudFormationTemplate.resources(template).forEach((id, resource) -> {
            if (resource.path("Type").asText().equals("AWS::ElasticLoadBalancingV2::TargetGroup")) {
                List<Tag> tags = new ArrayList<>();
                resource.at("/Properties/Tags").forEach(t -> tags.add(Tag.builder().key(t.path("Key").asText())
                        .value(t.path("Value").asText()).build()));
                assertTrue(tags.stream().anyMatch(t -> t.key().equals("IsProduction")), id + " has an IsProduction tag");
                elb.addTags(b -> b.resourceArns(infra.resources().get(id)).tags(tags));
            }
        });
    }

    /** Each ECS service's target group (from its LoadBalancers, which moto's CloudFormation does not apply). */
    private static Map<String, String> targetGroupOfEachService(JsonNode template, EmulatorStack infra) {
        Map<String, String> groups = new LinkedHashMap<>();
        CloudFormationTemplate.resources(template).forEach((id, resource) -> {
            if (resource.path("Type").asText().equals("AWS::ECS::Service")) {
                JsonNode loadBalancers = resource.at("/Properties/LoadBalancers");
                assertEquals(1, loadBalancers.size(), id + " is registered with one target group");
                groups.put(id, infra.resources().get(loadBalancers.get(0).at("/TargetGroupArn/Ref").asText()));
            }
        });
        assertEquals(2, groups.size(), "a blue and a green service: " + groups);
        assertEquals(2, Set.copyOf(groups.values()).size(), "each with its own target group: " + groups);
        return groups;
    }

    /** The service registered with the target group that the listener on {@code port} forwards to. */
    private static String serviceBehind(Routing routing, int port, Map<String, String> targetGroupOfService) {
        var forward = routing.listener(port).rules().get(routing.listener(port).rules().size() - 1).forward();
        assertEquals(1, forward.targets().size(), "the listener's default action forwards to one group: " + forward);
        return targetGroupOfService.entrySet().stream().filter(e -> e.getValue().equals(forward.targets().get(0).targetGroupArn()))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError(":" + port
                        + " forwards to neither service's target group: " + forward));
    }

    /** What the FindGreen build exports (#{Green.…}) when {@code service} is green. */
    private static Map<String, String> findGreenVariables(EmulatorStack infra, String service) {
        String prefix = service.equals("BlueService") ? "Blue" : "Green";
        return Map.of("Green.SERVICE_NAME", infra.outputs().get(prefix + "ServiceName"),
                "Green.SERVICE_ARN", infra.outputs().get(prefix + "ServiceArn"),
                "Green.TARGET_GROUP_ARN", infra.outputs().get(prefix + "TargetGroupArn"));
    }

    /**
     * FindGreen's buildspec script, run as CodeBuild runs it (sh, the project's environment variables as the template
     * sets them) with the AWS CLI against the emulator, exports what the test expects. Without the AWS CLI the test
     * fails: a green build must mean the script ran.
     */
    private static void findGreenScriptAgrees(JsonNode pipeline, EmulatorStack release, URI moto, Map<String, String> expected)
            throws IOException, InterruptedException {
        assertTrue(onPath("aws"), "the AWS CLI is not on the PATH: FindGreen's script cannot be run (pip install awscli)");
        JsonNode project = pipeline.at("/Resources/FindGreenProject/Properties");
        JsonNode buildspec = new YAMLMapper().readTree(project.at("/Source/BuildSpec").asText());
        List<String> exported = new ArrayList<>();
        buildspec.at("/env/exported-variables").forEach(v -> exported.add(v.asText()));
        StringBuilder script = new StringBuilder("set -e\n");
        buildspec.at("/phases/build/commands").forEach(c -> script.append(c.asText()).append('\n'));
        exported.forEach(v -> script.append("printf '%s=%s\\n' ").append(v).append(" \"$").append(v).append("\"\n"));
        ProcessBuilder sh = new ProcessBuilder("sh", "-c", script.toString()).redirectErrorStream(true);
        Map<String, String> env = sh.environment();
        env.remove("AWS_PROFILE");
        project.at("/Environment/EnvironmentVariables").forEach(v -> env.put(v.path("Name").asText(),
                release.parameters().get(v.at("/Value/Ref").asText())));
        env.putAll(Map.of("AWS_ENDPOINT_URL", moto.toString(), "AWS_REGION", REGION.id(), "AWS_DEFAULT_REGION", REGION.id(),
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
        Process run = sh.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(2, TimeUnit.MINUTES), "FindGreen's script did not finish");
        assertEquals(0, run.exitValue(), "FindGreen's script failed:\n" + output);
        Map<String, String> got = new LinkedHashMap<>();
        output.lines().filter(line -> line.matches("[A-Z_]+=.*")).forEach(line ->
                got.put("Green." + line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        assertEquals(expected, got, "what FindGreen exports; its output:\n" + output);
        System.out.println("FindGreen's script (AWS CLI against the emulator): " + output.lines()
                .filter(line -> line.startsWith("green is")).findFirst().orElse(output));
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    // ------------------------------------------------------------------ the pipeline and the functions' templates

    private static Set<String> skippedTypes(EmulatorStack stack) {
        Set<String> types = new LinkedHashSet<>();
        stack.skipped().values().forEach(why -> types.add(why.substring(0, why.indexOf(": "))));
        return types;
    }

    private static JsonNode action(JsonNode pipeline, String name) {
        for (JsonNode stage : pipeline.at("/Resources/Pipeline/Properties/Stages")) {
            for (JsonNode action : stage.path("Actions")) {
                if (action.path("Name").asText().equals(name)) {
                    return action;
                }
            }
        }
        throw new AssertionError("pipeline.yaml has no action " + name);
    }

    /** CodePipeline's {@code #{Namespace.VARIABLE}} references, resolved from {@code variables}. */
    private static String pipelineVariables(String text, Map<String, String> variables) {
        Matcher m = PIPELINE_VARIABLE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            assertTrue(value != null, "no action exports #{" + m.group(1) + "}: " + text);
            m.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    private static String handler(JsonNode functions, String logicalId) {
        return functions.at("/Resources/" + logicalId + "/Properties/Handler").asText();
    }

    private static Duration timeout(JsonNode functions, String logicalId) {
        return Duration.ofSeconds(functions.at("/Resources/" + logicalId + "/Properties/Timeout").asLong());
    }

    /**
     * The function's environment as template.yaml sets it for the stack's parameters ({@code parameters}, else their
     * defaults): plain values, Refs, Fn::Sub of the stack's name and parameters, and Fn::Join of a list parameter.
     */
    private static Map<String, String> functionEnvironment(JsonNode functions, String logicalId, Map<String, String> parameters) {
        Map<String, String> environment = new LinkedHashMap<>();
        functions.at("/Resources/" + logicalId + "/Properties/Environment/Variables").properties().forEach(e -> {
            JsonNode value = e.getValue();
            String resolved;
            if (value.isValueNode()) {
                resolved = value.asText();
            } else if (value.has("Ref")) {
                resolved = parameter(functions, value.get("Ref").asText(), parameters);
            } else if (value.has("Fn::Sub") && value.get("Fn::Sub").isTextual()) {
                // ${AWS::StackName} as ./deploy names the stack; ${Name} a parameter
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^}]+)}").matcher(value.get("Fn::Sub").asText());
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    String name = m.group(1);
                    m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(name.equals("AWS::StackName")
                            ? parameters.getOrDefault("AWS::StackName", "ecs-bluegreen") : parameter(functions, name, parameters)));
                }
                m.appendTail(out);
                resolved = out.toString();
            } else if (value.has("Fn::Join") && value.get("Fn::Join").get(1).has("Ref")) {
                String list = parameter(functions, value.get("Fn::Join").get(1).get("Ref").asText(), parameters);
                resolved = String.join(value.get("Fn::Join").get(0).asText(), list.split(","));
            } else {
                throw new AssertionError(logicalId + "'s " + e.getKey() + " is " + value + ", which this test cannot resolve");
            }
            environment.put(e.getKey(), resolved);
        });
        assertFalse(environment.isEmpty(), logicalId + " has no environment in template.yaml");
        return environment;
    }

    private static String parameter(JsonNode functions, String name, Map<String, String> parameters) {
        String value = parameters.getOrDefault(name, functions.at("/Parameters/" + name + "/Default").asText(null));
        assertTrue(value != null, "template.yaml's " + name + " has no default and ./deploy gives it no value");
        return value;
    }

    /** The permission statements of every policy in the template (not trust policies), both branches of an Fn::If. */
    private static List<JsonNode> statements(JsonNode template) {
        List<JsonNode> statements = new ArrayList<>();
        template.findValues("PolicyDocument").forEach(document -> document.path("Statement").forEach(statement -> {
            if (statement.has("Fn::If")) {
                for (int branch = 1; branch <= 2; branch++) {
                    JsonNode chosen = statement.get("Fn::If").get(branch);
                    if (chosen.has("Effect")) {
                        statements.add(chosen);
                    }
                }
            } else {
                statements.add(statement);
            }
        }));
        return statements;
    }

    // ------------------------------------------------------------------ plumbing

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, URI endpoint) {
        return AwsClients.configure(builder).endpointOverride(endpoint).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    /** A local HTTP server answering {@code body}, after {@code warmUp} answers of 503. */
    private static HttpServer app(String body, int warmUp, AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            boolean warm = requests.incrementAndGet() > warmUp;
            byte[] bytes = (warm ? body : "warming up\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(warm ? 200 : 503, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String hookLogs(List<FunctionRunner.Invocation> runs) {
        StringBuilder logs = new StringBuilder();
        runs.forEach(run -> logs.append(String.join("\n", run.log())).append('\n'));
        return logs.toString();
    }

    private static <T> T keep(List<AutoCloseable> started, T resource) {
        if (resource instanceof AutoCloseable closeable) {
            started.add(closeable);
        } else if (resource instanceof HttpServer server) {
            started.add(() -> server.stop(0));
        }
        return resource;
    }

    private static void closeAll(List<AutoCloseable> started) throws Exception {
        Exception first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
