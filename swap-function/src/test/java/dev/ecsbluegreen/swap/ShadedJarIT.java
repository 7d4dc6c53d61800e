package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package Lambda runs: one shaded jar, holding the handler and no HTTP client Lambda must not carry. */
class ShadedJarIT {
    private static final Path TARGET = Path.of("target");

    @Test
    void targetHoldsExactlyOneDeployableJar() throws IOException {
        try (Stream<Path> jars = Files.list(TARGET)) {
            assertEquals(List.of(TARGET.resolve("swap-function.jar")),
                    jars.filter(p -> p.toString().endsWith(".jar")).toList());
        }
    }

    @Test
    void jarHasTheHandlerAndNoApacheOrNettyClient() throws IOException {
        try (JarFile jar = new JarFile(TARGET.resolve("swap-function.jar").toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertTrue(names.contains("dev/ecsbluegreen/swap/SwapHandler.class"), "handler missing");
            List<String> forbidden = names.stream()
                    .filter(n -> n.startsWith("org/apache/http") || n.startsWith("io/netty")
                            || n.startsWith("software/amazon/awssdk/http/apache") || n.startsWith("software/amazon/awssdk/http/nio"))
                    .limit(5).toList();
            assertEquals(List.of(), forbidden);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("software/amazon/awssdk/http/urlconnection/")),
                    "the URL-connection HTTP client must be inside");
        }
    }
}
