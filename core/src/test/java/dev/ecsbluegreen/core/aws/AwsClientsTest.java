package dev.ecsbluegreen.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

class AwsClientsTest {
    private static final Map<String, String> LAMBDA = Map.of("AWS_LAMBDA_FUNCTION_NAME", "swap", "AWS_REGION", "eu-west-2");

    @Test
    void inLambdaTheRegionIsAwsRegionAndCredentialsComeFromTheEnvironmentOrTheContainerEndpoint() {
        try (CodePipelineClient client = AwsClients.configure(CodePipelineClient.builder(), LAMBDA).build()) {
            assertEquals(Region.EU_WEST_2, client.serviceClientConfiguration().region());
            assertInstanceOf(AwsCredentialsProviderChain.class, client.serviceClientConfiguration().credentialsProvider());
        }
    }

    @Test
    void whatACallerSetsAfterwardsWins() {
        try (CodePipelineClient client = AwsClients.configure(CodePipelineClient.builder(), LAMBDA)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .build()) {
            assertEquals(Region.US_EAST_1, client.serviceClientConfiguration().region());
            assertInstanceOf(StaticCredentialsProvider.class, client.serviceClientConfiguration().credentialsProvider());
        }
    }
}
