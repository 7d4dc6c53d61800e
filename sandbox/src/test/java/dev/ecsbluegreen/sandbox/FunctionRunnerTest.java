package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ecsbluegreen.sandbox.fixture.EnvironmentEchoHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invocations in a child JVM of a function packaged as its own jar, as the sandbox runs the real ones. */
class FunctionRunnerTest {
    private static final String HANDLER = EnvironmentEchoHandler.class.getName() + "::handleRequest";

    @TempDir
    Path dir;

    @Test
    void runsTheHandlerWithLambdasEnvironmentAndTheFunctionsOwnOnly() throws Exception {
        FunctionRunner.Invocation invocation = new FunctionRunner().invoke(function(Duration.ofSeconds(20)), "hello");

        assertFalse(invocation.functionError(), () -> String.join("\n", invocation.log()));
        Map<String, String> answer = answer(invocation);
        assertEquals(new TreeSet<>(Set.of("PATH", "LANG", "TZ", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
                        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION",
                        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_EXECUTION_ENV", "AWS_CONFIG_FILE",
                        "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED", "CUSTOM")),
                new TreeSet<>(Arrays.asList(answer.get("names").split(","))),
                "nothing of the sandbox's own environment reaches the function");
        assertEquals("echo", answer.get("function"));
        assertEquals("256", answer.get("memory"));
        assertEquals("set", answer.get("custom"));
        int remaining = Integer.parseInt(answer.get("remaining"));
        assertTrue(remaining > 0 && remaining <= 20_000, "remaining " + remaining);
        assertTrue(invocation.log().contains("event hello"), invocation.log().toString());
    }

    @Test
    void aThrowingHandlerIsAFunctionErrorWithItsStackTraceInTheLog() throws Exception {
        FunctionRunner.Invocation invocation = new FunctionRunner().invoke(function(Duration.ofSeconds(20)), "fail");

        assertEquals(1, invocation.exitCode());
        assertTrue(invocation.functionError());
        assertEquals("", invocation.answer());
        assertTrue(invocation.log().contains("function error: java.lang.IllegalStateException: asked to fail"),
                invocation.log().toString());
    }

    @Test
    void whatTheFunctionPrintsGoesToTheLogNotTheAnswer() throws Exception {
        FunctionRunner.Invocation invocation = new FunctionRunner().invoke(function(Duration.ofSeconds(20)), "print");

        assertTrue(invocation.log().contains("printed, not answered"), invocation.log().toString());
        assertTrue(invocation.answer().startsWith("names="), invocation.answer());
    }

    /** The fixture handler alone in a jar; the Lambda interfaces come through its manifest's Class-Path. */
    private FunctionRunner.LambdaFunction function(Duration timeout) throws IOException {
        Path jar = dir.resolve("echo.jar");
        String entry = EnvironmentEchoHandler.class.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                location(RequestStreamHandler.class).toUri().toString());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(location(EnvironmentEchoHandler.class).resolve(entry)));
            out.closeEntry();
        }
        Map<String, String> environment = new HashMap<>();
        environment.put("CUSTOM", "set");
        return new FunctionRunner.LambdaFunction("echo", jar, HANDLER, timeout, 256, environment);
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> answer(FunctionRunner.Invocation invocation) {
        Map<String, String> fields = new HashMap<>();
        invocation.answer().lines().forEach(line -> fields.put(line.substring(0, line.indexOf('=')),
                line.substring(line.indexOf('=') + 1)));
        return fields;
    }
}
