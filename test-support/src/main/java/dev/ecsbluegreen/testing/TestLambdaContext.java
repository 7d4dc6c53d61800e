package dev.ecsbluegreen.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Lambda {@link Context} for in-process tests: a fixed deadline from creation and a logger that keeps
 * every line so tests can read what an operator would see in CloudWatch.
 */
public final class TestLambdaContext implements Context {
    private final long deadlineMillis;
    private final String requestId = UUID.randomUUID().toString();
    private final List<String> lines = new ArrayList<>();
    private final LambdaLogger logger = new LambdaLogger() {
        @Override
        public void log(String message) {
            synchronized (lines) {
                lines.add(message);
            }
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    };

    public TestLambdaContext(long timeoutMillis) {
        this.deadlineMillis = System.currentTimeMillis() + timeoutMillis;
    }

    public TestLambdaContext() {
        this(60_000);
    }

    /** Everything the function logged through this context, in order. */
    public List<String> logLines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public String log() {
        return String.join("\n", logLines());
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/test"; }
    @Override public String getLogStreamName() { return "test"; }
    @Override public String getFunctionName() { return "test"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:test"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadlineMillis - System.currentTimeMillis()); }
    @Override public int getMemoryLimitInMB() { return 512; }
    @Override public LambdaLogger getLogger() { return logger; }
}
