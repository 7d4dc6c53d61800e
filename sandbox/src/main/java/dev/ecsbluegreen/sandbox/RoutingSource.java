package dev.ecsbluegreen.sandbox;

/**
 * Reads the load balancer's current {@link Routing} from the control plane. Implementations call the emulator on
 * every read (callers cache), throw {@link dev.ecsbluegreen.core.AwsCallException} when it does not answer, and
 * are thread-safe. Default implementation: {@link dev.ecsbluegreen.sandbox.aws.Emulator}.
 */
public interface RoutingSource {
    Routing read();
}
