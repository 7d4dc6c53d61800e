package dev.ecsbluegreen.controller.aws;

import dev.ecsbluegreen.controller.ConfigurationException;
import dev.ecsbluegreen.controller.Digests;
import dev.ecsbluegreen.controller.EcsTaskSets;
import dev.ecsbluegreen.controller.Tags;
import dev.ecsbluegreen.controller.TaskDefinition;
import dev.ecsbluegreen.controller.TaskDefinitionFile;
import dev.ecsbluegreen.controller.TaskSet;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.aws.AwsCalls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TaskSetField;

/** {@link EcsTaskSets} over the ECS API. Immutable and thread-safe. */
public final class SdkEcsTaskSets implements EcsTaskSets {
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = dev.ecsbluegreen.core.Json.newMapper();
    private final EcsClient ecs;
    private final Deadline deadline;

    public SdkEcsTaskSets(EcsClient ecs) {
        this(ecs, null);
    }

    private SdkEcsTaskSets(EcsClient ecs, Deadline deadline) {
        this.ecs = ecs;
        this.deadline = deadline;
    }

    @Override
    public EcsTaskSets within(Deadline bound) {
        return new SdkEcsTaskSets(ecs, deadline == null ? bound : deadline.earliest(bound));
    }

    @Override
    public Service service(String cluster, String service) {
        var answer = AwsCalls.call("ecs:DescribeServices", deadline, t -> ecs.describeServices(b -> b
                .overrideConfiguration(t).cluster(cluster).services(service).include(ServiceField.TAGS)));
        if (!answer.hasServices() || answer.services().isEmpty()) {
            throw new ConfigurationException("there is no service " + service + " in cluster " + cluster);
        }
        var s = answer.services().get(0);
        String controller = s.deploymentController() == null ? "ECS" : s.deploymentController().typeAsString();
        String failedJob = s.tags().stream().filter(tag -> Tags.FAILED_JOB.equals(tag.key())).map(Tag::value).findFirst()
                .orElse(null);
        return new Service(s.serviceArn(), s.desiredCount() == null ? 0 : s.desiredCount(), controller, failedJob);
    }

    @Override
    public void recordFailedJob(String serviceArn, String jobId) {
        AwsCalls.call("ecs:TagResource", deadline, t -> ecs.tagResource(b -> b.overrideConfiguration(t)
                .resourceArn(serviceArn).tags(Tag.builder().key(Tags.FAILED_JOB).value(jobId).build())));
    }

    @Override
    public List<TaskSet> taskSets(String cluster, String service) {
        var answer = AwsCalls.call("ecs:DescribeTaskSets", deadline, t -> ecs.describeTaskSets(b -> b
                .overrideConfiguration(t).cluster(cluster).service(service).include(TaskSetField.TAGS)));
        List<TaskSet> sets = new ArrayList<>();
        for (var s : answer.taskSets()) {
            String release = s.tags().stream().filter(tag -> Tags.RELEASE.equals(tag.key())).map(Tag::value).findFirst().orElse(null);
            String group = s.loadBalancers().isEmpty() ? null : s.loadBalancers().get(0).targetGroupArn();
            double scale = s.scale() == null || s.scale().value() == null ? 100 : s.scale().value();
            sets.add(new TaskSet(s.taskSetArn(), s.id(), s.status(), s.taskDefinition(), group, s.stabilityStatusAsString(),
                    scale, s.computedDesiredCount(), s.runningCount(), s.pendingCount(), release,
                    s.createdAt() == null ? 0 : s.createdAt().toEpochMilli()));
        }
        return sets;
    }

    @Override
    public TaskDefinition taskDefinition(String arnOrFamily) {
        DescribeTaskDefinitionResponse answer = describe(arnOrFamily);
        var d = answer.taskDefinition();
        if (d == null) {
            return null;
        }
        Map<String, String> images = new LinkedHashMap<>();
        d.containerDefinitions().forEach(c -> images.put(c.name(), c.image()));
        String release = answer.tags().stream().filter(tag -> Tags.RELEASE.equals(tag.key())).map(Tag::value).findFirst().orElse(null);
        return new TaskDefinition(d.taskDefinitionArn(), d.family(), images, release, d.status() != TaskDefinitionStatus.INACTIVE);
    }

    private DescribeTaskDefinitionResponse describe(String arnOrFamily) {
        return AwsCalls.call("ecs:DescribeTaskDefinition", deadline, t -> ecs.describeTaskDefinition(b -> b
                .overrideConfiguration(t).taskDefinition(arnOrFamily).include(TaskDefinitionField.TAGS)));
    }

    @Override
    public String registerTaskDefinition(String from, Map<String, String> images, String release) {
        DescribeTaskDefinitionResponse answer = describe(from);
        var d = answer.taskDefinition();
        List<ContainerDefinition> containers = d.containerDefinitions().stream()
                .map(c -> c.toBuilder().image(images.getOrDefault(c.name(), c.image())).build()).toList();
        List<Tag> tags = new ArrayList<>(answer.tags().stream().filter(tag -> !Tags.RELEASE.equals(tag.key())).toList());
        tags.add(Tag.builder().key(Tags.RELEASE).value(release).build());
        return AwsCalls.call("ecs:RegisterTaskDefinition", deadline, t -> ecs.registerTaskDefinition(b -> {
            b.overrideConfiguration(t).family(d.family()).taskRoleArn(d.taskRoleArn()).executionRoleArn(d.executionRoleArn())
                    .networkMode(d.networkMode()).containerDefinitions(containers).cpu(d.cpu()).memory(d.memory())
                    .pidMode(d.pidMode()).ipcMode(d.ipcMode()).proxyConfiguration(d.proxyConfiguration())
                    .ephemeralStorage(d.ephemeralStorage()).runtimePlatform(d.runtimePlatform()).tags(tags);
            if (d.hasVolumes()) {
                b.volumes(d.volumes());
            }
            if (d.hasPlacementConstraints()) {
                b.placementConstraints(d.placementConstraints());
            }
            if (d.hasRequiresCompatibilities()) {
                b.requiresCompatibilities(d.requiresCompatibilities());
            }
            if (d.hasInferenceAccelerators()) {
                b.inferenceAccelerators(d.inferenceAccelerators());
            }
        })).taskDefinition().taskDefinitionArn();
    }

    @Override
    public String registerTaskDefinition(TaskDefinitionFile file, Map<String, String> images, String release) {
        RegisterTaskDefinitionRequest given;
        try {
            given = SdkJson.read(MAPPER.readTree(file.text()), RegisterTaskDefinitionRequest.builder(),
                    "task definition file " + file.source());
        } catch (java.io.IOException e) {
            throw new ConfigurationException("task definition file " + file.source() + " is not JSON: " + e.getMessage());
        }
        List<ContainerDefinition> containers = given.containerDefinitions().stream()
                .map(c -> c.toBuilder().image(images.getOrDefault(c.name(), c.image())).build()).toList();
        List<Tag> tags = new ArrayList<>(given.tags().stream().filter(tag -> !Tags.RELEASE.equals(tag.key())).toList());
        tags.add(Tag.builder().key(Tags.RELEASE).value(release).build());
        RegisterTaskDefinitionRequest request = given.toBuilder().containerDefinitions(containers).tags(tags).build();
        return AwsCalls.call("ecs:RegisterTaskDefinition", deadline, t -> ecs.registerTaskDefinition(request.toBuilder()
                .overrideConfiguration(t).build())).taskDefinition().taskDefinitionArn();
    }

    @Override
    public String createTaskSet(String cluster, String service, String taskDefinitionArn, String targetGroupArn, String release,
                                String placedLike) {
        var like = AwsCalls.call("ecs:DescribeTaskSets", deadline, t -> ecs.describeTaskSets(b -> b
                .overrideConfiguration(t).cluster(cluster).service(service).taskSets(placedLike))).taskSets();
        if (like.isEmpty()) {
            throw new IllegalStateException("task set " + placedLike + " is gone");
        }
        var blue = like.get(0);
        List<LoadBalancer> loadBalancers = blue.loadBalancers().stream()
                .map(lb -> lb.toBuilder().targetGroupArn(targetGroupArn).loadBalancerName(null).build()).toList();
        // the SDK retries a CreateTaskSet whose answer was a 5xx or lost: the token makes ECS answer a retry that
        // landed with the task set it created instead of a second one (moto 5.2 ignores it and creates another)
        String clientToken = clientToken(release, taskDefinitionArn, targetGroupArn);
        return AwsCalls.call("ecs:CreateTaskSet", deadline, t -> ecs.createTaskSet(b -> {
            b.overrideConfiguration(t).cluster(cluster).service(service).taskDefinition(taskDefinitionArn)
                    .clientToken(clientToken).externalId(release).loadBalancers(loadBalancers)
                    .scale(s -> s.unit(ScaleUnit.PERCENT).value(100.0))
                    .networkConfiguration(blue.networkConfiguration())
                    .platformVersion(blue.platformVersion())
                    .tags(Tag.builder().key(Tags.RELEASE).value(release).build());
            if (blue.hasCapacityProviderStrategy() && !blue.capacityProviderStrategy().isEmpty()) {
                b.capacityProviderStrategy(blue.capacityProviderStrategy());
            } else {
                b.launchType(blue.launchType());
            }
            if (blue.hasServiceRegistries() && !blue.serviceRegistries().isEmpty()) {
                b.serviceRegistries(blue.serviceRegistries());
            }
        })).taskSet().id();
    }

    /**
     * CreateTaskSet's idempotency token (at most 36 ASCII characters): the same for every attempt at one green — the
     * release on its task definition revision and target group — and another for a release deployed again after a
     * rollback (its task definition is registered anew then, a new revision).
     */
    static String clientToken(String release, String taskDefinitionArn, String targetGroupArn) {
        return "ebg-" + Digests.sha256Hex(release + "|" + taskDefinitionArn + "|" + targetGroupArn, 16);
    }

    @Override
    public void scale(String cluster, String service, String taskSetArn, double percent) {
        AwsCalls.call("ecs:UpdateTaskSet", deadline, t -> ecs.updateTaskSet(b -> b.overrideConfiguration(t)
                .cluster(cluster).service(service).taskSet(taskSetArn).scale(s -> s.unit(ScaleUnit.PERCENT).value(percent))));
    }

    @Override
    public void setPrimary(String cluster, String service, String taskSetArn) {
        AwsCalls.call("ecs:UpdateServicePrimaryTaskSet", deadline, t -> ecs.updateServicePrimaryTaskSet(b -> b
                .overrideConfiguration(t).cluster(cluster).service(service).primaryTaskSet(taskSetArn)));
    }

    @Override
    public void delete(String cluster, String service, String taskSetArn) {
        AwsCalls.call("ecs:DeleteTaskSet", deadline, t -> ecs.deleteTaskSet(b -> b.overrideConfiguration(t)
                .cluster(cluster).service(service).taskSet(taskSetArn)));
    }

    @Override
    public void deregister(String taskDefinitionArn) {
        AwsCalls.call("ecs:DeregisterTaskDefinition", deadline, t -> ecs.deregisterTaskDefinition(b -> b
                .overrideConfiguration(t).taskDefinition(taskDefinitionArn)));
    }
}
