package dev.ecsbluegreen.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Publishes the data plane's {@link TrafficMetrics} every {@link #FLUSH_INTERVAL} from a daemon thread: one
 * {@code PutMetricData} per flush (more only beyond {@link MetricsSink#MAX_DATA_PER_CALL} entries). Publishing
 * never touches a proxied request: a failed call loses that batch, is counted, and only the first one is told
 * (to {@code warn}); {@link #close} flushes a last time and tells how many failed.
 */
public final class MetricsPublisher implements AutoCloseable {
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final TrafficMetrics metrics;
    private final Supplier<List<Routing.TargetGroup>> targetGroups;
    private final MetricsSink sink;
    private final Consumer<String> warn;
    private final Clock clock;
    private final Thread thread;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    /** Counted down by {@link #close}: the loop's wait ends without interrupting a call in flight. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** @param targetGroups the target groups and their targets' health now (for the host counts); may throw */
    public MetricsPublisher(TrafficMetrics metrics, Supplier<List<Routing.TargetGroup>> targetGroups, MetricsSink sink,
                            Consumer<String> warn, Clock clock) {
        this.metrics = metrics;
        this.targetGroups = targetGroups;
        this.sink = sink;
        this.warn = warn;
        this.clock = clock;
        this.thread = Thread.ofPlatform().daemon().name("sandbox-metrics").start(this::loop);
    }

    private void loop() {
        try {
            while (!stopped.await(FLUSH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                flush();
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    /** Publishes what was recorded since the last flush; never throws. */
    public synchronized void flush() {
        List<Routing.TargetGroup> groups;
        try {
            groups = targetGroups.get();
        } catch (RuntimeException e) {
            groups = null; // the host counts wait for the next flush; the traffic is published anyway
        }
        List<TrafficMetrics.Datum> data = metrics.drain(clock.instant(), groups);
        for (int from = 0; from < data.size(); from += MetricsSink.MAX_DATA_PER_CALL) {
            List<TrafficMetrics.Datum> batch = data.subList(from, Math.min(data.size(), from + MetricsSink.MAX_DATA_PER_CALL));
            try {
                sink.put(TrafficMetrics.NAMESPACE, batch);
                published.addAndGet(batch.size());
            } catch (RuntimeException e) {
                if (failures.getAndIncrement() == 0) {
                    warn.accept("publishing the load balancer's metrics failed (" + e.getMessage()
                            + "); requests are not affected, later failures are only counted");
                }
            }
        }
    }

    /** The PutMetricData calls that failed so far. */
    public long failures() {
        return failures.get();
    }

    /** The MetricDatum entries published so far. */
    public long published() {
        return published.get();
    }

    @Override
    public void close() {
        stopped.countDown();
        try {
            thread.join(FLUSH_INTERVAL.toMillis() * 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        if (failures.get() > 1) {
            warn.accept(failures.get() + " PutMetricData calls failed in all");
        }
    }
}
