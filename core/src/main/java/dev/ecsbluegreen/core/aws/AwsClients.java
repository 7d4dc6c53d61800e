package dev.ecsbluegreen.core.aws;

import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * How every SDK client of this project is built: the JDK's URL-connection HTTP client (no Apache or Netty
 * in a Lambda package), the SDK's standard retry mode (throttling and 5xx are retried with jittered
 * backoff), and explicit timeouts so that a hung connection cannot eat the invocation. The JDK's default trust
 * store is read at the first TLS handshake, once per JVM ({@link DeferredTrust}).
 *
 * <p>Endpoints are left to the SDK's own resolution, so {@code AWS_ENDPOINT_URL} and
 * {@code AWS_ENDPOINT_URL_<SERVICE>} point a deployed or locally run function at an emulator without any
 * code change.
 *
 * <p>In Lambda ({@code AWS_LAMBDA_FUNCTION_NAME} set) the region is {@code AWS_REGION} and credentials come from the
 * environment, or from the container credentials endpoint that SnapStart functions get instead of environment
 * credentials. Asking just those two, rather than walking the SDK's default chains (system properties, profile
 * files, web identity, instance metadata), loads and probes less; BENCHMARKS.md measured no gain on its own cold
 * start, so the reason to keep it is that it says exactly where credentials come from. Elsewhere the default
 * chains apply.
 */
public final class AwsClients {
    /** Time to open a TCP connection to an AWS endpoint. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Time one attempt may take, connection included. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    /** Time one API call may take across all its retries. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private AwsClients() {}

    /** Applies the project's HTTP client, retry and timeout settings to {@code builder}. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder) {
        return configure(builder, System.getenv());
    }

    /** {@link #configure(AwsClientBuilder)} for the environment {@code env}. */
    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, Map<String, String> env) {
        if (env.containsKey("AWS_LAMBDA_FUNCTION_NAME")) {
            String region = env.get("AWS_REGION");
            if (region != null && !region.isBlank()) {
                builder.region(Region.of(region));
            }
            builder.credentialsProvider(lambdaCredentials());
        }
        return builder
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(ATTEMPT_TIMEOUT)
                        // the JDK's default trust, built at the first handshake rather than with each client
                        .tlsTrustManagersProvider(DeferredTrust::managers))
                .overrideConfiguration(o -> o
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT));
    }

    /** Lambda's credentials: the environment's, else (SnapStart) the container credentials endpoint's. */
    static AwsCredentialsProvider lambdaCredentials() {
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(EnvironmentVariableCredentialsProvider.create(), ContainerCredentialsProvider.builder().build())
                .build();
    }
}
