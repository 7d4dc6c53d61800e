package dev.ecsbluegreen.analysis.metrics;

import dev.ecsbluegreen.core.Deadline;
import java.util.List;

/**
 * Reads CloudWatch alarm states ({@code DescribeAlarms}, every page). The default implementation is
 * {@link dev.ecsbluegreen.analysis.aws.CloudWatchSource}. Thread-safe.
 */
public interface AlarmSource {
    /**
     * @param names      alarm names (may be empty)
     * @param namePrefix an alarm name prefix, or null
     * @return every alarm found, by either; a named alarm that does not exist is simply absent
     * @throws dev.ecsbluegreen.core.AwsCallException when a call fails (throttled, denied, timed out)
     */
    List<AlarmState> alarms(List<String> names, String namePrefix, Deadline deadline);

    /**
     * @param state  {@code OK}, {@code ALARM} or {@code INSUFFICIENT_DATA}
     * @param reason CloudWatch's {@code StateReason}, or null
     */
    record AlarmState(String name, String state, String reason) {}
}
