package dev.ecsbluegreen.hooks.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Green's share of a listener's traffic as an Amazon ECS hook request reports it: {@code productionTrafficWeights}
 * (or {@code testTrafficWeights}) maps each service revision to its weight.
 */
final class TrafficWeights {
    private TrafficWeights() {}

    /**
     * @return green's share in percent (0–100), or null when the request reports no weights (or none for green)
     */
    static Double greenPercent(JsonNode weights, String greenRevisionArn) {
        if (greenRevisionArn == null || weights == null || !weights.isObject() || !weights.has(greenRevisionArn)) {
            return null;
        }
        double total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = weights.fields(); it.hasNext(); ) {
            JsonNode value = it.next().getValue();
            if (!value.isNumber() || value.asDouble() < 0) {
                return null;
            }
            total += value.asDouble();
        }
        return total <= 0 ? null : 100.0 * weights.get(greenRevisionArn).asDouble() / total;
    }
}
