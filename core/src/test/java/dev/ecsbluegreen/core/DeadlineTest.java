package dev.ecsbluegreen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
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
        Deadline deadline = Deadline.forInvocation(new TimeLeft(10_000), Duration.ofSeconds(3), Duration.ofMinutes(5));
        long left = deadline.remaining().toMillis();
        assertTrue(left <= 7_000 && left > 6_000, "left " + left);
    }

    @Test
    void invocationDeadlineIsCappedByTheConfiguredMaximum() {
        Deadline deadline = Deadline.forInvocation(new TimeLeft(900_000), Duration.ofSeconds(3), Duration.ofSeconds(20));
        assertTrue(deadline.remaining().toMillis() <= 20_000);
    }

    @Test
    void almostNoTimeLeftGivesAnExpiredDeadline() {
        Deadline deadline = Deadline.forInvocation(new TimeLeft(1_000), Duration.ofSeconds(3), Duration.ofSeconds(20));
        assertTrue(deadline.expired());
    }

    /**
     * A Lambda context that only knows its time left (test-support's TestLambdaContext depends on core, so core's
     * own tests cannot use it).
     */
    private record TimeLeft(int millis) implements Context {
        @Override public int getRemainingTimeInMillis() { return millis; }
        @Override public String getAwsRequestId() { return "request"; }
        @Override public String getLogGroupName() { return "/aws/lambda/test"; }
        @Override public String getLogStreamName() { return "test"; }
        @Override public String getFunctionName() { return "test"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:test"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getMemoryLimitInMB() { return 512; }
        @Override public LambdaLogger getLogger() {
            throw new UnsupportedOperationException("the deadline does not log");
        }
    }
}
