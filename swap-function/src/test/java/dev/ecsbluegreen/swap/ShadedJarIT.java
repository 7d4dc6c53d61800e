package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.testing.DeployableJar;
import org.junit.jupiter.api.Test;

/** The package Lambda runs: one shaded jar, holding the handler and no HTTP client Lambda must not carry. */
class ShadedJarIT {
    @Test
    void targetHoldsOneShadedJarWithTheHandlerAndNoApacheOrNettyClient() throws Exception {
        DeployableJar.check("swap-function.jar", "dev.ecsbluegreen.swap.SwapHandler");
    }
}
