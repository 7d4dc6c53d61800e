package dev.ecsbluegreen.swap;

/** CodePipeline's failure types the swap reports (its {@code FailureDetails.type}). */
public enum FailureType {
    /** The parameters or the load balancer's set-up are wrong: the operator has to change something. */
    ConfigurationError,
    /** The function's role lacks an IAM action. */
    PermissionError,
    /** Anything else: AWS failed, green is not healthy, time ran out. */
    JobFailed
}
