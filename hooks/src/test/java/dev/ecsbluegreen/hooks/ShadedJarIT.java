package dev.ecsbluegreen.hooks;

import dev.ecsbluegreen.testing.DeployableJar;
import org.junit.jupiter.api.Test;

/** The package Lambda runs: one shaded jar, holding the handler and no HTTP client Lambda must not carry. */
class ShadedJarIT {
    @Test
    void targetHoldsOneShadedJarWithTheHandlerAndNoApacheOrNettyClient() throws Exception {
        DeployableJar.check("hooks.jar", "dev.ecsbluegreen.hooks.HookHandler");
    }
}
