package dev.ecsbluegreen.sandbox;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The main class of the child JVM that runs one function invocation as Lambda's Java runtime would: the function's
 * shaded jar on the class path, its handler built with its public no-arg constructor, configured only by the
 * environment, called once with the event read from stdin and a {@link Context} whose deadline is the function's
 * timeout. The handler's answer goes to stdout; its log (the {@link LambdaLogger}) and anything it prints go to
 * stderr. Exit status 0 for a normal return, 1 for a function error (its stack trace on stderr).
 *
 * <p>Arguments: {@code <handler class>::handleRequest <timeout millis> <function name>}.
 */
public final class LambdaLauncher {
    private LambdaLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !args[0].endsWith("::handleRequest")) {
            System.err.println("usage: LambdaLauncher <class>::handleRequest <timeout millis> <function name>");
            System.exit(2);
        }
        // stdout carries the answer only: whatever the function prints goes to the log
        PrintStream answerStream = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        long started = System.currentTimeMillis();
        String className = args[0].substring(0, args[0].indexOf("::"));
        Context context = new LocalContext(args[2], started + Long.parseLong(args[1]));
        byte[] event = System.in.readAllBytes();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            Object handler = Class.forName(className).getDeclaredConstructor().newInstance();
            if (!(handler instanceof RequestStreamHandler streamHandler)) {
                throw new IllegalArgumentException(className + " is not a RequestStreamHandler");
            }
            streamHandler.handleRequest(new ByteArrayInputStream(event), answer, context);
        } catch (Throwable e) {
            System.err.println("function error: " + e);
            e.printStackTrace(System.err);
            System.err.flush();
            System.exit(1);
        }
        answerStream.write(answer.toByteArray());
        answerStream.flush();
        System.exit(0);
    }

    private static final class LocalContext implements Context {
        private final String functionName;
        private final long deadlineMillis;
        private final String requestId = UUID.randomUUID().toString();
        private final LambdaLogger logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                System.err.print(message);
                System.err.flush();
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };

        LocalContext(String functionName, long deadlineMillis) {
            this.functionName = functionName;
            this.deadlineMillis = deadlineMillis;
        }

        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
        @Override public String getLogStreamName() { return "sandbox/[$LATEST]" + requestId.replace("-", ""); }
        @Override public String getFunctionName() { return functionName; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() {
            return "arn:aws:lambda:" + System.getenv().getOrDefault("AWS_REGION", "us-east-1") + ":123456789012:function:" + functionName;
        }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadlineMillis - System.currentTimeMillis()); }
        @Override public int getMemoryLimitInMB() { return Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")); }
        @Override public LambdaLogger getLogger() { return logger; }
    }
}
