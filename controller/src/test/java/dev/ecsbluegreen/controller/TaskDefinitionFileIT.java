package dev.ecsbluegreen.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.controller.Outcome.Failed;
import dev.ecsbluegreen.controller.Outcome.Reason;
import dev.ecsbluegreen.controller.Outcome.Succeeded;
import dev.ecsbluegreen.controller.aws.S3ArtifactFiles;
import dev.ecsbluegreen.controller.aws.SdkJsonTest;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.aws.CodePipelineJobResults;
import dev.ecsbluegreen.testing.Moto;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A deploy that registers a task definition file (the CLI's --cli-input-json shape) instead of the primary's with new
 * images: from the command line's file, and from the CodePipeline job's input artifact in S3. Against moto.
 */
class TaskDefinitionFileIT {
    @RegisterExtension
    static final Moto moto = new Moto();
    static final String FILE_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:3.0";
    /**
     * The fixture's blue runs in bridge mode on EC2 and green's task set is placed like blue's, so the file says so too
     * (an awsvpc definition on it is refused, by AWS and moto alike: "Network Configuration must be provided").
     */
    static final String TASKDEF = SdkJsonTest.TASKDEF.replace("\"awsvpc\"", "\"bridge\"").replace("\"FARGATE\"", "\"EC2\"");

    EcsFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new EcsFixture(moto);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    static TaskDefinitionFile file(String text) {
        return TaskDefinitionFile.parse("taskdef.json", text, ControllerIT.MAPPER);
    }

    Request deploy(TaskDefinitionFile file, Images images) {
        return new Request(Action.DEPLOY, fx.target(), null, images, Duration.ofSeconds(5), Duration.ZERO, null, null, file);
    }

    Outcome run(Request request) {
        return fx.controller(moto).run(request, Deadline.after(Duration.ofSeconds(60)), System.currentTimeMillis());
    }

    TaskDefinition green() {
        String arn = fx.ecs.describeTaskSets(b -> b.cluster(EcsFixture.CLUSTER).service(EcsFixture.SERVICE)).taskSets().stream()
                .filter(t -> !"PRIMARY".equals(t.status())).findFirst().orElseThrow().taskDefinition();
        return fx.ecs.describeTaskDefinition(b -> b.taskDefinition(arn).include(
                software.amazon.awssdk.services.ecs.model.TaskDefinitionField.TAGS)).taskDefinition();
    }

    @Test
    void aDeployRegistersTheFileAsItIsTaggedWithTheReleaseAndARepeatReusesIt() {
        TaskDefinitionFile taskdef = file(TASKDEF);

        Outcome outcome = run(deploy(taskdef, null));

        Succeeded done = assertInstanceOf(Succeeded.class, outcome, outcome.message() + fx.progress);
        TaskDefinition registered = green();
        assertEquals(FILE_IMAGE, registered.containerDefinitions().get(0).image());
        assertEquals("256", registered.cpu());
        assertEquals("arn:aws:iam::123456789012:role/app-task", registered.taskRoleArn());
        assertEquals("production", registered.containerDefinitions().get(0).environment().get(0).value());
        String release = taskdef.releaseId(null);
        assertEquals(release, done.outputs().get("release"));
        var tags = fx.ecs.describeTaskDefinition(b -> b.taskDefinition(registered.taskDefinitionArn())
                .include(software.amazon.awssdk.services.ecs.model.TaskDefinitionField.TAGS)).tags();
        assertEquals(Map.of("team", "payments", Tags.RELEASE, release),
                tags.stream().collect(java.util.stream.Collectors.toMap(t -> t.key(), t -> t.value())));
        assertEquals("app-green", fx.routing(fx.test));

        assertInstanceOf(Succeeded.class, run(deploy(taskdef, null)));
        assertEquals(1, fx.proxy.count("RegisterTaskDefinition"), "a repeated deploy of the same file registers nothing");
        assertEquals(1, fx.proxy.count("CreateTaskSet"));
    }

    @Test
    void anImageGivenWithTheFileReplacesItsContainersAndMakesAnotherRelease() {
        TaskDefinitionFile taskdef = file(TASKDEF);
        Images hotfix = Images.parse(List.of("web=123456789012.dkr.ecr.us-east-1.amazonaws.com/app:3.0.1"));

        Outcome outcome = run(deploy(taskdef, hotfix));

        assertInstanceOf(Succeeded.class, outcome, outcome.message());
        assertEquals("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:3.0.1", green().containerDefinitions().get(0).image());
        assertFalse(taskdef.releaseId(hotfix).equals(taskdef.releaseId(null)));
    }

    @Test
    void aPlaceholderImageOrAMemberTheApiDoesNotKnowIsRefusedBeforeAnythingIsWritten() {
        String placeholder = TASKDEF.replace(FILE_IMAGE, "<IMAGE1_NAME>");
        Failed failed = assertInstanceOf(Failed.class, run(deploy(file(placeholder), null)));
        assertEquals(Reason.CONFIGURATION, failed.reason());
        assertTrue(failed.message().contains("has the placeholder image <IMAGE1_NAME>; give its image: --image web=REPO:TAG"),
                failed.message());

        String misspelt = TASKDEF.replace("\"essential\"", "\"esential\"");
        Failed unknown = assertInstanceOf(Failed.class, run(deploy(file(misspelt), null)));
        assertEquals(Reason.CONFIGURATION, unknown.reason(), unknown.message());
        assertTrue(unknown.message().contains("\"containerDefinitions[0].esential\", which the API does not know"),
                unknown.message());
        assertEquals(List.of(), fx.writes(), "nothing was written");
    }

    @Test
    void theLambdaReadsTheFileFromTheJobsInputArtifact() throws Exception {
        S3Client s3 = moto.client(S3Client.builder().forcePathStyle(true));
        s3.createBucket(b -> b.bucket("codepipeline-us-east-1-123"));
        s3.putObject(b -> b.bucket("codepipeline-us-east-1-123").key("release/BuildOutput/abc123"),
                RequestBody.fromBytes(dev.ecsbluegreen.controller.aws.S3ArtifactFilesTest.zip(
                        Map.of("deploy/taskdef.json", TASKDEF))));
        JobApi codePipeline = new JobApi();
        try {
            Map<String, String> env = Map.of("LIVE_LISTENER_ARN", fx.live, "TEST_LISTENER_ARN", fx.test,
                    "TARGET_GROUP_ARNS", fx.blueGroup + "," + fx.greenGroup);
            ControllerHandler handler = new ControllerHandler(fx.controllerEcs(moto), fx.controllerListeners(moto),
                    new CodePipelineJobResults(moto.client(CodePipelineClient.builder(), codePipeline.endpoint())), env::get,
                    Clock.systemUTC(), System::nanoTime, d -> Thread.sleep(d.toMillis()), Duration.ofMillis(100))
                    .withArtifacts((job, deadline) -> S3ArtifactFiles.of(job.inputArtifacts(), job.credentials(), deadline,
                            b -> b.endpointOverride(moto.endpoint()).forcePathStyle(true)
                                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)));
            ObjectNode event = (ObjectNode) ControllerIT.MAPPER.readTree(ControllerHandlerIT.event(
                    "{\"action\": \"deploy\", \"cluster\": \"prod\", \"service\": \"app\", \"taskDefinitionFile\": \"deploy/taskdef.json\"}",
                    null));
            ArrayNode artifacts = ((ObjectNode) event.path("CodePipeline.job").path("data")).putArray("inputArtifacts");
            artifacts.addObject().put("name", "BuildOutput").putObject("location").put("type", "S3").putObject("s3Location")
                    .put("bucketName", "codepipeline-us-east-1-123").put("objectKey", "release/BuildOutput/abc123");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            dev.ecsbluegreen.testing.TestLambdaContext context = new dev.ecsbluegreen.testing.TestLambdaContext(60_000);

            handler.handleRequest(new java.io.ByteArrayInputStream(ControllerIT.MAPPER.writeValueAsBytes(event)), out, context);

            JobApi.Report report = codePipeline.next();
            assertEquals("PutJobSuccessResult", report.operation(), report.body().toString());
            String release = file(TASKDEF).releaseId(null);
            assertEquals(release, report.body().path("outputVariables").path("release").asText());
            assertEquals(FILE_IMAGE, green().containerDefinitions().get(0).image());
            assertFalse(context.log().contains("wJalrXUtnFEMI"), "the artifact credentials are never logged");
        } finally {
            codePipeline.close();
        }
    }
}
