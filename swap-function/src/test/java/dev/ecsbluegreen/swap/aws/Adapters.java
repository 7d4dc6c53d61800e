package dev.ecsbluegreen.swap.aws;

import dev.ecsbluegreen.swap.LoadBalancers;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Lets tests in other packages build the adapter with a small rules page. */
public final class Adapters {
    private Adapters() {}

    public static LoadBalancers loadBalancers(ElasticLoadBalancingV2Client elb, int rulesPage) {
        return new ElbLoadBalancers(elb, rulesPage);
    }
}
