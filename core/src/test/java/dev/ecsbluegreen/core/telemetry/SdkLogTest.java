package dev.ecsbluegreen.core.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class SdkLogTest {
    private final List<String> lines = new ArrayList<>();

    @AfterEach
    void back() {
        SdkLog.sendTo(StructuredLog.stdout());
    }

    @Test
    void slf4jIsBoundToTheSchemaAndOnlyWarningsAndErrorsAreWritten() throws Exception {
        SdkLog.sendTo(lines::add);
        Logger logger = LoggerFactory.getLogger("software.amazon.awssdk.core.internal.retry");
        assertTrue(logger instanceof SdkLog, "SLF4J is bound to the functions' own logger, not " + logger.getClass());
        logger.debug("request body {}", "secret");
        logger.info("chatty");
        logger.warn("retrying {} after {}", "DescribeRules", "Throttling", new IllegalStateException("throttled"));
        logger.error("failed https://host/x?X-Amz-Signature=abc");
        assertEquals(2, lines.size(), String.join("\n", lines));
        JsonNode warn = new ObjectMapper().readTree(lines.get(0));
        assertEquals("WARN", warn.get("level").asText());
        assertEquals("retrying DescribeRules after Throttling", warn.get("message").asText());
        assertEquals("software.amazon.awssdk.core.internal.retry", warn.get("logger").asText());
        assertTrue(warn.get("error").asText().contains("throttled"));
        assertTrue(warn.has("timestamp") && warn.has("service") && warn.has("cold_start"));
        assertFalse(lines.get(1).contains("abc"), "redacted: " + lines.get(1));
    }
}
