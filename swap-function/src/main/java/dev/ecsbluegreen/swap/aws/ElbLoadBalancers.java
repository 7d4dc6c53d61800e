package dev.ecsbluegreen.swap.aws;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.ElbForwards;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.swap.LoadBalancers;
import dev.ecsbluegreen.swap.Route;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/** {@link LoadBalancers} over the ELBv2 API. Immutable and thread-safe (the SDK client is). */
public final class ElbLoadBalancers implements LoadBalancers {
    /** ELB's limits: {@code DescribeTags} takes 20 ARNs, {@code DescribeRules} pages at most 400. */
    private static final int TAGS_BATCH = 20;
    private static final int MAX_RULES_PAGE = 400;

    private final ElasticLoadBalancingV2Client elb;
    private final int rulesPage;
    /** What bounds every call; null: the client's own time-outs only. */
    private final Deadline deadline;

    public ElbLoadBalancers(ElasticLoadBalancingV2Client elb) {
        this(elb, MAX_RULES_PAGE);
    }

    /** With a smaller {@code DescribeRules} page, so that tests can make listeners that need several pages. */
    ElbLoadBalancers(ElasticLoadBalancingV2Client elb, int rulesPage) {
        this(elb, rulesPage, null);
    }

    private ElbLoadBalancers(ElasticLoadBalancingV2Client elb, int rulesPage, Deadline deadline) {
        this.elb = elb;
        this.rulesPage = rulesPage;
        this.deadline = deadline;
    }

    @Override
    public LoadBalancers within(Deadline bound) {
        return new ElbLoadBalancers(elb, rulesPage, deadline == null ? bound : deadline.earliest(bound));
    }

    /** One SDK call, its time-outs bounded by this view's deadline ({@link AwsCalls#call(String, Deadline, Function)}). */
    private <T> T call(String action, Function<AwsRequestOverrideConfiguration, T> sdkCall) {
        return AwsCalls.call(action, deadline, sdkCall);
    }

    /** The actions of a route exactly as read: what {@link Route#source()} holds for this adapter. */
    private record Source(List<Action> actions) {}

    @Override
    public LoadBalancer find(String nameOrArn) {
        String action = "elasticloadbalancing:DescribeLoadBalancers";
        var response = call(action, timeouts -> elb.describeLoadBalancers(b -> {
            b.overrideConfiguration(timeouts);
            if (nameOrArn.startsWith("arn:")) {
                b.loadBalancerArns(nameOrArn);
            } else {
                b.names(nameOrArn);
            }
        }));
        if (response.loadBalancers().isEmpty()) {
            throw new AwsCallException(action, AwsCallException.Kind.NOT_FOUND, "LoadBalancerNotFound", nameOrArn + " not found", null);
        }
        var lb = response.loadBalancers().get(0);
        return new LoadBalancer(lb.loadBalancerArn(), lb.loadBalancerName(), lb.typeAsString());
    }

    @Override
    public List<Listener> listeners(String loadBalancerArn) {
        return allPages(marker -> {
            DescribeListenersResponse response = call("elasticloadbalancing:DescribeListeners",
                    timeouts -> elb.describeListeners(b -> b.loadBalancerArn(loadBalancerArn).marker(marker).overrideConfiguration(timeouts)));
            return new Page<>(response.listeners().stream()
                    .map(l -> new Listener(l.listenerArn(), l.port(), l.protocolAsString())).toList(), response.nextMarker());
        });
    }

    @Override
    public List<Route> routes(Listener listener) {
        List<Rule> rules = allPages(marker -> {
            DescribeRulesResponse response = call("elasticloadbalancing:DescribeRules",
                    timeouts -> elb.describeRules(b -> b.listenerArn(listener.arn()).pageSize(rulesPage).marker(marker).overrideConfiguration(timeouts)));
            return new Page<>(response.rules(), response.nextMarker());
        });
        // The default rule carries the listener's default actions; it is written with ModifyListener.
        List<Route> routes = new ArrayList<>();
        rules.stream().filter(r -> Boolean.TRUE.equals(r.isDefault()))
                .forEach(r -> routes.add(route(listener.arn(), null, "default", r.actions())));
        rules.stream().filter(r -> !Boolean.TRUE.equals(r.isDefault()))
                .sorted(Comparator.comparingInt(r -> priority(r.priority())))
                .forEach(r -> routes.add(route(listener.arn(), r.ruleArn(), r.priority(), r.actions())));
        return routes;
    }

    /** One page of a marker-paged ELB read: its items and the marker of the next page (null or empty: last). */
    private record Page<T>(List<T> items, String nextMarker) {}

    private static <T> List<T> allPages(java.util.function.Function<String, Page<T>> read) {
        List<T> all = new ArrayList<>();
        String marker = null;
        do {
            Page<T> page = read.apply(marker);
            all.addAll(page.items());
            marker = page.nextMarker();
        } while (marker != null && !marker.isEmpty());
        return all;
    }

    private static int priority(String priority) {
        try {
            return Integer.parseInt(priority);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static Route route(String listenerArn, String ruleArn, String priority, List<Action> actions) {
        List<Forward> forwards = actions.stream().map(ElbForwards::read).flatMap(Optional::stream).toList();
        return new Route(listenerArn, ruleArn, priority, forwards, new Source(List.copyOf(actions)));
    }

    @Override
    public Map<String, Map<String, String>> tags(Collection<String> arns) {
        List<String> all = List.copyOf(arns);
        Map<String, Map<String, String>> tags = new LinkedHashMap<>();
        for (int from = 0; from < all.size(); from += TAGS_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + TAGS_BATCH));
            var response = call("elasticloadbalancing:DescribeTags",
                    timeouts -> elb.describeTags(b -> b.resourceArns(batch).overrideConfiguration(timeouts)));
            for (TagDescription description : response.tagDescriptions()) {
                Map<String, String> values = new LinkedHashMap<>();
                description.tags().forEach(t -> values.put(t.key(), t.value()));
                tags.put(description.resourceArn(), values);
            }
        }
        return tags;
    }

    @Override
    public List<TargetHealth> targetHealth(String targetGroupArn) {
        var response = call("elasticloadbalancing:DescribeTargetHealth",
                timeouts -> elb.describeTargetHealth(b -> b.targetGroupArn(targetGroupArn).overrideConfiguration(timeouts)));
        List<TargetHealth> result = new ArrayList<>();
        for (TargetHealthDescription d : response.targetHealthDescriptions()) {
            result.add(new TargetHealth(d.target().id(), d.target().port(),
                    d.targetHealth() == null ? null : d.targetHealth().stateAsString(),
                    d.targetHealth() == null ? null : d.targetHealth().reasonAsString()));
        }
        return result;
    }

    @Override
    public void rewrite(Route route, List<Forward> forwards) {
        if (forwards.size() != route.forwards().size()) {
            throw new IllegalArgumentException(route.describe() + " has " + route.forwards().size()
                    + " forward actions, not " + forwards.size());
        }
        Iterator<Forward> replacements = forwards.iterator();
        List<Action> actions = new ArrayList<>();
        for (Action action : source(route).actions()) {
            actions.add(action.type() == ActionTypeEnum.FORWARD ? ElbForwards.write(action, replacements.next()) : action);
        }
        write(route, actions);
    }

    @Override
    public void restore(Route route) {
        write(route, source(route).actions());
    }

    private void write(Route route, List<Action> read) {
        List<Action> actions = writable(read);
        if (route.isDefault()) {
            call("elasticloadbalancing:ModifyListener", timeouts -> elb.modifyListener(b -> b
                    .listenerArn(route.listenerArn()).defaultActions(actions).overrideConfiguration(timeouts)));
        } else {
            call("elasticloadbalancing:ModifyRule", timeouts -> elb.modifyRule(b -> b
                    .ruleArn(route.ruleArn()).actions(actions).overrideConfiguration(timeouts)));
        }
    }

    /**
     * {@code actions} as read, made fit to be written back. ELB's Describe calls never return an
     * {@code authenticate-oidc} action's client secret, and writing the action without one is refused unless
     * {@code UseExistingClientSecret} is true (AWS enforces this; moto does not). Cognito actions carry no secret.
     */
    static List<Action> writable(List<Action> actions) {
        List<Action> result = new ArrayList<>(actions.size());
        for (Action action : actions) {
            if (action.type() == ActionTypeEnum.AUTHENTICATE_OIDC && action.authenticateOidcConfig() != null) {
                result.add(action.toBuilder().authenticateOidcConfig(action.authenticateOidcConfig().toBuilder()
                        .clientSecret(null).useExistingClientSecret(true).build()).build());
            } else {
                result.add(action);
            }
        }
        return result;
    }

    private static Source source(Route route) {
        if (route.source() instanceof Source source) {
            return source;
        }
        throw new IllegalArgumentException("route was not read by this adapter: " + route.describe());
    }

    @Override
    public void putTags(String arn, Map<String, String> tags) {
        List<Tag> list = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        call("elasticloadbalancing:AddTags",
                timeouts -> elb.addTags(b -> b.resourceArns(arn).tags(list).overrideConfiguration(timeouts)));
    }

    @Override
    public void removeTags(String arn, Collection<String> keys) {
        call("elasticloadbalancing:RemoveTags",
                timeouts -> elb.removeTags(b -> b.resourceArns(arn).tagKeys(keys).overrideConfiguration(timeouts)));
    }
}
