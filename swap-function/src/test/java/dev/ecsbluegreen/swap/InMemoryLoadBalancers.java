package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.AwsCallException.Kind;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.Forward;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Application Load Balancer with two listeners, held in memory and changed exactly as ELB changes it: a
 * {@code ModifyListener}/{@code ModifyRule} replaces the route's forwards whole, tags are per resource, slow
 * calls take time on a fake clock. Faults are injected per call — a write that lands and loses its answer, a
 * 5xx after the SDK's retries, a refusal, a delay — so that the swap's execution can be tried against every fault
 * schedule without a network. Thread-safe.
 */
final class InMemoryLoadBalancers implements LoadBalancers {
    static final String LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188";
    static final String LIVE_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/app-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
    static final String TEST_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/app-alb/50dc6c495c0c9188/0467ef3c8400ae65";
    /**
     * What a call without a fault takes on the fake clock: nothing. The clock is shared by calls that run at once on
     * real threads, so a call's own time would add up across them as if they ran one after another; only the
     * slow faults move it, each to its own end ({@link #takes}), so calls in flight together overlap.
     */
    static final Duration CALL = Duration.ZERO;

    /** How an injected fault shows itself to the caller. */
    enum Kind2 {
        /** The write is applied, then its answer is lost (time-out or dropped connection after the SDK's retries). */
        LOST,
        /** Every attempt answers 5xx: nothing is applied, but the caller cannot know that. */
        SERVER_ERROR,
        /** IAM refuses: nothing is applied. */
        DENIED,
        /** The call takes 15 s (the SDK gives up at the caller's deadline; a write that got through is applied). */
        SLOW,
        /** The write is applied, then the thread fails with an {@code Error} (a class missing on a rare path, say). */
        ERROR
    }

    /**
     * Makes the calls of {@code operation} from its {@code skip}-th on fail as {@code kind}, {@code times} times
     * ({@link Integer#MAX_VALUE}: from then on).
     */
    record Fault(String operation, int skip, int times, Kind2 kind, String resource) {
        Fault(String operation, int skip, int times, Kind2 kind) {
            this(operation, skip, times, kind, null);
        }

        /** Every call of {@code operation} on {@code resource} (a listener, rule or target group ARN), from the first. */
        static Fault onEvery(String operation, String resource, Kind2 kind) {
            return new Fault(operation, 0, Integer.MAX_VALUE, kind, resource);
        }

        boolean matches(String op, String on) {
            return operation.equals(op) && (resource == null || resource.equals(on));
        }

        @Override
        public String toString() {
            return operation + (resource == null ? "" : "(" + resource + ")") + "#" + skip
                    + (times == Integer.MAX_VALUE ? "+" : "x" + times) + ":" + kind;
        }
    }

    private record Source(List<Forward> forwards) {}

    private final class RouteState {
        final String listenerArn;
        final String ruleArn;
        final String priority;
        volatile List<Forward> forwards;

        RouteState(String listenerArn, String ruleArn, String priority, List<Forward> forwards) {
            this.listenerArn = listenerArn;
            this.ruleArn = ruleArn;
            this.priority = priority;
            this.forwards = List.copyOf(forwards);
        }

        Route read() {
            return new Route(listenerArn, ruleArn, priority, forwards, new Source(forwards));
        }
    }

    final AtomicLong clock = new AtomicLong();
    private final Map<String, List<RouteState>> routes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> calls = new java.util.concurrent.ConcurrentHashMap<>();
    private final Deadline deadline;
    private final InMemoryLoadBalancers state;

    InMemoryLoadBalancers() {
        this.deadline = null;
        this.state = this;
        routes.put(LIVE_ARN, new ArrayList<>());
        routes.put(TEST_ARN, new ArrayList<>());
    }

    private InMemoryLoadBalancers(InMemoryLoadBalancers state, Deadline deadline) {
        this.state = state;
        this.deadline = deadline;
    }

    // ------------------------------------------------------------------ set-up and inspection

    /** Adds a route: {@code priority} "default" for the listener's default actions. */
    synchronized InMemoryLoadBalancers route(boolean live, String priority, List<Forward> forwards) {
        String listener = live ? LIVE_ARN : TEST_ARN;
        String rule = "default".equals(priority) ? null : listener.replace(":listener/", ":listener-rule/") + "/r" + priority;
        routes.get(listener).add(new RouteState(listener, rule, priority, forwards));
        return this;
    }

    synchronized InMemoryLoadBalancers tag(String arn, String key, String value) {
        tags.computeIfAbsent(arn, a -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    void inject(Fault fault) {
        faults.add(fault);
    }

    void clearFaults() {
        faults.clear();
    }

    /** The forwards of every route of a listener, in order. */
    synchronized List<List<Forward>> forwards(boolean live) {
        return routes.get(live ? LIVE_ARN : TEST_ARN).stream().map(r -> r.forwards).toList();
    }

    synchronized Map<String, String> tagsOf(String arn) {
        return Map.copyOf(tags.getOrDefault(arn, Map.of()));
    }

    /** The state as the swap's reports describe it, read without faults or time. */
    synchronized Routing snapshot(java.util.Set<String> tagged) {
        Map<String, Map<String, String>> read = new LinkedHashMap<>();
        tagged.forEach(arn -> read.put(arn, Map.copyOf(tags.getOrDefault(arn, Map.of()))));
        return new Routing(new Listener(LIVE_ARN, 80, "HTTP"), new Listener(TEST_ARN, 8080, "HTTP"),
                routes.get(LIVE_ARN).stream().map(RouteState::read).toList(),
                routes.get(TEST_ARN).stream().map(RouteState::read).toList(), read);
    }

    long count(String operation) {
        AtomicLong n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    long nanoTime() {
        return state.clock.get();
    }

    // ------------------------------------------------------------------ the seam

    @Override
    public LoadBalancers within(Deadline bound) {
        return new InMemoryLoadBalancers(state, deadline == null ? bound : deadline.earliest(bound));
    }

    /**
     * Takes the call's time and applies any fault; returns whether a write should be applied. Throws what the
     * SDK would after its retries.
     */
    private void call(String operation, boolean write, Runnable apply) {
        call(operation, null, write, apply);
    }

    /** The same, for a call on {@code resource}: faults may name it, and count only its calls. */
    private void call(String operation, String resource, boolean write, Runnable apply) {
        String action = "elasticloadbalancing:" + operation;
        if (deadline != null && deadline.remaining().compareTo(dev.ecsbluegreen.core.aws.AwsCalls.MIN_CALL) < 0) {
            throw AwsCallException.notSent(action, "no time was left for it before the invocation's deadline");
        }
        long n = state.calls.computeIfAbsent(operation, o -> new AtomicLong()).getAndIncrement();
        long onResource = resource == null ? n
                : state.calls.computeIfAbsent(operation + " " + resource, o -> new AtomicLong()).getAndIncrement();
        Fault fault = state.faults.stream()
                .filter(f -> f.matches(operation, resource))
                .filter(f -> {
                    long seen = f.resource() == null ? n : onResource;
                    return seen >= f.skip() && seen - f.skip() < f.times();
                })
                .findFirst().orElse(null);
        long start = state.clock.get();
        if (fault == null) {
            takes(start, CALL);
            apply.run();
            return;
        }
        switch (fault.kind()) {
            case LOST -> {
                takes(start, CALL);
                apply.run();
                throw new AwsCallException(action, Kind.UNAVAILABLE, "", action + " did not get an answer: "
                        + "Unable to execute HTTP request: Connection reset (injected)", null);
            }
            case SERVER_ERROR -> {
                takes(start, CALL);
                throw new AwsCallException(action, Kind.UNAVAILABLE, "ServiceUnavailable", action
                        + " failed (ServiceUnavailable: injected)", null);
            }
            case DENIED -> {
                takes(start, CALL);
                throw new AwsCallException(action, Kind.PERMISSION_DENIED, "AccessDenied", "the function's role is "
                        + "not allowed to call " + action + " (AccessDenied: injected)", null);
            }
            case ERROR -> {
                takes(start, CALL);
                apply.run();
                throw new NoClassDefFoundError("injected: software/amazon/awssdk/Missing");
            }
            case SLOW -> {
                Duration slow = Duration.ofSeconds(15);
                Duration left = deadline == null ? slow : deadline.remaining();
                if (left.compareTo(slow) < 0) {
                    takes(start, left);
                    if (write) {
                        apply.run(); // it reached ELB; the client gave up waiting for the answer
                    }
                    throw new AwsCallException(action, Kind.UNAVAILABLE, "", action + " did not get an answer: "
                            + "API call timeout (injected)", null);
                }
                takes(start, slow);
                apply.run();
            }
        }
    }

    /** A call that started at {@code start} ends {@code duration} later; calls in flight at once overlap in time. */
    private void takes(long start, Duration duration) {
        state.clock.accumulateAndGet(start + duration.toNanos(), Math::max);
    }

    private <T> T read(String operation, java.util.function.Supplier<T> read) {
        List<T> result = new ArrayList<>(1);
        call(operation, false, () -> result.add(read.get()));
        return result.get(0);
    }

    @Override
    public LoadBalancer find(String nameOrArn) {
        return read("DescribeLoadBalancers", () -> {
            if (nameOrArn.equals("app-alb") || nameOrArn.equals(LB_ARN)) {
                return new LoadBalancer(LB_ARN, "app-alb", "application");
            }
            throw new AwsCallException("elasticloadbalancing:DescribeLoadBalancers", Kind.NOT_FOUND,
                    "LoadBalancerNotFound", "not found", null);
        });
    }

    @Override
    public List<Listener> listeners(String loadBalancerArn) {
        return read("DescribeListeners", () -> List.of(new Listener(LIVE_ARN, 80, "HTTP"), new Listener(TEST_ARN, 8080, "HTTP")));
    }

    @Override
    public List<Route> routes(Listener listener) {
        return read("DescribeRules", () -> {
            synchronized (state) {
                return state.routes.get(listener.arn()).stream().map(RouteState::read).toList();
            }
        });
    }

    @Override
    public Map<String, Map<String, String>> tags(Collection<String> arns) {
        return read("DescribeTags", () -> {
            synchronized (state) {
                Map<String, Map<String, String>> result = new LinkedHashMap<>();
                for (String arn : arns) {
                    result.put(arn, Map.copyOf(state.tags.getOrDefault(arn, Map.of())));
                }
                return result;
            }
        });
    }

    @Override
    public List<TargetHealth> targetHealth(String targetGroupArn) {
        return read("DescribeTargetHealth", () -> List.of(new TargetHealth("10.0.2.10", 8080, "healthy", null)));
    }

    @Override
    public void rewrite(Route route, List<Forward> forwards) {
        write(route, forwards);
    }

    @Override
    public void restore(Route route) {
        if (!(route.source() instanceof Source source)) {
            throw new IllegalArgumentException("route was not read by this load balancer");
        }
        write(route, source.forwards());
    }

    private void write(Route route, List<Forward> forwards) {
        call(route.isDefault() ? "ModifyListener" : "ModifyRule", route.isDefault() ? route.listenerArn() : route.ruleArn(),
                true, () -> {
            synchronized (state) {
                RouteState target = state.routes.get(route.listenerArn()).stream()
                        .filter(r -> java.util.Objects.equals(r.ruleArn, route.ruleArn())).findFirst()
                        .orElseThrow(() -> new AwsCallException("elasticloadbalancing:ModifyRule", Kind.NOT_FOUND,
                                "RuleNotFound", "no such rule", null));
                target.forwards = List.copyOf(forwards);
            }
        });
    }

    @Override
    public void putTags(String arn, Map<String, String> values) {
        call("AddTags", arn, true, () -> {
            synchronized (state) {
                state.tags.computeIfAbsent(arn, a -> new LinkedHashMap<>()).putAll(values);
            }
        });
    }

    @Override
    public void removeTags(String arn, Collection<String> keys) {
        call("RemoveTags", arn, true, () -> {
            synchronized (state) {
                Map<String, String> current = state.tags.get(arn);
                if (current != null) {
                    keys.forEach(current::remove);
                }
            }
        });
    }
}
