package dev.ecsbluegreen.analysis;

import java.time.Duration;

/**
 * Waits between attempts. The default is {@link #THREAD}; tests pass one that records the pauses instead.
 * Thread-safe implementations only.
 */
@FunctionalInterface
public interface Sleeper {
    /** @throws InterruptedException when the validation is being abandoned (deadline) */
    void sleep(Duration duration) throws InterruptedException;

    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());
}
