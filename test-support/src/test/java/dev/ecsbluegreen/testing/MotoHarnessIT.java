package dev.ecsbluegreen.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MotoHarnessIT {
    @RegisterExtension
    static final Moto moto = new Moto();

    private static int loadBalancerCount(URI endpoint) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=x")
                        .POST(HttpRequest.BodyPublishers.ofString("Action=DescribeLoadBalancers&Version=2015-12-01"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body().split("<LoadBalancerArn>", -1).length - 1;
    }

    @Test
    void resetGivesEachTestAnEmptyAccount() throws Exception {
        assertEquals(0, loadBalancerCount(moto.endpoint()));
        moto.server().reset();
        assertEquals(0, loadBalancerCount(moto.endpoint()));
    }

    @Test
    void proxyPassesCallsThroughAndRecordsTheirActions() throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            assertEquals(0, loadBalancerCount(proxy.endpoint()));
            assertEquals(1, proxy.count("DescribeLoadBalancers"));
        }
    }
}
