package dev.ecsbluegreen.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Checks a function module's {@code target/} after packaging: one deployable shaded jar, holding its handler and
 * the URL-connection HTTP client, and neither the HTTP clients a Lambda package must not carry nor anything of the
 * test-support module (the local emulator tooling of {@code dev.ecsbluegreen.core.local}, this harness).
 */
public final class DeployableJar {
    private static final List<String> FORBIDDEN = List.of(
            "org/apache/http/", "org/apache/hc/", "io/netty/",
            "software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/apache5/", "software/amazon/awssdk/http/nio/",
            "dev/ecsbluegreen/core/local/", "dev/ecsbluegreen/testing/");

    private DeployableJar() {}

    /** @param jarName the only jar expected in {@code target/}, e.g. {@code swap-function.jar} */
    public static void check(String jarName, String handlerClass) throws IOException {
        Path target = Path.of("target");
        try (Stream<Path> files = Files.list(target)) {
            assertEquals(List.of(target.resolve(jarName)), files.filter(p -> p.toString().endsWith(".jar")).toList(),
                    "target/ must hold exactly one deployable jar");
        }
        try (JarFile jar = new JarFile(target.resolve(jarName).toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertTrue(names.contains(handlerClass.replace('.', '/') + ".class"), handlerClass + " missing");
            assertTrue(names.stream().anyMatch(n -> n.startsWith("software/amazon/awssdk/http/urlconnection/")),
                    "the URL-connection HTTP client must be inside");
            assertEquals(List.of(), names.stream().filter(n -> FORBIDDEN.stream().anyMatch(n::startsWith)).limit(5).toList(),
                    "Apache or Netty HTTP client classes, or test-support classes, inside");
        }
    }
}
