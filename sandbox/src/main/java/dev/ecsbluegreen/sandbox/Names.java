package dev.ecsbluegreen.sandbox;

/**
 * The names of what the sandbox creates in the emulator. On a moto server of its own they are the plain names of
 * the reference architecture; on a shared one ({@code MOTO_ENDPOINT}) they carry a suffix so that runs do not
 * collide.
 */
public record Names(String loadBalancer, String blueTargetGroup, String greenTargetGroup, String application,
                    String deploymentGroup, String cluster, String service, String taskFamily) {

    public static Names of(String suffix) {
        return new Names("app-alb" + suffix, "app-blue" + suffix, "app-green" + suffix, "app" + suffix,
                "app-web" + suffix, "app-cluster" + suffix, "web" + suffix, "web" + suffix);
    }
}
