package dev.ecsbluegreen.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.check.ChecksParser;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.hooks.codedeploy.HookStage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookConfigTest {
    @Test
    void zeroConfigurationTestsTheTestListenerWithTheDefaultCheck() {
        HookConfig config = HookConfig.fromEnvironment(Map.<String, String>of()::get);
        assertEquals(HookStage.AFTER_ALLOW_TEST_TRAFFIC, config.stage());
        assertEquals(ChecksParser.defaults(), config.checks());
        assertEquals("default", config.checksSource());
        assertNull(config.baseUrl());
        assertEquals(EnumSet.noneOf(Gate.class), config.gates());
        assertEquals(Duration.ofMinutes(5), config.maxValidation());
    }

    @Test
    void beforeAllowTrafficRunsEveryGateByDefault() {
        HookConfig config = HookConfig.fromEnvironment(Map.of("HOOK_STAGE", "BeforeAllowTraffic")::get);
        assertEquals(EnumSet.allOf(Gate.class), config.gates());
        assertEquals(Listener.TEST, config.stage().listener());
        HookConfig none = HookConfig.fromEnvironment(Map.of("HOOK_STAGE", "BeforeAllowTraffic", "GATES", "none")::get);
        assertEquals(EnumSet.noneOf(Gate.class), none.gates());
    }

    @Test
    void afterAllowTrafficTestsTheProductionListener() {
        assertEquals(Listener.PRODUCTION,
                HookConfig.fromEnvironment(Map.of("HOOK_STAGE", "AfterAllowTraffic")::get).stage().listener());
    }

    @Test
    void readsEveryVariable() {
        HookConfig config = HookConfig.fromEnvironment(Map.of(
                "TARGET_BASE_URL", "https://green.example.com:8443/",
                "CHECKS", "[{\"path\":\"/health\"}]",
                "GATES", "TASK_COUNTS",
                "MAX_VALIDATION_SECONDS", "120",
                "REPORT_MARGIN_SECONDS", "10",
                "ECS_RETRY_WINDOW_SECONDS", "900",
                "ECS_CALLBACK_DELAY_SECONDS", "60")::get);
        assertEquals(URI.create("https://green.example.com:8443"), config.baseUrl());
        assertEquals("/health", config.checks().get(0).path());
        assertEquals(EnumSet.of(Gate.TASK_COUNTS), config.gates());
        assertEquals(Duration.ofMinutes(2), config.maxValidation());
        assertEquals(Duration.ofSeconds(10), config.reportMargin());
        assertEquals(Duration.ofMinutes(15), config.ecsRetryWindow());
        assertEquals(Duration.ofMinutes(1), config.ecsCallbackDelay());
    }

    @Test
    void readsChecksFromAFileInThePackage(@TempDir Path taskRoot) throws IOException {
        Files.writeString(taskRoot.resolve("checks.json"), "{\"checks\":[{\"name\":\"from file\"}]}");
        HookConfig config = HookConfig.fromEnvironment(
                Map.of("CHECKS_FILE", "checks.json", "LAMBDA_TASK_ROOT", taskRoot.toString())::get);
        assertEquals("from file", config.checks().get(0).name());
        assertEquals("CHECKS_FILE checks.json", config.checksSource());
    }

    @Test
    void readsChecksFromAResourceInTheJarWhenNoFileIsThere(@TempDir Path emptyTaskRoot) {
        HookConfig config = HookConfig.fromEnvironment(
                Map.of("CHECKS_FILE", "checks/packaged.json", "LAMBDA_TASK_ROOT", emptyTaskRoot.toString())::get);
        assertEquals("packaged health", config.checks().get(0).name());
    }

    @Test
    void refusesAmbiguousOrBrokenSettingsNamingTheVariable() {
        assertMessage("set CHECKS or CHECKS_FILE", Map.of("CHECKS", "[{}]", "CHECKS_FILE", "c.json"));
        assertMessage("HOOK_STAGE 'BeforeInstall'", Map.of("HOOK_STAGE", "BeforeInstall"));
        assertMessage("TARGET_BASE_URL 'green:80'", Map.of("TARGET_BASE_URL", "green:80"));
        assertMessage("MAX_VALIDATION_SECONDS 'ten'", Map.of("MAX_VALIDATION_SECONDS", "ten"));
        assertMessage("CHECKS_FILE missing.json is neither", Map.of("CHECKS_FILE", "missing.json"));
        assertMessage("CHECKS: checks are not valid JSON", Map.of("CHECKS", "[{"));
    }

    private static void assertMessage(String start, Map<String, String> env) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> HookConfig.fromEnvironment(env::get));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
