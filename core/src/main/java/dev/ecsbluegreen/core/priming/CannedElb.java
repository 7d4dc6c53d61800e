package dev.ecsbluegreen.core.priming;

/**
 * The canned Elastic Load Balancing v2 answers both functions prime with: one application load balancer with a
 * live (production) listener on :80 and a test listener, and a blue and a green target group, written as the ELB
 * query API answers (XML). A function's priming decides which answer to give to which call.
 */
public final class CannedElb {
    private static final String NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private static final String ARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:";
    public static final String LB = ARN + "loadbalancer/app/priming/0000000000000001";
    public static final String LIVE = ARN + "listener/app/priming/0000000000000001/00000000000000a1";
    public static final String TEST = ARN + "listener/app/priming/0000000000000001/00000000000000a2";
    public static final String BLUE = ARN + "targetgroup/priming-blue/00000000000000b1";
    public static final String GREEN = ARN + "targetgroup/priming-green/00000000000000b2";

    private CannedElb() {}

    /** {@code <operation>Response} with {@code result} (XML members) as its {@code <operation>Result}. */
    public static String response(String operation, String result) {
        return "<" + operation + "Response xmlns=\"" + NS + "\"><" + operation + "Result>" + result + "</" + operation
                + "Result><ResponseMetadata><RequestId>priming</RequestId></ResponseMetadata></" + operation + "Response>";
    }

    /** A {@code DescribeListeners} member: an HTTP listener of {@link #LB} forwarding to {@code target}. */
    public static String listener(String arn, int port, String target) {
        return "<member><ListenerArn>" + arn + "</ListenerArn><LoadBalancerArn>" + LB + "</LoadBalancerArn><Port>" + port
                + "</Port><Protocol>HTTP</Protocol><DefaultActions>" + forward(target) + "</DefaultActions></member>";
    }

    /** An action member forwarding to {@code target}, in both of ELB's forms (target group and ForwardConfig). */
    public static String forward(String target) {
        return "<member><Type>forward</Type><Order>1</Order><TargetGroupArn>" + target + "</TargetGroupArn><ForwardConfig>"
                + "<TargetGroups><member><TargetGroupArn>" + target + "</TargetGroupArn><Weight>1</Weight></member>"
                + "</TargetGroups><TargetGroupStickinessConfig><Enabled>false</Enabled></TargetGroupStickinessConfig>"
                + "</ForwardConfig></member>";
    }
}
