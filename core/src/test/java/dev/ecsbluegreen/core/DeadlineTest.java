package dev.ecsbluegreen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.testing.TestLambdaContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    @Test
    void remainingCountsDownAndNeverGoesNegative() {
        AtomicLong now = new AtomicLong(1_000);
        Deadline deadline = Deadline.after(Duration.ofMillis(50), now::get);
        assertEquals(Duration.ofMillis(50), deadline.remaining());
        now.addAndGet(Duration.ofMillis(20).toNanos());
        assertEquals(Duration.ofMillis(30), deadline.remaining());
        assertFalse(deadline.expired());
        now.addAndGet(Duration.ofMillis(40).toNanos());
        assertEquals(Duration.ZERO, deadline.remaining());
        assertTrue(deadline.expired());
    }

    @Test
    void invocationDeadlineKeepsTheReportingReserve() {
        Deadline deadline = Deadline.forInvocation(new TestLambdaContext(10_000), Duration.ofSeconds(3), Duration.ofMinutes(5));
        long left = deadline.remaining().toMillis();
        assertTrue(left <= 7_000 && left > 6_000, "left " + left);
    }

    @Test
    void invocationDeadlineIsCappedByTheConfiguredMaximum() {
        Deadline deadline = Deadline.forInvocation(new TestLambdaContext(900_000), Duration.ofSeconds(3), Duration.ofSeconds(20));
        assertTrue(deadline.remaining().toMillis() <= 20_000);
    }

    @Test
    void almostNoTimeLeftGivesAnExpiredDeadline() {
        Deadline deadline = Deadline.forInvocation(new TestLambdaContext(1_000), Duration.ofSeconds(3), Duration.ofSeconds(20));
        assertTrue(deadline.expired());
    }
}
