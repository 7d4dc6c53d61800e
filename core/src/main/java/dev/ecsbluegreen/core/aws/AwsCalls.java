package dev.ecsbluegreen.core.aws;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.AwsCallException.Kind;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Runs one SDK call and turns its failure into an {@link AwsCallException} that names the IAM action. */
public final class AwsCalls {
    private static final Set<String> PERMISSION_CODES = Set.of(
            "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess",
            "AuthorizationError", "NotAuthorized");

    private AwsCalls() {}

    /**
     * @param action the IAM action the call needs, e.g. {@code elasticloadbalancing:DescribeRules}
     * @throws AwsCallException when the call fails; never an SDK exception
     */
    public static <T> T call(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw translate(action, e);
        } catch (SdkException e) {
            throw new AwsCallException(action, Kind.UNAVAILABLE, "",
                    action + " did not get an answer: " + e.getMessage(), e);
        }
    }

    static AwsCallException translate(String action, AwsServiceException e) {
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? "" : e.awsErrorDetails().errorCode();
        String detail = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? e.getMessage() : e.awsErrorDetails().errorMessage();
        Kind kind;
        if (PERMISSION_CODES.contains(code) || (e.statusCode() == 403 && code.isEmpty())) {
            kind = Kind.PERMISSION_DENIED;
            return new AwsCallException(action, kind, code,
                    "the function's role is not allowed to call " + action + " (" + code + ": " + detail + ")", e);
        }
        if (code.endsWith("NotFound") || code.endsWith("NotFoundException")
                || code.endsWith("DoesNotExistException")) {
            kind = Kind.NOT_FOUND;
        } else if (e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 0) {
            kind = Kind.UNAVAILABLE;
        } else {
            kind = Kind.INVALID_REQUEST;
        }
        return new AwsCallException(action, kind, code, action + " failed (" + code + ": " + detail + ")", e);
    }
}
