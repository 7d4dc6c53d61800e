package dev.ecsbluegreen.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.testing.DeployableJar;
import dev.ecsbluegreen.testing.Moto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The one jar: Lambda's package, and the command-line tool run as {@code java -jar}, configured by the environment only. */
class ShadedJarIT {
    @RegisterExtension
    static final Moto moto = new Moto();

    @Test
    void targetHoldsOneShadedJarWithTheHandlerAndNoApacheOrNettyClient() throws Exception {
        DeployableJar.check("controller.jar", "dev.ecsbluegreen.controller.ControllerHandler");
    }

    record Exit(int status, String out, String err) {}

    static Exit javaJar(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "controller.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI did not end");
        return new Exit(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theJarRunsAsTheCommandLineToolAgainstTheEndpointsOfTheEnvironment() throws Exception {
        EcsFixture fx = new EcsFixture(moto);
        fx.close();
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_REGION", Moto.REGION.id(),
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "LIVE_LISTENER_ARN", fx.live, "TEST_LISTENER_ARN", fx.test, "TARGET_GROUP_ARNS", fx.blueGroup + "," + fx.greenGroup);

        Exit status = javaJar(env, "status", "--cluster", EcsFixture.CLUSTER, "--service", EcsFixture.SERVICE);

        assertEquals(0, status.status(), status.out() + status.err());
        assertTrue(status.out().contains("status succeeded: desired 2; ecs-svc/"), status.out());
        assertTrue(status.out().contains("live → app-blue, test → app-blue"), status.out());

        Exit usage = javaJar(env, "deploy", "--cluster", EcsFixture.CLUSTER);
        assertEquals(2, usage.status());
        assertTrue(usage.err().contains("usage: java -jar controller.jar"), usage.err());
    }
}
