package dev.ecsbluegreen.analysis.check;

import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.Exchange;
import java.net.URI;
import java.time.Duration;

/**
 * Sends one request of a check to green. The default implementation is
 * {@link dev.ecsbluegreen.analysis.check.http.OkHttpProbe}.
 *
 * <p>Contract: never throws for anything the server or the network does — a timeout, a refused connection, a
 * bad certificate or a refused redirect comes back as {@link Exchange#failed}. Thread-safe: a burst calls it
 * from several threads at once.
 */
public interface HttpProbe {
    /**
     * @param timeout time this request may take in all (never more than the check's own timeout)
     */
    Exchange send(Check check, URI baseUrl, Duration timeout);
}
