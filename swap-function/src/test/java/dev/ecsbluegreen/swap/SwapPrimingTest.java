package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.codepipeline.JobResults;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SnapStart priming runs one whole approval on canned answers and touches nothing of the real function's. */
class SwapPrimingTest {
    @Test
    void primingRunsAWholeSwapOnCannedAnswers() throws Exception {
        SwapPriming.Primed primed = SwapPriming.run();

        JsonNode answer = Json.newMapper().readTree(primed.answer());
        assertEquals("succeeded", answer.path("result").asText(), primed.answer());
        assertEquals("priming-green", answer.at("/outputVariables/LiveTargetGroup").asText());
        // reads, the two listener writes and the two rule writes, the tags, the read-back
        assertTrue(primed.elbOperations().containsAll(List.of("DescribeLoadBalancers", "DescribeListeners",
                "DescribeRules", "DescribeTargetHealth", "DescribeTags", "ModifyListener", "ModifyRule", "AddTags")),
                primed.elbOperations().toString());
    }

    @Test
    void beforeCheckpointPrimesWithoutCallingTheFunctionsOwnClients() {
        LoadBalancers untouchable = (LoadBalancers) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {LoadBalancers.class}, (proxy, method, args) -> {
                    throw new AssertionError("priming called the real load balancers: " + method.getName());
                });
        JobResults unreported = (JobResults) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {JobResults.class}, (proxy, method, args) -> {
                    throw new AssertionError("priming reported to the real CodePipeline: " + method.getName());
                });
        SwapHandler handler = new SwapHandler(untouchable, unreported, name -> null);

        handler.beforeCheckpoint(null);
        handler.afterRestore(null);
    }
}
