package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwapRequestTest {
    private static final ObjectMapper MAPPER = Json.newMapper();

    private static SwapRequest parse(String userParameters) {
        return SwapRequest.parse(userParameters, MAPPER, name -> null);
    }

    private static SwapException rejects(String userParameters) {
        SwapException e = assertThrows(SwapException.class, () -> parse(userParameters));
        assertEquals(FailureType.ConfigurationError, e.type());
        return e;
    }

    @Test
    void acceptsTheReferenceArchitecturesFormat() {
        SwapRequest request = parse("{\"ElbName\": \"app-alb\"}");
        assertEquals("app-alb", request.loadBalancer());
        assertEquals(null, request.liveListener());
        assertEquals(null, request.testListener());
        assertTrue(request.requireHealthyGreen());
    }

    @Test
    void acceptsABareNameOrArn() {
        assertEquals("app-alb", parse("  app-alb ").loadBalancer());
        String arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188";
        assertEquals(arn, parse(arn).loadBalancer());
        assertEquals("app-alb", parse("\"app-alb\"").loadBalancer());
    }

    @Test
    void acceptsTheFullForm() {
        String listenerArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/app-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
        SwapRequest request = parse("{\"loadBalancer\": \"app-alb\", \"liveListener\": \"" + listenerArn
                + "\", \"testListener\": \"8443\", \"targetGroups\": [\"app-blue\", \"app-green\"], \"requireHealthyGreen\": false}");
        assertEquals(ListenerRef.arn(listenerArn), request.liveListener());
        assertEquals(ListenerRef.port(8443), request.testListener());
        assertEquals(List.of("app-blue", "app-green"), request.targetGroups());
        assertFalse(request.requireHealthyGreen());
    }

    @Test
    void environmentSetsTheHealthDefaultAndUserParametersOverrideIt() {
        Map<String, String> env = Map.of(SwapRequest.REQUIRE_HEALTHY_GREEN_ENV, "false");
        assertFalse(SwapRequest.parse("app-alb", MAPPER, env::get).requireHealthyGreen());
        assertTrue(SwapRequest.parse("{\"ElbName\": \"app-alb\", \"requireHealthyGreen\": true}", MAPPER, env::get)
                .requireHealthyGreen());
        SwapException e = assertThrows(SwapException.class,
                () -> SwapRequest.parse("app-alb", MAPPER, Map.of(SwapRequest.REQUIRE_HEALTHY_GREEN_ENV, "yes")::get));
        assertTrue(e.getMessage().contains("REQUIRE_HEALTHY_GREEN"), e.getMessage());
    }

    @Test
    void emptyParametersSayWhatToWrite() {
        assertTrue(rejects("").getMessage().contains("{\"ElbName\": \"my-alb\"}"));
        rejects(null);
    }

    @Test
    void invalidJsonSaysWhereItBroke() {
        String message = rejects("{\"ElbName\": \"app-alb\"").getMessage();
        assertTrue(message.startsWith("UserParameters is not valid JSON"), message);
        assertTrue(message.contains("line 1"), message);
    }

    @Test
    void misspeltKeysAreRefusedNotIgnored() {
        String message = rejects("{\"ElbName\": \"app-alb\", \"liveListner\": 443}").getMessage();
        assertTrue(message.contains("[liveListner]"), message);
    }

    @Test
    void missingLoadBalancerIsNamed() {
        assertTrue(rejects("{\"liveListener\": 443}").getMessage().contains("does not name the load balancer"));
    }

    @Test
    void badValuesAreNamedWithTheirKey() {
        assertTrue(rejects("{\"ElbName\": \"app-alb\", \"liveListener\": 70000}").getMessage().contains("\"liveListener\""));
        assertTrue(rejects("{\"ElbName\": \"app-alb\", \"testListener\": \"eighty\"}").getMessage().contains("\"testListener\""));
        assertTrue(rejects("{\"ElbName\": \"app-alb\", \"targetGroups\": [\"only-one\"]}").getMessage().contains("\"targetGroups\""));
        assertTrue(rejects("{\"ElbName\": \"app-alb\", \"requireHealthyGreen\": \"no\"}").getMessage().contains("true or false"));
        assertTrue(rejects("{\"ElbName\": 42}").getMessage().contains("\"ElbName\""));
        assertTrue(rejects("{\"ElbName\": \"a\", \"loadBalancer\": \"b\"}").getMessage().contains("two load balancers"));
        assertTrue(rejects("{\"ElbName\": \"app-alb\", \"liveListener\": 80, \"testListener\": 80}").getMessage()
                .contains("two different listeners"));
    }

    @Test
    void somethingThatIsNeitherNameNorJsonIsRefused() {
        assertTrue(rejects("app alb with spaces").getMessage().contains("is not an Application Load Balancer name"));
        rejects("[\"app-alb\"]");
    }
}
