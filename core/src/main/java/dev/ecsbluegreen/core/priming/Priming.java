package dev.ecsbluegreen.core.priming;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ecsbluegreen.core.aws.AwsClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * SnapStart priming: before Lambda snapshots an initialised function, the function runs one whole invocation of
 * its own code on canned answers — event parsing, the core logic, SDK marshalling, signing and unmarshalling, the
 * JSON it writes — so the classes are loaded and the snapshot holds them. Nothing leaves the process: the clients
 * used for priming answer from a {@link CannedHttpClient}, and the log goes nowhere.
 *
 * <p>The handler registers itself with {@code org.crac.Core.getGlobalContext()} (a no-op on JVMs without CRaC)
 * and calls {@link #invoke} from {@code beforeCheckpoint}.
 */
public final class Priming {
    /** The region the priming clients sign for; nothing is sent anywhere. */
    public static final Region REGION = Region.US_EAST_1;
    private static final URI NOWHERE = URI.create("https://priming.invalid");

    private Priming() {}

    /** {@code builder} configured as in production, answering from {@code responder} instead of AWS. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
            B builder, BiFunction<String, String, String> responder) {
        return AwsClients.configure(builder)
                .httpClientBuilder(null) // instead of the URL-connection client
                .httpClient(new CannedHttpClient(responder))
                .endpointOverride(NOWHERE)
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .build();
    }

    /** Runs {@code handler} once on {@code event} with a quiet context; returns what it wrote. */
    public static String invoke(RequestStreamHandler handler, String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8))) {
            handler.handleRequest(in, out, new QuietContext());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A resource on the classpath of {@code owner}, as text (the sample event a function primes with). */
    public static String resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("priming resource " + name + " is missing from the package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A context with a minute to run and a logger that drops everything. */
    private static final class QuietContext implements Context {
        private final long deadline = System.currentTimeMillis() + 60_000;
        private final LambdaLogger logger = new LambdaLogger() {
            @Override public void log(String message) {}
            @Override public void log(byte[] message) {}
        };

        @Override public String getAwsRequestId() { return "priming"; }
        @Override public String getLogGroupName() { return "priming"; }
        @Override public String getLogStreamName() { return "priming"; }
        @Override public String getFunctionName() { return "priming"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:priming"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
        @Override public int getMemoryLimitInMB() { return 512; }
        @Override public LambdaLogger getLogger() { return logger; }
    }
}
