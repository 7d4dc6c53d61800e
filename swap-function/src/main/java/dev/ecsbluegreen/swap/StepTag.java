package dev.ecsbluegreen.swap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load balancer's record of where a progressive release stands, one tag (ELB allows 50 a resource, moto 10):
 * {@code step=2 started=1764590000 parts=1 job=<id of the last job that acted>}.
 *
 * @param step the step in place (1-based; the last is the whole swap)
 * @param started when it was written, epoch seconds
 * @param parts how many {@code ecs-bluegreen:original-N} tags hold the routing before the release
 * @param lastJob the last job that acted on the release: a redelivery of it changes nothing
 */
record StepTag(int step, long started, int parts, String lastJob) {
    private static final Pattern FORMAT = Pattern.compile("step=(\\d{1,3}) started=(\\d{1,12}) parts=(\\d{1,2}) job=(\\S+)");

    String value() {
        return "step=" + step + " started=" + started + " parts=" + parts + " job=" + lastJob;
    }

    /** The tag's value read back; null when there is none or it is not one this function wrote. */
    static StepTag parse(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = FORMAT.matcher(value.strip());
        return m.matches() ? new StepTag(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                Integer.parseInt(m.group(3)), m.group(4)) : null;
    }

    StepTag by(String job) {
        return new StepTag(step, started, parts, job);
    }

    StepTag at(int newStep, long newStarted, String job) {
        return new StepTag(newStep, newStarted, parts, job);
    }
}
