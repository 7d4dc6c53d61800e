package dev.ecsbluegreen.testing;

import java.net.URI;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.core.local.MotoServer;
import java.util.Map;

/**
 * JUnit extension giving each test a clean moto server: register it with
 * {@code @RegisterExtension static final Moto moto = new Moto();} and build clients with {@link #client}.
 * One server serves the whole test JVM (provisioned on first use, stopped when the JVM exits).
 */
public final class Moto implements BeforeEachCallback {
    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCOUNT = "123456789012";
    private static MotoServer shared;

    private static synchronized MotoServer shared() {
        if (shared == null) {
            MotoServer server = MotoServer.provision(Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            shared = server;
        }
        return shared;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server().reset();
    }

    public MotoServer server() {
        return shared();
    }

    public URI endpoint() {
        return server().endpoint();
    }

    /** {@code builder} configured as in production, pointed at moto (or at {@code endpoint} when given). */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return client(builder, endpoint());
    }

    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, URI endpoint) {
        return AwsClients.configure(builder)
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }
}
