package dev.ecsbluegreen.swap;

/**
 * Where a swap sends traffic: the target group the live listener must end up on and the one the test listener
 * must end up on. For a new approval that is (green, blue); a retried job reads it back from where the first
 * delivery recorded it.
 */
public record Direction(String newLive, String newTest) {
    public Direction {
        if (newLive.equals(newTest)) {
            throw new IllegalArgumentException("a swap needs two different target groups, got " + newLive + " twice");
        }
    }
}
