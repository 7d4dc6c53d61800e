package dev.ecsbluegreen.controller;

import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.ChecksParser;
import dev.ecsbluegreen.core.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/**
 * How a {@code deploy} validates green before it says done: the project's HTTP checks (the hooks' {@code CHECKS}
 * schema, docs/hooks.md) sent through the test listener once it forwards to green. A failed check rolls green back.
 *
 * @param testUrl where the test listener answers, e.g. {@code http://my-alb-123.us-east-1.elb.amazonaws.com:8080}
 * @param checks  what to send and expect; the hooks' default ({@code GET /} answering 2xx) when none is given
 */
public record GreenChecks(URI testUrl, List<Check> checks) {
    public GreenChecks {
        checks = List.copyOf(checks);
    }

    /**
     * @param testUrl    the test listener's URL, or null
     * @param checksJson a JSON array of checks, or null for the default check
     * @return null when neither is given: the deploy then validates nothing itself
     * @throws ConfigurationException for checks without a URL, a URL that is not absolute http(s), or bad checks
     */
    static GreenChecks of(String testUrl, String checksJson) {
        if (testUrl == null && checksJson == null) {
            return null;
        }
        if (testUrl == null) {
            throw new ConfigurationException("checks were given but no test URL to send them to: give the test listener's "
                    + "URL (testUrl, --test-url or TEST_URL), e.g. http://<load balancer DNS name>:<test port>");
        }
        URI url;
        try {
            url = new URI(testUrl.strip());
        } catch (URISyntaxException e) {
            throw new ConfigurationException("test URL \"" + Redaction.url(testUrl) + "\" is not a URL: " + e.getReason());
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new ConfigurationException("test URL \"" + Redaction.url(testUrl) + "\" must be an absolute http:// or "
                    + "https:// URL with a host");
        }
        try {
            return new GreenChecks(url, checksJson == null ? ChecksParser.defaults() : ChecksParser.parse(checksJson));
        } catch (InvalidConfigurationException e) {
            throw new ConfigurationException("checks: " + e.getMessage());
        }
    }

    /** The longest the checks can take: every attempt of every check at its timeout, with the pauses between. */
    Duration budget() {
        Duration total = Duration.ZERO;
        for (Check check : checks) {
            int waves = check.burst() == null ? 1
                    : (check.burst().requests() + check.burst().concurrency() - 1) / check.burst().concurrency();
            total = total.plus(check.timeout().multipliedBy((long) waves * check.attempts()))
                    .plus(check.interval().multipliedBy(check.attempts() - 1L));
        }
        return total;
    }

    String describe() {
        return checks.size() + (checks.size() == 1 ? " check" : " checks") + " through " + Redaction.url(testUrl.toString());
    }
}
