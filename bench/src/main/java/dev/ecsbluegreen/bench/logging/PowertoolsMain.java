package dev.ecsbluegreen.bench.logging;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Powertools for AWS Lambda (Java) v2 without AspectJ, through its functional API: {@code
 * MetricsFactory.getMetricsInstance()} writes the cold-start EMF line, {@code
 * PowertoolsLogging.initializeLogging(context)} puts the context's keys in the MDC for log4j2's JsonTemplateLayout
 * with Powertools' LambdaJsonLayout template (log4j2.xml in the jar), an SLF4J logger writes the line, and the
 * metrics are flushed as EMF. The same three lines as the other configurations; the cold-start line comes first.
 */
public final class PowertoolsMain {
    private PowertoolsMain() {
    }

    public static void main(String[] args) {
        Prelude.runIf(args);
        BenchContext context = new BenchContext();
        // first: initializeLogging marks the cold start done (LambdaHandlerProcessor.coldStartDone), after which
        // captureColdStartMetric writes nothing; this writes the ColdStart EMF line at once
        Metrics metrics = MetricsFactory.getMetricsInstance();
        metrics.captureColdStartMetric(context);
        PowertoolsLogging.initializeLogging(context);
        MDC.put("jobId", "job-1");
        Logger log = LoggerFactory.getLogger(PowertoolsMain.class);
        log.info("swap started", entry("stage", "swap"));
        metrics.addMetric("Duration", 12.0, MetricUnit.MILLISECONDS);
        metrics.flush();
    }
}
