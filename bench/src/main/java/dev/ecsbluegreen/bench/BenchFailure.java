package dev.ecsbluegreen.bench;

/** Something did not work (not: something was slow): a function error, a swap that did not swap, a missing report. */
final class BenchFailure extends RuntimeException {
    BenchFailure(String message) {
        super(message);
    }
}
