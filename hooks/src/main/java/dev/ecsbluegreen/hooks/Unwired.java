package dev.ecsbluegreen.hooks;

import dev.ecsbluegreen.analysis.metrics.AlarmSource;
import dev.ecsbluegreen.analysis.metrics.MetricDataSource;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.hooks.ecs.ServiceRoutingSource;

/** Sources a handler built for a test without them: each call fails as an AWS call would, saying why. */
final class Unwired {
    static final ServiceRoutingSource ROUTING = (cluster, service, deadline) -> {
        throw unwired("ecs:DescribeServices");
    };
    static final AlarmSource ALARMS = (names, prefix, deadline) -> {
        throw unwired("cloudwatch:DescribeAlarms");
    };
    static final MetricDataSource METRICS = (queries, start, end, deadline) -> {
        throw unwired("cloudwatch:GetMetricData");
    };

    private Unwired() {}

    private static AwsCallException unwired(String action) {
        return new AwsCallException(action, AwsCallException.Kind.UNAVAILABLE, "NotWired",
                action + ": this handler was built without it", null);
    }
}
