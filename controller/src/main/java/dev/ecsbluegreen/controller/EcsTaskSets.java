package dev.ecsbluegreen.controller;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import java.util.List;
import java.util.Map;

/**
 * The ECS calls of the controller, for one service of the EXTERNAL deployment controller. Every method throws
 * {@link AwsCallException} (never an SDK exception) when its call fails; a write whose answer was lost may have been
 * applied. Thread-safe. Default implementation: {@code dev.ecsbluegreen.controller.aws.SdkEcsTaskSets}.
 */
public interface EcsTaskSets {
    /** The same calls, each (all its attempts) bounded by {@code deadline}. */
    EcsTaskSets within(Deadline deadline);

    /** {@code DescribeServices} with its tags: the service's desired count, deployment controller type, last failed job. */
    Service service(String cluster, String service);

    /**
     * @param deploymentController {@code EXTERNAL}, {@code ECS} or {@code CODE_DEPLOY}
     * @param failedJob the service's {@link Tags#FAILED_JOB}; null when it has none
     */
    record Service(String arn, int desiredCount, String deploymentController, String failedJob) {}

    /** {@code TagResource}: {@link Tags#FAILED_JOB} = {@code jobId} on the service. */
    void recordFailedJob(String serviceArn, String jobId);

    /** {@code DescribeTaskSets} with their tags: every task set of the service. */
    List<TaskSet> taskSets(String cluster, String service);

    /** {@code DescribeTaskDefinition} with its tags, by ARN or by family (the newest revision); null when there is none. */
    TaskDefinition taskDefinition(String arnOrFamily);

    /** {@code RegisterTaskDefinition}: a new revision of {@code from}'s family, everything copied but the images. */
    String registerTaskDefinition(String from, Map<String, String> images, String release);

    /**
     * {@code RegisterTaskDefinition} of {@code file} as it says, its containers' images set to {@code images} and the
     * release tag added to its tags.
     *
     * @throws ConfigurationException for a file ECS's API has no member for (named by its path)
     */
    String registerTaskDefinition(TaskDefinitionFile file, Map<String, String> images, String release);

    /**
     * {@code CreateTaskSet} at 100 % on {@code targetGroupArn}, its container, port, launch type and network copied from
     * the task set {@code placedLike}, tagged {@link Tags#RELEASE} and with {@code externalId} = the release.
     */
    String createTaskSet(String cluster, String service, String taskDefinitionArn, String targetGroupArn, String release,
                         String placedLike);

    /** {@code UpdateTaskSet}: its scale in percent. */
    void scale(String cluster, String service, String taskSetArn, double percent);

    /** {@code UpdateServicePrimaryTaskSet}. */
    void setPrimary(String cluster, String service, String taskSetArn);

    /** {@code DeleteTaskSet}; ECS refuses the primary (moto does not: the controller never asks). */
    void delete(String cluster, String service, String taskSetArn);

    /** {@code DeregisterTaskDefinition}. */
    void deregister(String taskDefinitionArn);
}
