package dev.ecsbluegreen.controller.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.controller.ConfigurationException;
import dev.ecsbluegreen.core.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/** A task definition file in the CLI's --cli-input-json shape, read into the SDK's request by the model's own fields. */
public class SdkJsonTest {
    static final ObjectMapper MAPPER = Json.newMapper();

    /**
     * The shape `aws ecs register-task-definition --generate-cli-skeleton` gives, filled in as a team keeps it. The
     * container states its own memory: moto 5.2.1's CreateTaskSet fails (500) for a container without it, which AWS
     * accepts with task-level memory (Fargate).
     */
    public static final String TASKDEF = """
            {
              "family": "app",
              "taskRoleArn": "arn:aws:iam::123456789012:role/app-task",
              "executionRoleArn": "arn:aws:iam::123456789012:role/app-execution",
              "networkMode": "awsvpc",
              "requiresCompatibilities": ["FARGATE"],
              "cpu": "256",
              "memory": "512",
              "containerDefinitions": [{
                "name": "web",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:3.0",
                "essential": true,
                "memory": 512,
                "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                "environment": [{"name": "MODE", "value": "production"}],
                "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], "interval": 30,
                                "retries": 3},
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app", "awslogs-region": "us-east-1"}},
                "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}]
              }],
              "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
              "tags": [{"key": "team", "value": "payments"}]
            }""";

    static RegisterTaskDefinitionRequest read(String json) throws Exception {
        return SdkJson.read(MAPPER.readTree(json), RegisterTaskDefinitionRequest.builder(), "task definition file taskdef.json");
    }

    @Test
    void everyMemberNestedOrNotIsTakenUnderTheApisOwnNames() throws Exception {
        RegisterTaskDefinitionRequest r = read(TASKDEF);

        assertEquals("app", r.family());
        assertEquals(NetworkMode.AWSVPC, r.networkMode());
        assertEquals(java.util.List.of(Compatibility.FARGATE), r.requiresCompatibilities());
        assertEquals("256", r.cpu());
        assertEquals("arn:aws:iam::123456789012:role/app-execution", r.executionRoleArn());
        ContainerDefinition web = r.containerDefinitions().get(0);
        assertEquals("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:3.0", web.image());
        assertEquals(true, web.essential());
        assertEquals(8080, web.portMappings().get(0).containerPort());
        assertEquals(TransportProtocol.TCP, web.portMappings().get(0).protocol());
        assertEquals(java.util.List.of(KeyValuePair.builder().name("MODE").value("production").build()), web.environment());
        assertEquals(3, web.healthCheck().retries());
        assertEquals(LogDriver.AWSLOGS, web.logConfiguration().logDriver());
        assertEquals("/ecs/app", web.logConfiguration().options().get("awslogs-group"));
        assertEquals(65536, web.ulimits().get(0).softLimit());
        assertEquals("ARM64", r.runtimePlatform().cpuArchitectureAsString());
        assertEquals("payments", r.tags().get(0).value());
    }

    @Test
    void aValueNewerThanThisSdkStillGoesThroughForTheApiToJudge() throws Exception {
        RegisterTaskDefinitionRequest r = read("{\"family\": \"app\", \"networkMode\": \"quantum\", \"containerDefinitions\": []}");
        assertEquals("quantum", r.networkModeAsString());
    }

    @Test
    void aMemberTheApiDoesNotKnowOrAValueOfTheWrongKindIsNamedByItsPath() {
        ConfigurationException unknown = assertThrows(ConfigurationException.class, () -> read(
                "{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"web\", \"imag\": \"app:3\"}]}"));
        assertTrue(unknown.getMessage().startsWith("task definition file taskdef.json has the member \"containerDefinitions[0].imag\""
                + ", which the API does not know"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("image"), unknown.getMessage());

        ConfigurationException wrongType = assertThrows(ConfigurationException.class, () -> read(
                "{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"web\", \"portMappings\": [{\"containerPort\": \"80\"}]}]}"));
        assertEquals("task definition file taskdef.json: \"containerDefinitions[0].portMappings[0].containerPort\" must be a whole "
                + "number", wrongType.getMessage());

        ConfigurationException notAList = assertThrows(ConfigurationException.class, () -> read(
                "{\"family\": \"app\", \"containerDefinitions\": {\"name\": \"web\"}}"));
        assertTrue(notAList.getMessage().endsWith("\"containerDefinitions\" must be a list"), notAList.getMessage());
    }
}
