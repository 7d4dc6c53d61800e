package dev.ecsbluegreen.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.core.aws.AwsClients;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The proxy's faults as the functions meet them: through a real ELBv2 client configured as in production
 * ({@code AwsClients}: URL-connection HTTP client, standard retries), against moto.
 */
class FaultInjectingProxyIT {
    @RegisterExtension
    static final Moto moto = new Moto();

    private FaultInjectingProxy proxy;
    /** Straight to moto: what really landed. */
    private ElasticLoadBalancingV2Client direct;
    /** Through the proxy, with the production retry policy. */
    private ElasticLoadBalancingV2Client retrying;
    /** Through the proxy, one attempt per call: what a single attempt sees. */
    private ElasticLoadBalancingV2Client singleAttempt;
    private String blue;
    private String green;

    @BeforeEach
    void setUp() throws Exception {
        proxy = new FaultInjectingProxy(moto.endpoint());
        direct = moto.client(ElasticLoadBalancingV2Client.builder());
        retrying = moto.client(ElasticLoadBalancingV2Client.builder(), proxy.endpoint());
        singleAttempt = AwsClients.configure(ElasticLoadBalancingV2Client.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .endpointOverride(proxy.endpoint())
                .region(Moto.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
        blue = targetGroup("blue");
        green = targetGroup("green");
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    private String targetGroup(String name) {
        return direct.createTargetGroup(b -> b.name(name).targetType(TargetTypeEnum.LAMBDA))
                .targetGroups().get(0).targetGroupArn();
    }

    private static void tag(ElasticLoadBalancingV2Client elb, String arn, String value) {
        elb.addTags(b -> b.resourceArns(arn).tags(Tag.builder().key("IsProduction").value(value).build()));
    }

    private Map<String, String> tagsInMoto(String arn) {
        return direct.describeTags(b -> b.resourceArns(arn)).tagDescriptions().get(0).tags().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    @Test
    void landThenDropAppliesTheWriteAndTheClientSeesAnSdkClientException() {
        proxy.on("AddTags").landThenDrop();

        SdkClientException lost = assertThrows(SdkClientException.class, () -> tag(singleAttempt, blue, "true"));

        assertTrue(lost.getCause() instanceof IOException, "no answer: the connection closed under the client: " + lost);
        assertEquals(Map.of("IsProduction", "true"), tagsInMoto(blue), "the write landed");
        assertEquals(1, proxy.landed("AddTags"));
    }

    @Test
    void landThenFailAppliesTheWriteAndAnswersTheError() {
        proxy.on("AddTags").landThenFail(500, "InternalFailure", "injected after the write");

        ElasticLoadBalancingV2Exception error = assertThrows(ElasticLoadBalancingV2Exception.class,
                () -> tag(singleAttempt, blue, "true"));

        assertEquals(500, error.statusCode());
        assertEquals("InternalFailure", error.awsErrorDetails().errorCode());
        assertEquals(Map.of("IsProduction", "true"), tagsInMoto(blue), "the write landed");
    }

    @Test
    void standardRetriesRepeatALandedThenDroppedWriteSoItReachesMotoAgain() {
        FaultInjectingProxy.Fault fault = proxy.on("AddTags").times(1).landThenDrop();

        tag(retrying, blue, "true");

        assertEquals(1, fault.caught());
        assertEquals(2, proxy.count("AddTags"), "the dropped attempt and the SDK's retry: " + proxy.actions());
        assertEquals(2, proxy.landed("AddTags"), "both attempts reached moto");
        assertEquals(Map.of("IsProduction", "true"), tagsInMoto(blue));
    }

    @Test
    void standardRetriesRepeatALandedWriteAnswered5xx() {
        proxy.on("AddTags").times(1).landThenFail(503, "ServiceUnavailable", "injected after the write");

        tag(retrying, blue, "true");

        assertEquals(2, proxy.landed("AddTags"), proxy.actions().toString());
    }

    @Test
    void aStickyDropExhaustsTheStandardRetriesAndNothingLands() {
        proxy.on("AddTags").drop();

        assertThrows(SdkClientException.class, () -> tag(retrying, blue, "true"));

        assertEquals(3, proxy.count("AddTags"), "standard mode: 3 attempts");
        assertEquals(0, proxy.landed("AddTags"));
        assertEquals(Map.of(), tagsInMoto(blue));
    }

    @Test
    void aSticky5xxIsRetriedThenReachesTheCallerAsAnAwsError() {
        proxy.failQueryAction("AddTags", 0, Integer.MAX_VALUE, 503, "ServiceUnavailable", "injected outage");

        ElasticLoadBalancingV2Exception error = assertThrows(ElasticLoadBalancingV2Exception.class,
                () -> tag(retrying, blue, "true"));

        assertEquals(503, error.statusCode());
        assertEquals("ServiceUnavailable", error.awsErrorDetails().errorCode());
        assertEquals(3, proxy.count("AddTags"));
        assertEquals(Map.of(), tagsInMoto(blue), "a failed call does not reach moto");
    }

    @Test
    void accessDeniedIsNotRetried() {
        proxy.failQueryAction("AddTags", 0, 1, 403, "AccessDenied", "not allowed to elasticloadbalancing:AddTags");

        ElasticLoadBalancingV2Exception error = assertThrows(ElasticLoadBalancingV2Exception.class,
                () -> tag(retrying, blue, "true"));

        assertEquals(403, error.statusCode());
        assertEquals("AccessDenied", error.awsErrorDetails().errorCode());
        assertEquals(1, proxy.count("AddTags"));
    }

    @Test
    void whereCatchesOnlyTheCallsOfOneResource() {
        tag(direct, blue, "true");
        tag(direct, green, "false");
        proxy.on("RemoveTags").where(call -> call.mentions(green)).fail(400, "ValidationError", "not green");
        proxy.on("DescribeTargetGroups").where(call -> "blue".equals(call.param("Names.member.1")))
                .fail(400, "ValidationError", "not blue");

        retrying.removeTags(b -> b.resourceArns(blue).tagKeys("IsProduction"));
        assertThrows(ElasticLoadBalancingV2Exception.class,
                () -> retrying.removeTags(b -> b.resourceArns(green).tagKeys("IsProduction")));
        assertEquals(1, retrying.describeTargetGroups(b -> b.names("green")).targetGroups().size());
        assertThrows(ElasticLoadBalancingV2Exception.class, () -> retrying.describeTargetGroups(b -> b.names("blue")));

        assertEquals(Map.of(), tagsInMoto(blue));
        assertEquals(Map.of("IsProduction", "false"), tagsInMoto(green));
    }

    @Test
    void eachFaultCountsTheCallsItMatchesOnItsOwn() {
        proxy.on("AddTags").times(1).fail(400, "ValidationError", "first");
        proxy.on("AddTags").after(1).times(1).fail(400, "ValidationError", "second");

        assertEquals("first", assertThrows(ElasticLoadBalancingV2Exception.class,
                () -> tag(retrying, blue, "true")).awsErrorDetails().errorMessage());
        assertEquals("second", assertThrows(ElasticLoadBalancingV2Exception.class,
                () -> tag(retrying, blue, "true")).awsErrorDetails().errorMessage());
        tag(retrying, blue, "true");

        assertEquals(Map.of("IsProduction", "true"), tagsInMoto(blue));
    }

    @Test
    void delayHoldsTheCaughtCallsBeforeForwardingThem() {
        Duration latency = Duration.ofMillis(400);
        proxy.delay("DescribeTargetGroups", 1, 1, latency);

        retrying.describeTargetGroups();
        long start = System.nanoTime();
        assertEquals(2, retrying.describeTargetGroups().targetGroups().size(), "forwarded after the delay");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        retrying.describeTargetGroups();

        assertTrue(took.compareTo(latency) >= 0, "took " + took);
        assertEquals(3, proxy.landed("DescribeTargetGroups"));
    }

    @Test
    void aDelayAppliesBeforeAFaultThatAnswersTheSameCall() {
        FaultInjectingProxy.Fault delay = proxy.on("AddTags").delay(Duration.ofMillis(50));
        FaultInjectingProxy.Fault failure = proxy.on("AddTags").fail(400, "ValidationError", "after the delay");

        assertThrows(ElasticLoadBalancingV2Exception.class, () -> tag(retrying, blue, "true"));

        assertEquals(1, delay.caught());
        assertEquals(1, failure.caught());
    }

    @Test
    void clearFaultsAndRemoveSwitchFaultsOffMidTest() {
        FaultInjectingProxy.Fault describe = proxy.on("DescribeTargetGroups").fail(400, "ValidationError", "refused");
        proxy.on("AddTags").fail(400, "ValidationError", "refused");
        assertThrows(ElasticLoadBalancingV2Exception.class, () -> retrying.describeTargetGroups());
        assertThrows(ElasticLoadBalancingV2Exception.class, () -> tag(retrying, blue, "true"));

        describe.remove();
        assertEquals(2, retrying.describeTargetGroups().targetGroups().size());
        assertThrows(ElasticLoadBalancingV2Exception.class, () -> tag(retrying, blue, "true"));

        proxy.clearFaults();
        tag(retrying, blue, "true");
        assertEquals(Map.of("IsProduction", "true"), tagsInMoto(blue));
        assertEquals(3, proxy.count("AddTags"));
        assertEquals(1, proxy.landed("AddTags"));
    }
}
