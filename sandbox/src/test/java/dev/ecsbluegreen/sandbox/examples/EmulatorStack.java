package dev.ecsbluegreen.sandbox.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

/**
 * One of the example's templates created by the emulator's CloudFormation. What the emulator cannot create is
 * left out of the copy it is given, each with the reason, and nothing else is: a resource of a type missing from
 * {@link #UNSUPPORTED} that the emulator does not create fails the deployment, and so does a kept resource that
 * refers to a left-out one.
 *
 * @param skipped    left-out resources: logical id → "type: reason"
 * @param resources  physical ids of the created resources, by logical id
 * @param outputs    the stack's outputs
 * @param parameters the parameters it was created with (defaults included)
 */
record EmulatorStack(String name, JsonNode template, Map<String, String> skipped, Map<String, String> resources,
                     Map<String, String> outputs, Map<String, String> parameters) {

    /**
     * Resource types moto 5.2's CloudFormation has no model for (moto/cloudformation/parsing.py builds its type map
     * from the models it has: these are not among them), with what the test does instead.
     */
    static final Map<String, String> UNSUPPORTED = Map.of(
            "AWS::CodePipeline::Pipeline", "moto implements no CodePipeline; the test takes the pipeline's swap action "
                    + "(UserParameters) and validation action (state machine input) from the template and runs them itself",
            "AWS::CodeBuild::Project", "moto's CloudFormation has no CodeBuild model; the test finds the service behind "
                    + "the test listener itself and runs FindGreen's script with the AWS CLI against the emulator (where "
                    + "the CLI is installed); the image build is not run");

    /**
     * What moto's CloudFormation creates but does not carry out, by resource type: properties it accepts and does not
     * apply (its create_from_cloudformation_json reads only some), work it does not do, and what the test does instead.
     */
    static final Map<String, String> NOT_APPLIED = Map.of(
            "AWS::EC2::SubnetRouteTableAssociation", "recorded, but not shown by DescribeRouteTables: the test reads "
                    + "which table a subnet uses from the template",
            "AWS::ElasticLoadBalancingV2::TargetGroup", "Tags and TargetGroupAttributes are not applied: the test adds "
                    + "the template's IsProduction tags with AddTags; the deregistration delay does not change routing",
            "AWS::ECS::Service", "LoadBalancers, LaunchType, NetworkConfiguration and DeploymentConfiguration are not "
                    + "applied and no task runs: the test registers a local server in each service's target group (the "
                    + "one its LoadBalancers name), as ECS registers a Fargate task",
            "AWS::ECS::TaskDefinition", "RequiresCompatibilities, NetworkMode, Cpu, ExecutionRoleArn and RuntimePlatform "
                    + "are not applied (nothing runs a task here)",
            "AWS::StepFunctions::StateMachine", "stored as written, but moto runs Lambda tasks only in Docker: the test "
                    + "plays the state machine (HookStateMachine) with the real hook jar");

    /** Creates {@code template}'s stack in the emulator; throws with the emulator's reason when it fails. */
    static EmulatorStack create(CloudFormationClient cloudFormation, String stackName, JsonNode template,
                                Map<String, String> parameters) {
        ObjectNode copy = template.deepCopy();
        ObjectNode resources = (ObjectNode) copy.get("Resources");
        Map<String, String> skipped = new LinkedHashMap<>();
        CloudFormationTemplate.resources(template).forEach((id, resource) -> {
            String type = resource.path("Type").asText();
            if (UNSUPPORTED.containsKey(type)) {
                skipped.put(id, type + ": " + UNSUPPORTED.get(type));
                resources.remove(id);
            }
        });
        List<String> dangling = new ArrayList<>();
        CloudFormationTemplate.resources(copy).forEach((id, resource) -> {
            for (String target : CloudFormationTemplate.references(resource)) {
                if (skipped.containsKey(target)) {
                    dangling.add(id + " → " + target);
                }
            }
            resource.path("DependsOn").forEach(d -> {
                if (skipped.containsKey(d.asText())) {
                    dangling.add(id + " depends on " + d.asText());
                }
            });
        });
        copy.path("Outputs").properties().forEach(e -> CloudFormationTemplate.references(e.getValue()).stream()
                .filter(skipped::containsKey).forEach(t -> dangling.add("output " + e.getKey() + " → " + t)));
        if (!dangling.isEmpty()) {
            throw new AssertionError(stackName + ": these refer to resources the emulator cannot create (refer to them "
                    + "by name, or give the test another way): " + dangling);
        }

        List<Parameter> given = parameters.entrySet().stream()
                .map(e -> Parameter.builder().parameterKey(e.getKey()).parameterValue(e.getValue()).build()).toList();
        cloudFormation.createStack(b -> b.stackName(stackName).templateBody(copy.toString()).parameters(given)
                .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM));
        Stack stack = cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().get(0);
        if (!stack.stackStatusAsString().equals("CREATE_COMPLETE")) {
            throw new AssertionError(stackName + ": " + stack.stackStatusAsString() + " " + stack.stackStatusReason());
        }
        Map<String, String> created = new LinkedHashMap<>();
        for (StackResource resource : cloudFormation.describeStackResources(b -> b.stackName(stackName)).stackResources()) {
            created.put(resource.logicalResourceId(), resource.physicalResourceId());
        }
        Map<String, String> effective = new LinkedHashMap<>();
        copy.path("Parameters").properties().forEach(e -> effective.put(e.getKey(),
                parameters.getOrDefault(e.getKey(), e.getValue().path("Default").asText(null))));
        Set<String> missing = new TreeSet<>();
        CloudFormationTemplate.resources(copy).forEach((id, resource) -> {
            boolean wanted = !resource.has("Condition")
                    || condition(copy, resource.get("Condition").asText(), effective);
            if (wanted && !created.containsKey(id)) {
                missing.add(id);
            }
        });
        if (!missing.isEmpty()) {
            throw new AssertionError(stackName + ": the emulator did not create " + missing + " - a type it does not "
                    + "implement? Add it to EmulatorStack.UNSUPPORTED with the reason and what the test does instead");
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        stack.outputs().forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
        return new EmulatorStack(stackName, template, skipped, created, outputs, effective);
    }

    /** The template's condition {@code name}: Fn::Equals of parameters and strings, Fn::Not, Fn::And, Fn::Or. */
    static boolean condition(JsonNode template, String name, Map<String, String> parameters) {
        return evaluate(template.at("/Conditions/" + name), template, parameters);
    }

    private static boolean evaluate(JsonNode node, JsonNode template, Map<String, String> parameters) {
        if (node.has("Condition")) {
            return condition(template, node.get("Condition").asText(), parameters);
        }
        if (node.has("Fn::Equals")) {
            return value(node.get("Fn::Equals").get(0), parameters).equals(value(node.get("Fn::Equals").get(1), parameters));
        }
        if (node.has("Fn::Not")) {
            return !evaluate(node.get("Fn::Not").get(0), template, parameters);
        }
        List<Boolean> operands = new ArrayList<>();
        node.path(node.has("Fn::And") ? "Fn::And" : "Fn::Or").forEach(c -> operands.add(evaluate(c, template, parameters)));
        if (node.has("Fn::And")) {
            return !operands.contains(false);
        }
        if (node.has("Fn::Or")) {
            return operands.contains(true);
        }
        throw new IllegalArgumentException("a condition this test cannot evaluate: " + node);
    }

    private static String value(JsonNode node, Map<String, String> parameters) {
        if (node.has("Ref")) {
            String value = parameters.get(node.get("Ref").asText());
            if (value == null) {
                throw new IllegalArgumentException("a condition refers to " + node + ", which has no value");
            }
            return value;
        }
        if (!node.isValueNode()) {
            throw new IllegalArgumentException("a condition this test cannot evaluate: " + node);
        }
        return node.asText();
    }

    /** What the emulator made of the template, for the test's output and its assertion messages. */
    String describe() {
        Set<String> types = new TreeSet<>();
        CloudFormationTemplate.resources(template).values().forEach(r -> types.add(r.path("Type").asText()));
        StringBuilder text = new StringBuilder(name + ": " + resources.size() + " resources created by the emulator's "
                + "CloudFormation; skipped: " + (skipped.isEmpty() ? "none" : ""));
        skipped.forEach((id, why) -> text.append("\n  ").append(id).append(" (").append(why).append(')'));
        List<String> partly = types.stream().filter(NOT_APPLIED::containsKey).toList();
        if (!partly.isEmpty()) {
            text.append("\nwhat the emulator does not carry out of what it created, and what the test does instead:");
            partly.forEach(type -> text.append("\n  ").append(type).append(": ").append(NOT_APPLIED.get(type)));
        }
        return text.toString();
    }
}
