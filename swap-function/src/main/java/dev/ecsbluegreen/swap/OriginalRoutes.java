package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.FailureType.ConfigurationError;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetGroups;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes a progressive release changes, as they were before it — what every later invocation needs to put them
 * back, kept where the truth is: the load balancer's tags, not the continuation token.
 *
 * <p>A route is recorded when the release rewrites it: a live route with a forward that sends more of its traffic to
 * blue than to green (the steps make it weighted), and a test route with a forward that sends more to green than to
 * blue (the final swap points it at blue). Each is an entry {@code <side>:<key>=<targets>}, the targets of each of its
 * forwards written {@code b<weight>}/{@code g<weight>} for blue and green in the forward's order and joined by
 * {@code +}: {@code live:default=b1}, {@code live:5=b90g10}. Consecutive recorded rules of a listener that forward
 * alike fold into one entry, {@code live:1-100=b1}, so a listener with a hundred rules usually takes one entry. The
 * entries, space-separated, are cut at entry boundaries into tag values of at most 256 characters:
 * {@code ecs-bluegreen:original-1} … {@code -N} (N is kept with the release's progress).
 *
 * <p>Forwards of recorded routes may name only blue and green (the record cannot name a third group): a layout
 * with a third group in such a forward is refused before anything is written. Stickiness is not recorded: the steps
 * keep each forward's own ({@link Forward#withTargets}), so putting the targets back puts the route back.
 */
final class OriginalRoutes {
    static final String TAG_PART = "ecs-bluegreen:original-";
    static final int MAX_PARTS = 20;

    /** route key → the targets of each of its forwards, in order. */
    private final Map<String, List<List<TargetWeight>>> byKey;
    private final Direction pair;

    private OriginalRoutes(Map<String, List<List<TargetWeight>>> byKey, Direction pair) {
        this.byKey = byKey;
        this.pair = pair;
    }

    private String green() {
        return pair.newLive();
    }

    private String blue() {
        return pair.newTest();
    }

    /**
     * The routes a release from {@code before} to {@code pair} rewrites, as they are in {@code before}.
     *
     * @throws SwapException naming a route whose forward names a third target group
     */
    static OriginalRoutes of(Routing before, Direction pair) {
        Map<String, List<List<TargetWeight>>> byKey = new LinkedHashMap<>();
        String green = pair.newLive();
        String blue = pair.newTest();
        collect(byKey, "live " + before.live(), "live", before.liveRoutes(), green, blue);
        collect(byKey, "test " + before.test(), "test", before.testRoutes(), blue, green);
        return new OriginalRoutes(byKey, pair);
    }

    private static void collect(Map<String, List<List<TargetWeight>>> byKey, String listener, String side,
                                List<Route> routes, String want, String other) {
        for (Route route : routes) {
            boolean changes = route.forwards().stream().anyMatch(f -> !SwapPlan.converge(f, want, other).equals(f));
            if (!changes) {
                continue;
            }
            for (Forward f : route.forwards()) {
                for (TargetWeight t : f.targets()) {
                    if (!t.targetGroupArn().equals(want) && !t.targetGroupArn().equals(other)) {
                        throw new SwapException(ConfigurationError, listener + " " + route.describe() + " forwards to "
                                + TargetGroups.name(t.targetGroupArn()) + " as well as to the pair: a canary or linear "
                                + "release moves only forwards between " + TargetGroups.name(other) + " and "
                                + TargetGroups.name(want) + " (use the allAtOnce strategy for this layout)");
                    }
                }
            }
            byKey.put(Routing.key(side, route), route.forwards().stream().map(Forward::targets).toList());
        }
    }

    boolean isEmpty() {
        return byKey.keySet().stream().noneMatch(k -> k.startsWith("live:"));
    }

    boolean records(String side, Route route) {
        return byKey.containsKey(Routing.key(side, route));
    }

    /** The forwards a recorded route had before the release (stickiness as {@code now} has it); empty if not recorded. */
    Optional<List<Forward>> original(String side, Route now) {
        List<List<TargetWeight>> targets = byKey.get(Routing.key(side, now));
        if (targets == null || targets.size() != now.forwards().size()) {
            return Optional.empty();
        }
        List<Forward> forwards = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            forwards.add(now.forwards().get(i).withTargets(targets.get(i)));
        }
        return Optional.of(forwards);
    }

    /** The forwards a recorded live route has at a step sending {@code percent} of its blue traffic to green. */
    List<Forward> atStep(Route now, int percent) {
        List<Forward> original = original("live", now).orElseThrow();
        List<Forward> result = new ArrayList<>();
        for (Forward f : original) {
            if (SwapPlan.converge(f, green(), blue()).equals(f)) {
                result.add(f);
                continue;
            }
            List<TargetWeight> targets = new ArrayList<>();
            for (TargetWeight t : f.targets()) {
                targets.add(t.withWeight(t.targetGroupArn().equals(blue()) ? 100 - percent : percent));
                if (t.targetGroupArn().equals(blue()) && f.target(green()).isEmpty()) {
                    targets.add(new TargetWeight(green(), percent));
                }
            }
            result.add(f.withTargets(targets));
        }
        return result;
    }

    /** The forwards a recorded route has after the whole swap: today's swap of its original forwards. */
    List<Forward> swapped(String side, Route now) {
        String want = side.equals("live") ? green() : blue();
        String other = side.equals("live") ? blue() : green();
        return original(side, now).orElseThrow().stream().map(f -> SwapPlan.converge(f, want, other)).toList();
    }

    /** {@code now} with every recorded route's forwards as they were before the release. */
    Routing originalOf(Routing now) {
        return new Routing(now.live(), now.test(), originalRoutes("live", now.liveRoutes()),
                originalRoutes("test", now.testRoutes()), now.tags());
    }

    private List<Route> originalRoutes(String side, List<Route> routes) {
        return routes.stream().map(r -> original(side, r)
                .map(f -> new Route(r.listenerArn(), r.ruleArn(), r.priority(), f, r.source())).orElse(r)).toList();
    }

    /**
     * A short hash of the routing before the release, computed from {@code now}: the recorded routes as recorded, all
     * others as read (the release never touches them). Any edit of a route the release does not change, a rule added
     * or removed, or a record that is not this release's gives another fingerprint.
     */
    String fingerprint(Routing now) {
        Routing original = originalOf(now);
        StringBuilder text = new StringBuilder(pair.newLive()).append('>').append(pair.newTest()).append('\n');
        for (String side : List.of("live", "test")) {
            for (Route r : side.equals("live") ? original.liveRoutes() : original.testRoutes()) {
                text.append(Routing.key(side, r)).append('=');
                r.forwards().forEach(f -> f.targets().forEach(t -> text.append(t.targetGroupArn()).append(':')
                        .append(t.weight()).append(',')));
                text.append('\n');
            }
        }
        for (String key : byKey.keySet()) {
            boolean present = ("live".equals(key.substring(0, 4)) ? now.liveRoutes() : now.testRoutes()).stream()
                    .anyMatch(r -> Routing.key(key.substring(0, 4), r).equals(key));
            text.append(present ? "" : "missing " + key + '\n');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    // ------------------------------------------------------------------ the tags

    /** The tags that record it; they must be written before the first step. */
    Map<String, String> tags(Routing before) {
        List<String> entries = new ArrayList<>();
        entries.addAll(entries("live", before.liveRoutes()));
        entries.addAll(entries("test", before.testRoutes()));
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (String entry : entries) {
            if (part.length() > 0 && part.length() + 1 + entry.length() > JobRecord.MAX_TAG_VALUE) {
                parts.add(part.toString());
                part.setLength(0);
            }
            part.append(part.length() == 0 ? "" : " ").append(entry);
        }
        if (part.length() > 0) {
            parts.add(part.toString());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            tags.put(TAG_PART + (i + 1), parts.get(i));
        }
        return tags;
    }

    private List<String> entries(String side, List<Route> routes) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < routes.size(); ) {
            Route first = routes.get(i);
            if (!records(side, first)) {
                i++;
                continue;
            }
            String code = code(byKey.get(Routing.key(side, first)));
            int j = i + 1;
            while (!first.isDefault() && j < routes.size() && records(side, routes.get(j)) && !routes.get(j).isDefault()
                    && code(byKey.get(Routing.key(side, routes.get(j)))).equals(code)) {
                j++;
            }
            String key = j - i == 1 ? Routing.key(side, first)
                    : side + ":" + first.priority() + "-" + routes.get(j - 1).priority();
            entries.add(key + "=" + code);
            i = j;
        }
        return entries;
    }

    private String code(List<List<TargetWeight>> forwards) {
        List<String> codes = new ArrayList<>();
        for (List<TargetWeight> targets : forwards) {
            StringBuilder code = new StringBuilder();
            targets.forEach(t -> code.append(t.targetGroupArn().equals(blue()) ? 'b' : 'g').append(t.weight()));
            codes.add(code.toString());
        }
        return String.join("+", codes);
    }

    /**
     * The record in {@code tags}, resolved against the routes read now (a folded range covers the rules of that side
     * whose priority lies in it); empty when there is none or it cannot be read.
     */
    static Optional<OriginalRoutes> from(Map<String, String> tags, int parts, Direction pair, Routing now) {
        Map<String, List<List<TargetWeight>>> byKey = new LinkedHashMap<>();
        for (int i = 1; i <= parts; i++) {
            String value = tags.get(TAG_PART + i);
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            for (String entry : value.strip().split(" +")) {
                if (!decode(entry, pair, now, byKey)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new OriginalRoutes(byKey, pair));
    }

    private static boolean decode(String entry, Direction pair, Routing now, Map<String, List<List<TargetWeight>>> byKey) {
        int eq = entry.indexOf('=');
        int colon = entry.indexOf(':');
        if (eq < 0 || colon < 0 || colon > eq) {
            return false;
        }
        String side = entry.substring(0, colon);
        String key = entry.substring(colon + 1, eq);
        List<List<TargetWeight>> forwards = new ArrayList<>();
        for (String code : entry.substring(eq + 1).split("\\+")) {
            List<TargetWeight> targets = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([bg])(\\d{1,3})").matcher(code);
            int end = 0;
            while (m.find() && m.start() == end) {
                targets.add(new TargetWeight(m.group(1).equals("b") ? pair.newTest() : pair.newLive(),
                        Integer.parseInt(m.group(2))));
                end = m.end();
            }
            if (end != code.length() || targets.isEmpty()) {
                return false;
            }
            forwards.add(targets);
        }
        List<Route> routes = switch (side) {
            case "live" -> now.liveRoutes();
            case "test" -> now.testRoutes();
            default -> null;
        };
        if (routes == null) {
            return false;
        }
        int dash = key.indexOf('-');
        if (dash < 0) {
            byKey.put(side + ":" + key, forwards);
            return true;
        }
        try {
            int from = Integer.parseInt(key.substring(0, dash));
            int to = Integer.parseInt(key.substring(dash + 1));
            for (Route r : routes) {
                if (!r.isDefault() && Integer.parseInt(r.priority()) >= from && Integer.parseInt(r.priority()) <= to) {
                    byKey.put(Routing.key(side, r), forwards);
                }
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Every tag key it may use, to clear them once the release is over. */
    static List<String> tagKeys(Map<String, String> tags) {
        return tags.keySet().stream().filter(k -> k.startsWith(TAG_PART)).toList();
    }
}
