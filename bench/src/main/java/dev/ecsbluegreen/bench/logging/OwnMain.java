package dev.ecsbluegreen.bench.logging;

import dev.ecsbluegreen.core.telemetry.Invocation;
import dev.ecsbluegreen.core.telemetry.Level;
import dev.ecsbluegreen.core.telemetry.Metric;
import dev.ecsbluegreen.core.telemetry.MetricsLog;
import dev.ecsbluegreen.core.telemetry.StructuredLog;
import java.util.Map;

/**
 * The project's own writer, as a function's handler uses it: the invocation from Lambda's context, one structured
 * log line, then the invocation's metrics (the cold start and one value) flushed as EMF lines.
 */
public final class OwnMain {
    private OwnMain() {
    }

    public static void main(String[] args) {
        Prelude.runIf(args);
        Invocation invocation = Invocation.of("swap", new BenchContext(), System::getenv);
        StructuredLog log = new StructuredLog(invocation, Level.INFO, StructuredLog.stdout(), false)
                .with("jobId", "job-1");
        log.info("swap started", Map.of("stage", "swap"));
        MetricsLog metrics = new MetricsLog(invocation, System::getenv, StructuredLog.stdout());
        metrics.add(Metric.DURATION, 12.0);
        metrics.flush();
    }
}
