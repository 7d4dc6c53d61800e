package dev.ecsbluegreen.analysis;

import dev.ecsbluegreen.core.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One fake time behind a wall clock, a deadline's monotonic clock and a sleeper that moves both on, so that the
 * runner's waits cost no wall clock. Thread-safe.
 */
public final class FakeTime {
    private final Instant origin;
    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    public FakeTime(Instant origin) {
        this.origin = origin;
    }

    public Instant now() {
        return origin.plusNanos(nanos.get());
    }

    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    public Clock clock() {
        return dev.ecsbluegreen.testing.TestClocks.utc(this::now);
    }

    public Deadline deadlineAfter(Duration budget) {
        return Deadline.after(budget, nanos::get);
    }

    public Sleeper sleeper() {
        return duration -> {
            sleeps.add(duration);
            advance(duration);
        };
    }

    public List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }
}
