package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.codepipeline.JobEvent;
import dev.ecsbluegreen.testing.EventFiles;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JobEventTest {
    private static final ObjectMapper MAPPER = Json.newMapper();

    private static JobEvent parse(String json) throws JobEvent.Unreportable {
        return JobEvent.parse(json.getBytes(StandardCharsets.UTF_8), MAPPER);
    }

    @Test
    void readsTheReferenceEvent() throws Exception {
        JobEvent event = parse(EventFiles.read("codepipeline-job.json"));
        assertEquals("11111111-abcd-1111-abcd-111111abcdef", event.jobId());
        assertEquals("{\"ElbName\": \"app-alb\"}", event.userParameters());
        assertNull(event.continuationToken());
        assertNull(event.malformed());
    }

    @Test
    void readsTheRichAndContinuationEvents() throws Exception {
        assertTrue(parse(EventFiles.read("codepipeline-job-rich.json")).userParameters().contains("\"liveListener\": 443"));
        JobEvent continued = parse(EventFiles.read("codepipeline-job-continuation.json"));
        assertEquals("app-alb", continued.userParameters());
        assertNotNull(continued.continuationToken());
    }

    @Test
    void theParsedEventHoldsNoCredentials() throws Exception {
        JobEvent event = parse(EventFiles.read("codepipeline-job.json"));
        assertTrue(!event.toString().contains("secretAccessKey") && !event.toString().contains("EXAMPLEKEY"));
    }

    @Test
    void notJsonIsUnreportable() {
        JobEvent.Unreportable e = assertThrows(JobEvent.Unreportable.class, () -> parse("ElbName=app-alb"));
        assertTrue(e.getMessage().startsWith("the event is not JSON"), e.getMessage());
    }

    @Test
    void eventWithoutJobIsUnreportable() {
        JobEvent.Unreportable e = assertThrows(JobEvent.Unreportable.class, () -> parse("{\"DeploymentId\": \"d-1\"}"));
        assertTrue(e.getMessage().contains("\"CodePipeline.job\""), e.getMessage());
        assertThrows(JobEvent.Unreportable.class, () -> parse("{\"CodePipeline.job\": {\"id\": \"\"}}"));
        assertThrows(JobEvent.Unreportable.class, () -> parse("[]"));
    }

    @Test
    void malformedJobDataIsStillReportable() throws Exception {
        JobEvent event = parse("{\"CodePipeline.job\": {\"id\": \"j-1\", \"data\": {\"actionConfiguration\": \"oops\"}}}");
        assertEquals("j-1", event.jobId());
        assertNotNull(event.malformed());
    }

    @Test
    void eachMemberInTheWrongShapeIsNamedAndStillReportable() throws Exception {
        for (String[] c : new String[][] {
                {"{\"actionConfiguration\": {\"configuration\": []}}", "CodePipeline.job.data.actionConfiguration.configuration is an array"},
                {"{\"actionConfiguration\": {\"configuration\": {\"UserParameters\": {}}}}", "UserParameters is an object, not a string"},
                {"{\"inputArtifacts\": {}}", "CodePipeline.job.data.inputArtifacts is an object, not an array"},
                {"{\"inputArtifacts\": [\"a\"]}", "inputArtifacts[0] is a string, not an object"},
                {"{\"inputArtifacts\": [{\"location\": {\"s3Location\": {\"bucketName\": [1]}}}]}", "bucketName is an array"},
                {"{\"artifactCredentials\": 7}", "artifactCredentials is a number, not an object"},
                {"{\"continuationToken\": {\"a\": 1}}", "continuationToken is an object, not a string"}}) {
            JobEvent event = parse("{\"CodePipeline.job\": {\"id\": \"j-1\", \"data\": " + c[0] + "}}");
            assertEquals("j-1", event.jobId());
            assertTrue(event.malformed() != null && event.malformed().contains(c[1]), c[0] + " -> " + event.malformed());
        }
        assertTrue(parse("{\"CodePipeline.job\": {\"id\": \"j-1\", \"data\": []}}").malformed().contains("data is an array"));
    }

    /** Scalars are taken as their text and nulls as absent, as the databind binding did; unknown members are ignored. */
    @Test
    void scalarsAreTakenAsTextAndNullsAsAbsent() throws Exception {
        JobEvent event = parse("{\"CodePipeline.job\": {\"id\": \"j-1\", \"extra\": 1, \"data\": {"
                + "\"actionConfiguration\": {\"configuration\": {\"UserParameters\": 5, \"FunctionName\": \"f\"}},"
                + "\"continuationToken\": \"\", \"inputArtifacts\": [null, {\"name\": \"src\", \"location\": {\"type\": \"S3\","
                + "\"s3Location\": {\"bucketName\": \"b\", \"objectKey\": \"k\"}}}, {\"name\": \"no-location\"}],"
                + "\"artifactCredentials\": {\"accessKeyId\": \"AK\", \"secretAccessKey\": null}}}}");
        assertNull(event.malformed());
        assertEquals("5", event.userParameters());
        assertNull(event.continuationToken());
        assertEquals(java.util.List.of(new JobEvent.Artifact("src", "b", "k")), event.inputArtifacts());
        assertNull(event.credentials(), "credentials without a secret are none");
    }
}
