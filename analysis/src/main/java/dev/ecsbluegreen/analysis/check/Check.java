package dev.ecsbluegreen.analysis.check;

import dev.ecsbluegreen.analysis.check.Expectation;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP check against green: inert data, built by {@link ChecksParser} from the operator's JSON.
 *
 * @param name            what the operator calls it; appears in every log line about it
 * @param method          HTTP method
 * @param path            path and query, resolved against the base URL
 * @param headers         request headers
 * @param body            request body, or null for none
 * @param host            the application's real host name: sent as {@code Host} and TLS SNI and verified against
 *                        the certificate, while the connection still goes to the base URL's address; null to use
 *                        the base URL's host
 * @param followRedirects follow redirects on the same host (never to another host)
 * @param tls             how strictly the server certificate is checked
 * @param timeout         time one request may take, connection and body included
 * @param maxBodyBytes    how much of a response body is read at most
 * @param expect          what a good response looks like
 * @param attempts        how many times the check may be tried before it counts as failed (warm-up)
 * @param interval        pause between attempts
 * @param burst           when present, each attempt sends a small burst judged by its statistics instead of one request
 */
public record Check(
        String name,
        String method,
        String path,
        Map<String, String> headers,
        String body,
        String host,
        boolean followRedirects,
        TlsMode tls,
        Duration timeout,
        int maxBodyBytes,
        Expectation expect,
        int attempts,
        Duration interval,
        Burst burst) {

    public Check {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    /** How a check treats the server's TLS certificate. */
    public enum TlsMode {
        /** Chain and host name verified against the JDK's trust store (the default). */
        VERIFY,
        /**
         * Chain verified, host name not: for calling a load balancer by its DNS name while it presents the
         * application's certificate.
         */
        ACCEPT_OTHER_HOST_NAME,
        /** Any certificate accepted (self-signed test environments); the traffic is still encrypted. */
        ACCEPT_ANY_CERTIFICATE
    }

    /**
     * A burst of requests judged together.
     *
     * @param requests        how many requests per attempt
     * @param concurrency     how many are in flight at once
     * @param minSuccessRatio share of requests (0..1) that must meet the expectations
     * @param maxP95          95th-percentile latency limit, or null for none
     */
    public record Burst(int requests, int concurrency, double minSuccessRatio, Duration maxP95) {}
}
