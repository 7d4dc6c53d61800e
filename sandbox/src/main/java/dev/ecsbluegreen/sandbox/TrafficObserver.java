package dev.ecsbluegreen.sandbox;

import java.time.Duration;

/**
 * Told of every answer a target gave through the {@link DataPlane}. Called on the request's thread, so it must be
 * quick and thread-safe; what it throws is caught and ignored (a proxied request never fails because of it).
 * Default implementation: {@link TrafficMetrics}.
 */
public interface TrafficObserver {
    TrafficObserver NONE = (targetGroupArn, status, responseTime) -> { };

    /**
     * @param status       the target's HTTP status
     * @param responseTime from sending the request to the target until its answer's headers arrived (ALB's
     *                     {@code TargetResponseTime})
     */
    void served(String targetGroupArn, int status, Duration responseTime);
}
