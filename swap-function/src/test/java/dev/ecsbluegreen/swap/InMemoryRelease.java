package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.codepipeline.JobResults;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The swap handler over an {@link InMemoryLoadBalancers}, with a CodePipeline that accepts a job's first report
 * and answers {@code InvalidJobStateException} to later ones, as the real one does; time runs on the load
 * balancer's fake clock, so deadlines are exact and a test never waits.
 */
final class InMemoryRelease {
    private static final ObjectMapper MAPPER = Json.newMapper();

    final InMemoryLoadBalancers elb;
    final Map<String, String> env = new HashMap<>();
    /** Every report the function sent, accepted or not. */
    final List<Report> reports = new ArrayList<>();
    private final long timeoutMillis;

    /** One report: what it said, whether CodePipeline accepted it, and whether it came before the deadline. */
    record Report(String jobId, boolean succeeded, String text, boolean accepted, boolean beforeDeadline) {}

    /** What one delivery returned, and the log it wrote. */
    record Delivery(JsonNode response, String log) {
        boolean succeeded() {
            return "succeeded".equals(response.get("result").asText());
        }

        String text() {
            return succeeded() ? response.get("summary").asText() : response.get("message").asText();
        }
    }

    InMemoryRelease(InMemoryLoadBalancers elb, long timeoutMillis) {
        this.elb = elb;
        this.timeoutMillis = timeoutMillis;
    }

    private final class Results implements JobResults {
        private final Deadline deadline;

        Results(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public JobResults within(Deadline bound) {
            return new Results(bound);
        }

        @Override
        public void succeeded(String jobId, String summary, Map<String, String> outputVariables, String executionId) {
            record(jobId, true, summary);
        }

        @Override
        public void continued(String jobId, String summary, String continuationToken, Integer percentComplete,
                              String executionId) {
            record(jobId, true, summary);
        }

        @Override
        public void failed(String jobId, String type, String message, String executionId) {
            record(jobId, false, message);
        }

        private void record(String jobId, boolean succeeded, String text) {
            boolean first;
            synchronized (reports) {
                first = reports.stream().noneMatch(r -> r.jobId().equals(jobId) && r.accepted());
                reports.add(new Report(jobId, succeeded, text, first, deadline == null || !deadline.expired()));
            }
            if (!first) {
                throw new AlreadyReported("job " + jobId + " is already in state Failed or Succeeded");
            }
        }
    }

    Delivery deliver(String jobId, String userParameters) throws Exception {
        SwapHandler handler = new SwapHandler(elb, new Results(null), env::get, elb::nanoTime);
        TestLambdaContext context = new TestLambdaContext(timeoutMillis);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String event = SwapHandlerIT.event(jobId, userParameters);
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return new Delivery(MAPPER.readTree(out.toByteArray()), context.log());
    }

    /** The one accepted report of {@code jobId}; fails the test when there is none or more than one. */
    Report accepted(String jobId) {
        List<Report> accepted = reports.stream().filter(r -> r.jobId().equals(jobId) && r.accepted()).toList();
        assertFalse(accepted.size() != 1, "accepted reports of " + jobId + ": " + accepted);
        return accepted.get(0);
    }
}
