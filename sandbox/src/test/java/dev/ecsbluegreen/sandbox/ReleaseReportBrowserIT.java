package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release report as a browser shows it: headless Chromium (Debian's {@code chromium} package, installed here when
 * missing) loads the page, runs its script and dumps the resulting document, which must hold every step and both
 * charts, with the script finished and no script error.
 */
class ReleaseReportBrowserIT {
    @TempDir
    Path dir;

    @Test
    void chromiumRendersTheStepsAndTheChartsWithoutScriptErrors() throws Exception {
        Path page = ReleaseReport.write(dir.resolve("release-report.html"), ReleaseReportTest.canaryReport());
        Path chromium = chromium();

        List<String> command = List.of(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=2000", "--dump-dom", page.toUri().toString());
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "chromium did not finish");
        String log = Files.readString(dir.resolve("chromium.log"));

        assertEquals(0, process.exitValue(), log);
        String body = dom.substring(dom.indexOf("<body"), dom.indexOf('>', dom.indexOf("<body")) + 1);
        assertTrue(body.contains("data-ready=\"true\""), "the page's script ran to its end: " + body);
        assertFalse(body.contains("data-script-error"), "a script error: " + body);
        assertFalse(log.contains("Uncaught"), log);
        assertEquals(4, ReleaseReportTest.count(dom, "<tr class=\"step\""), dom);
        assertEquals(4, ReleaseReportTest.count(dom, "<polyline class=\"series\""), dom);
    }

    /** Chromium from the PATH, installed with apt-get when missing; a machine that can do neither fails the test. */
    private static Path chromium() throws IOException, InterruptedException {
        Path found = onPath();
        if (found == null) {
            List<String> install = new ArrayList<>(List.of("sh", "-c", "apt-get update -qq && apt-get install -y -qq chromium"));
            Process process = new ProcessBuilder(install).inheritIO().start();
            assertTrue(process.waitFor(15, TimeUnit.MINUTES), "apt-get install chromium did not finish");
            found = onPath();
        }
        assertNotNull(found, "chromium is not on the PATH and apt-get could not install it: the report's browser test "
                + "cannot run (apt-get install chromium)");
        return found;
    }

    private static Path onPath() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(dir -> Stream.of(Path.of(dir, "chromium"), Path.of(dir, "chromium-browser")))
                .filter(Files::isExecutable).findFirst().orElse(null);
    }
}
