package dev.ecsbluegreen.bench.logging;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** The Lambda context the runtime would hand the handler: what both log writers read the invocation from. */
final class BenchContext implements Context {
    static final String REQUEST_ID = "8f5d1c2e-6b0a-4c3e-9d7f-1a2b3c4d5e6f";

    @Override
    public String getAwsRequestId() {
        return REQUEST_ID;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/swap-function";
    }

    @Override
    public String getLogStreamName() {
        return "2026/12/01/[$LATEST]0123456789abcdef";
    }

    @Override
    public String getFunctionName() {
        return "swap-function";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:swap-function";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return 60_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }
}
