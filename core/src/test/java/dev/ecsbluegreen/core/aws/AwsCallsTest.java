package dev.ecsbluegreen.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.AwsCallException.Kind;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsCallsTest {
    private static AwsServiceException error(int status, String code, String message) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .build();
    }

    @Test
    void accessDeniedNamesTheMissingAction() {
        AwsCallException e = assertThrows(AwsCallException.class, () -> AwsCalls.call(
                "elasticloadbalancing:ModifyListener", () -> { throw error(403, "AccessDenied", "not authorized"); }));
        assertEquals(Kind.PERMISSION_DENIED, e.kind());
        assertEquals("elasticloadbalancing:ModifyListener", e.action());
        assertTrue(e.getMessage().contains("not allowed to call elasticloadbalancing:ModifyListener"), e.getMessage());
    }

    @Test
    void notFoundCodesAreRecognised() {
        AwsCallException e = assertThrows(AwsCallException.class, () -> AwsCalls.call(
                "elasticloadbalancing:DescribeLoadBalancers",
                () -> { throw error(400, "LoadBalancerNotFound", "One or more load balancers not found"); }));
        assertEquals(Kind.NOT_FOUND, e.kind());
        assertEquals("LoadBalancerNotFound", e.errorCode());
    }

    @Test
    void serverErrorsAndNoAnswerAreUnavailable() {
        assertEquals(Kind.UNAVAILABLE, assertThrows(AwsCallException.class, () -> AwsCalls.call(
                "x:Y", () -> { throw error(503, "ServiceUnavailable", "later"); })).kind());
        assertEquals(Kind.UNAVAILABLE, assertThrows(AwsCallException.class, () -> AwsCalls.call(
                "x:Y", () -> { throw SdkClientException.create("connection refused"); })).kind());
    }

    @Test
    void otherClientErrorsAreInvalidRequests() {
        assertEquals(Kind.INVALID_REQUEST, assertThrows(AwsCallException.class, () -> AwsCalls.call(
                "x:Y", () -> { throw error(400, "ValidationError", "bad"); })).kind());
    }
}
