package dev.ecsbluegreen.swap;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a job records in the load balancer's tags before its first routing write, and updates as it goes: the job
 * id, its state, where it sends traffic, and what a later delivery needs to put everything back exactly without
 * the first delivery's memory — the {@code IsProduction} values it replaced, and the routes it leaves alone that
 * look like routes it changes (on the live listener, routes that already sent their traffic to green).
 *
 * <p>ELB tag values are at most 256 characters of letters, digits, spaces and {@code _.:/=+-@}: route keys are
 * {@code live:default}, {@code test:12} separated by spaces; when they do not fit, {@link #unswappedKnown()} is
 * false and a later delivery cannot put back exactly (it says so rather than guess).
 *
 * @param before the pair's {@code IsProduction} values before the job (target group ARN → value; null: no tag;
 *     absent: not recorded)
 * @param unswapped keys of the routes that a reverse of the swap would wrongly move (see {@link Routing#key})
 */
record JobRecord(String jobId, JobState state, Direction direction, Map<String, String> before, Set<String> unswapped,
                 boolean unswappedKnown) {
    static final String TAG_JOB = "ecs-bluegreen:job-id";
    static final String TAG_STATE = "ecs-bluegreen:job-state";
    static final String TAG_LIVE = "ecs-bluegreen:live-target-group";
    static final String TAG_TEST = "ecs-bluegreen:test-target-group";
    static final String TAG_LIVE_BEFORE = "ecs-bluegreen:live-target-group-was-production";
    static final String TAG_TEST_BEFORE = "ecs-bluegreen:test-target-group-was-production";
    static final String TAG_UNSWAPPED = "ecs-bluegreen:unswapped-routes";
    static final List<String> TAGS = List.of(TAG_JOB, TAG_STATE, TAG_LIVE, TAG_TEST, TAG_LIVE_BEFORE, TAG_TEST_BEFORE,
            TAG_UNSWAPPED);
    static final int MAX_TAG_VALUE = 256;
    /** A tag value standing for "there was no IsProduction tag" (a colon cannot start a real one we wrote). */
    private static final String NO_TAG = ":none";
    private static final String TOO_MANY = ":too-many";

    /** A job's state, as its tag spells it. */
    enum JobState {
        /** Writing; a delivery that finds this was interrupted before it finished or failed. */
        SWAPPING("swapping"),
        /** Traffic is where the job wanted it, verified by read-back. */
        DONE("done"),
        /** A delivery failed and is putting everything back (or was interrupted doing so). */
        RESTORING("restoring"),
        /** Everything was put back, verified by read-back. */
        RESTORED("restored"),
        /** A restore ran out of time or calls failed: the read-back differed from the state before the job. */
        RESTORE_INCOMPLETE("restore-incomplete"),
        /** A progressive release is writing a step; a delivery that finds this puts back the routing before it. */
        STEPPING("stepping"),
        /** A progressive release holds a step, verified by read-back, and judges green before the next. */
        BAKING("baking");

        final String tag;

        JobState(String tag) {
            this.tag = tag;
        }

        static JobState of(String tag) {
            for (JobState state : values()) {
                if (state.tag.equals(tag)) {
                    return state;
                }
            }
            return SWAPPING; // unknown or missing: assume the worst, an interrupted swap
        }

        /** A state in which a redelivery must put back, never swap. */
        boolean restoring() {
            return this == RESTORING || this == RESTORE_INCOMPLETE;
        }

        /** A progressive release between its first step and its last: another job must not swap under it. */
        boolean midRelease() {
            return this == STEPPING || this == BAKING;
        }
    }

    JobRecord {
        before = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(before));
        unswapped = Set.copyOf(unswapped);
    }

    /** The record a job writes before its first change. */
    static JobRecord start(String jobId, Direction direction, Map<String, String> before, Set<String> unswapped) {
        return new JobRecord(jobId, JobState.SWAPPING, direction, before, unswapped, true);
    }

    JobRecord in(JobState next) {
        return new JobRecord(jobId, next, direction, before, unswapped, unswappedKnown);
    }

    /**
     * The record of a job that failed before its first write, so that a duplicate delivery of it does not swap
     * after its failure was reported: no direction, nothing to put back.
     */
    static Map<String, String> refusedTags(String jobId) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_JOB, jobId);
        tags.put(TAG_STATE, JobState.RESTORED.tag);
        return tags;
    }

    /** Whether this is a {@link #refusedTags refused} job's record: it has no direction. */
    boolean refused() {
        return direction == null;
    }

    /** The record in a load balancer's tags, or null when there is none (or it is not one of ours). */
    static JobRecord from(Map<String, String> tags) {
        String job = tags.get(TAG_JOB);
        String live = tags.get(TAG_LIVE);
        String test = tags.get(TAG_TEST);
        if (job != null && JobState.RESTORED.tag.equals(tags.get(TAG_STATE)) && (live == null || test == null)) {
            return new JobRecord(job, JobState.RESTORED, null, Map.of(), Set.of(), true);
        }
        if (job == null || live == null || test == null || live.equals(test)) {
            return null;
        }
        Map<String, String> before = new LinkedHashMap<>();
        // a record without them (written by an older version) does not say: those tags are then left as they are
        if (tags.containsKey(TAG_LIVE_BEFORE)) {
            before.put(live, decode(tags.get(TAG_LIVE_BEFORE)));
        }
        if (tags.containsKey(TAG_TEST_BEFORE)) {
            before.put(test, decode(tags.get(TAG_TEST_BEFORE)));
        }
        String unswapped = tags.getOrDefault(TAG_UNSWAPPED, "");
        boolean known = !TOO_MANY.equals(unswapped);
        Set<String> keys = new LinkedHashSet<>();
        if (known && !unswapped.isBlank()) {
            keys.addAll(List.of(unswapped.strip().split(" +")));
        }
        return new JobRecord(job, JobState.of(tags.get(TAG_STATE)), new Direction(live, test), before, keys, known);
    }

    /** The tags that say this record (a refused record is never written through here). */
    Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_JOB, jobId);
        tags.put(TAG_STATE, state.tag);
        tags.put(TAG_LIVE, direction.newLive());
        tags.put(TAG_TEST, direction.newTest());
        tags.put(TAG_LIVE_BEFORE, encode(before.get(direction.newLive())));
        tags.put(TAG_TEST_BEFORE, encode(before.get(direction.newTest())));
        tags.put(TAG_UNSWAPPED, reversible() ? unswappedValue() : TOO_MANY);
        return tags;
    }

    /** Whether a later delivery can compute the state before the job from the state after it. */
    boolean reversible() {
        return unswappedKnown && unswappedValue().length() <= MAX_TAG_VALUE;
    }

    private String unswappedValue() {
        return String.join(" ", unswapped.stream().sorted().toList());
    }

    private static String encode(String value) {
        if (value == null) {
            return NO_TAG;
        }
        return value.length() <= MAX_TAG_VALUE && value.matches("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*") ? value : NO_TAG;
    }

    private static String decode(String value) {
        return value == null || NO_TAG.equals(value) ? null : value;
    }
}
