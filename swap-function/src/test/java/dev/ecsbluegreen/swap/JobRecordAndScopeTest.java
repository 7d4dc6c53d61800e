package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.swap.JobRecord.JobState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobRecordAndScopeTest {
    private static final Direction SWAP = new Direction(Routes.arn("app-green"), Routes.arn("app-blue"));

    @Test
    void recordRoundTripsThroughTagsTheWayElbStoresThem() {
        Map<String, String> before = new LinkedHashMap<>();
        before.put(SWAP.newLive(), "false");
        before.put(SWAP.newTest(), null);
        JobRecord record = JobRecord.start("job-1", SWAP, before, Set.of("live:5", "test:default"));
        Map<String, String> tags = record.in(JobState.RESTORING).tags();
        assertEquals("live:5 test:default", tags.get(JobRecord.TAG_UNSWAPPED));
        tags.values().forEach(v -> assertTrue(v.length() <= 256 && v.matches("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*"),
                "not a valid ELB tag value: " + v));
        JobRecord read = JobRecord.from(tags);
        assertEquals(JobState.RESTORING, read.state());
        assertEquals(SWAP, read.direction());
        assertEquals(before, read.before());
        assertEquals(Set.of("live:5", "test:default"), read.unswapped());
        assertTrue(read.reversible());
    }

    @Test
    void tooManyUnswappedRoutesMakeTheRecordIrreversibleRatherThanWrong() {
        Set<String> many = IntStream.rangeClosed(1, 60).mapToObj(i -> "live:" + i).collect(Collectors.toSet());
        JobRecord record = JobRecord.start("job-1", SWAP, Map.of(), many);
        assertFalse(record.reversible());
        assertFalse(JobRecord.from(record.tags()).reversible());
    }

    @Test
    void olderRecordsAndRefusedJobsAreRead() {
        Map<String, String> old = new HashMap<>(Map.of(JobRecord.TAG_JOB, "job-0", JobRecord.TAG_STATE, "done",
                JobRecord.TAG_LIVE, SWAP.newLive(), JobRecord.TAG_TEST, SWAP.newTest()));
        JobRecord read = JobRecord.from(old);
        assertEquals(JobState.DONE, read.state());
        assertTrue(read.before().isEmpty(), "an older record does not say what the tags were: they are left alone");
        JobRecord refused = JobRecord.from(JobRecord.refusedTags("job-2"));
        assertTrue(refused.refused());
        assertEquals(JobState.RESTORED, refused.state());
        assertNull(JobRecord.from(Map.of("team", "web")));
    }

    @Test
    void scopeMatchesArnsAsIamDoesAndRefusesAnythingElse() {
        Scope scope = Scope.fromEnvironment(name -> name.equals(Scope.TARGET_GROUPS_ENV)
                ? "arn:aws:elasticloadbalancing:*:123456789012:targetgroup/app-*/*, " + SWAP.newTest() : null);
        scope.checkPair(SWAP);
        Scope narrow = Scope.fromEnvironment(name -> name.equals(Scope.TARGET_GROUPS_ENV) ? SWAP.newTest() : null);
        SwapException e = assertThrows(SwapException.class, () -> narrow.checkPair(SWAP));
        assertEquals(FailureType.ConfigurationError, e.type());
        assertTrue(e.getMessage().contains(SWAP.newLive()) && e.getMessage().contains("TargetGroupArns"), e.getMessage());
        SwapException bad = assertThrows(SwapException.class,
                () -> Scope.fromEnvironment(name -> name.equals(Scope.LOAD_BALANCERS_ENV) ? "app-alb" : null));
        assertTrue(bad.getMessage().contains(Scope.LOAD_BALANCERS_ENV), bad.getMessage());
        assertTrue(Scope.matches("arn:aws:x:?:1:loadbalancer/app/*", "arn:aws:x:a:1:loadbalancer/app/alb/1"));
        assertFalse(Scope.matches("arn:aws:x:?:1:loadbalancer/app/*", "arn:aws:x:ab:1:loadbalancer/app/alb/1"));
        Scope.UNRESTRICTED.checkPair(SWAP);
    }
}
