package dev.ecsbluegreen.analysis.check;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What happened to one request: either a response ({@code error == null}) or a transport failure.
 *
 * @param status        HTTP status, 0 when there was no response
 * @param headers       response headers, names in lower case
 * @param body          the body as read (at most the check's {@code maxBodyBytes}), "" when not read
 * @param bodyTruncated true when the body was longer than the limit and only its start was read
 * @param latency       time from sending to the end of reading
 * @param error         why there was no usable response (timeout, refused connection, TLS, …), or null
 */
public record Exchange(int status, Map<String, List<String>> headers, String body, boolean bodyTruncated,
                       Duration latency, String error) {

    public Exchange {
        headers = Map.copyOf(headers);
    }

    public static Exchange failed(String error, Duration latency) {
        return new Exchange(0, Map.of(), "", false, latency, error);
    }

    public boolean answered() {
        return error == null;
    }

    /** The values of a response header, whatever the case of {@code name}. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
}
