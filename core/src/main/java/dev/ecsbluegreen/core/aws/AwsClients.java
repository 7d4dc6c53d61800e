package dev.ecsbluegreen.core.aws;

import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * How every SDK client of this project is built: the JDK's URL-connection HTTP client (no Apache or Netty
 * in a Lambda package), the SDK's standard retry mode (throttling and 5xx are retried with jittered
 * backoff), and explicit timeouts so that a hung connection cannot eat the invocation.
 *
 * <p>Endpoints are left to the SDK's own resolution, so {@code AWS_ENDPOINT_URL} and
 * {@code AWS_ENDPOINT_URL_<SERVICE>} point a deployed or locally run function at an emulator without any
 * code change. Region and credentials come from the SDK's default chains (in Lambda: the environment).
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
        return builder
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(o -> o
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT));
    }
}
