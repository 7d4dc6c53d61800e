package dev.ecsbluegreen.swap;

import java.util.Map;

/** What the swap reports to CodePipeline. */
public sealed interface SwapOutcome {
    /** Traffic is where the approval wanted it. */
    record Succeeded(String summary, Map<String, String> outputVariables) implements SwapOutcome {
        public Succeeded {
            outputVariables = Map.copyOf(outputVariables);
        }
    }

    /**
     * A progressive release is under way: CodePipeline is to call again with {@code continuationToken}.
     *
     * @param percentComplete 0-100, how far the release is
     */
    record Continued(String summary, String continuationToken, int percentComplete) implements SwapOutcome {}

    /** Nothing was left half-done: the message says what failed and in what state the listeners are. */
    record Failed(FailureType type, String message) implements SwapOutcome {}
}
