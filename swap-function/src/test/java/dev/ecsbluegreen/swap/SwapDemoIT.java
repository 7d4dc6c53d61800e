package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.testing.Moto;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's first command runs this demo: it must keep working. */
class SwapDemoIT {
    @RegisterExtension
    static final Moto moto = new Moto();

    @Test
    void demoRunsEveryStepAsDescribed() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        boolean ok = SwapDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(ok, output);
        assertTrue(output.contains("1. approval: release green"), output);
        assertTrue(output.contains("already in place"), output);
        assertTrue(output.contains("has no healthy target"), output);
    }
}
