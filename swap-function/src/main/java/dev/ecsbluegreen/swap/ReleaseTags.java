package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.swap.Swapper.Situation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A progressive release's tags on the load balancer, beyond the first record: progress, state, the operator's
 * command, the tallies. A write here that fails only costs a log line: the routing, read back, is the truth, and
 * the next invocation converges from it. Thread-safe as long as its {@link LoadBalancers} is.
 */
final class ReleaseTags {
    private final LoadBalancers elb;

    ReleaseTags(LoadBalancers elb) {
        this.elb = elb;
    }

    /** The load balancer's tags as read at the start of the invocation. */
    static Map<String, String> of(Situation s) {
        return s.before().tags().getOrDefault(s.lb().arn(), Map.of());
    }

    /** The load balancer's tags as they are now; those read at the start of the invocation when that read fails. */
    Map<String, String> readNow(ReleaseJob job, Situation s) {
        try {
            return elb.within(job.budget().forStateTag()).tags(List.of(s.lb().arn())).getOrDefault(s.lb().arn(), Map.of());
        } catch (RuntimeException e) {
            job.log().warn("could not read the release's record back; going by the one read before",
                    Map.of("error", String.valueOf(e.getMessage())));
            return of(s);
        }
    }

    void put(ReleaseJob job, Situation s, Map<String, String> tags) {
        try {
            elb.within(job.budget().forStateTag()).putTags(s.lb().arn(), tags);
        } catch (RuntimeException | Error e) {
            job.log().warn("could not write the release's progress on the load balancer",
                    Map.of("tags", tags.keySet(), "error", String.valueOf(e.getMessage())));
        }
    }

    void putRecord(ReleaseJob job, Situation s, JobRecord record, Deadline deadline) {
        try {
            elb.within(deadline).putTags(s.lb().arn(), record.tags());
        } catch (RuntimeException | Error e) {
            job.log().warn("could not record the release's state on the load balancer",
                    Map.of("state", record.state().tag, "error", String.valueOf(e.getMessage())));
        }
    }

    /** Removes the operator's command: it is acted upon once. */
    void clearCommand(ReleaseJob job, Situation s, String command) {
        try {
            elb.within(job.budget().forStateTag()).removeTags(s.lb().arn(), List.of(ProgressiveSwap.TAG_COMMAND));
            job.log().info("operator command acted upon and cleared", Map.of("command", command));
        } catch (RuntimeException | Error e) {
            job.log().warn("could not clear the operator's command: remove it by hand (aws elbv2 remove-tags "
                    + "--resource-arns " + s.lb().arn() + " --tag-keys " + ProgressiveSwap.TAG_COMMAND + ")",
                    Map.of("command", command, "error", String.valueOf(e.getMessage())));
        }
    }

    /** The release is over: its progress tags go (the job record stays, for the next approval). */
    void clearProgress(ReleaseJob job, Situation s, Map<String, String> tags) {
        List<String> keys = new ArrayList<>(OriginalRoutes.tagKeys(tags));
        tags.keySet().stream().filter(k -> k.startsWith(Progress.TAG_TALLIES)).forEach(keys::add);
        keys.add(ProgressiveSwap.TAG_PROGRESS);
        try {
            elb.within(job.budget().forStateTag()).removeTags(s.lb().arn(), keys);
        } catch (RuntimeException | Error e) {
            job.log().warn("could not remove the release's progress tags (the next release overwrites them)",
                    Map.of("error", String.valueOf(e.getMessage())));
        }
    }
}
