package dev.ecsbluegreen.swap;

/** A listener as the operator names it: by port or by ARN (exactly one is set). */
public record ListenerRef(Integer port, String arn) {
    public static ListenerRef port(int port) {
        return new ListenerRef(port, null);
    }

    public static ListenerRef arn(String arn) {
        return new ListenerRef(null, arn);
    }

    @Override
    public String toString() {
        return port != null ? ":" + port : arn;
    }
}
