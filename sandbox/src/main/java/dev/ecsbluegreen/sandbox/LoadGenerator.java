package dev.ecsbluegreen.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Steady traffic through the live listener while a release runs, as production users would send it: {@code rate}
 * GET requests a second to one path (the demo app's {@value DemoApp#ORDERS_PATH}, which the smoke tests never ask
 * for), each counted by the version that answered ({@code X-App-Version}; else the target group in
 * {@link DataPlane#SERVED_BY}; else "none") and its status (0 for no answer). Requests go out on schedule whether or
 * not earlier ones have been answered. Thread-safe.
 */
public final class LoadGenerator implements AutoCloseable {
    public static final int DEFAULT_RATE = 20;
    public static final int MAX_RATE = 200;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Answers counted so far: by who answered, then by status.
     *
     * @param answers version (or target group) → status → count
     */
    public record Tally(Map<String, Map<Integer, Long>> answers) {
        public static final Tally EMPTY = new Tally(Map.of());

        public Tally {
            Map<String, Map<Integer, Long>> copy = new TreeMap<>();
            answers.forEach((who, statuses) -> copy.put(who, Map.copyOf(new TreeMap<>(statuses))));
            answers = Map.copyOf(copy);
        }

        /** Every answer {@code who} gave. */
        public long served(String who) {
            return answers.getOrDefault(who, Map.of()).values().stream().mapToLong(Long::longValue).sum();
        }

        /** The answers with a 5xx status {@code who} gave. */
        public long errors(String who) {
            return answers.getOrDefault(who, Map.of()).entrySet().stream()
                    .filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        }

        public long total() {
            return answers.keySet().stream().mapToLong(this::served).sum();
        }

        /** What was counted since {@code earlier} (a tally taken before this one). */
        public Tally since(Tally earlier) {
            Map<String, Map<Integer, Long>> difference = new TreeMap<>();
            answers.forEach((who, statuses) -> statuses.forEach((status, count) -> {
                long before = earlier.answers().getOrDefault(who, Map.of()).getOrDefault(status, 0L);
                if (count - before > 0) {
                    difference.computeIfAbsent(who, w -> new TreeMap<>()).put(status, count - before);
                }
            }));
            return new Tally(difference);
        }

        /**
         * {@code blue v1 612 / green v2 71 requests, green v2 5xx 4}: {@code labels} name the versions (v1 → "blue
         * v1"); versions seen that have no label come after them under their own name.
         */
        public String describe(Map<String, String> labels) {
            java.util.List<String> whos = new java.util.ArrayList<>(labels.keySet());
            answers.keySet().stream().filter(who -> !labels.containsKey(who)).forEach(whos::add);
            String served = whos.stream().map(who -> labels.getOrDefault(who, who) + " " + served(who))
                    .collect(Collectors.joining(" / "));
            String errors = whos.stream().filter(who -> errors(who) > 0)
                    .map(who -> labels.getOrDefault(who, who) + " 5xx " + errors(who))
                    .collect(Collectors.joining(", "));
            return served + " requests" + (errors.isEmpty() ? ", no 5xx" : ", " + errors);
        }
    }

    private final URI url;
    private final int rate;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable ->
            Thread.ofPlatform().daemon().name("sandbox-load").unstarted(runnable));
    private final Map<String, Map<Integer, AtomicLong>> counts = new ConcurrentHashMap<>();
    /** Epoch second → who answered → {requests, errors}. */
    private final Map<Long, Map<String, long[]>> perSecond = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();

    /**
     * Starts sending at once.
     *
     * @param listener the live listener's local URL
     * @param rate     requests per second, 0 to send none
     */
    public LoadGenerator(URI listener, String path, int rate) {
        if (rate < 0 || rate > MAX_RATE) {
            throw new IllegalArgumentException("a load rate is 0 to " + MAX_RATE + " requests/s, not " + rate);
        }
        this.url = listener.resolve(path);
        this.rate = rate;
        if (rate > 0) {
            scheduler.scheduleAtFixedRate(this::send, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        }
    }

    private void send() {
        inFlight.incrementAndGet();
        try {
            http.sendAsync(HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        String who = response == null ? "none" : response.headers().firstValue("X-App-Version")
                                .or(() -> response.headers().firstValue(DataPlane.SERVED_BY)).orElse("none");
                        count(who, response == null ? 0 : response.statusCode());
                        inFlight.decrementAndGet();
                    });
        } catch (RuntimeException e) {
            // a client shutting down refuses the request: nothing was sent
            inFlight.decrementAndGet();
        }
    }

    private void count(String who, int status) {
        counts.computeIfAbsent(who, w -> new ConcurrentHashMap<>()).computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        long second = System.currentTimeMillis() / 1000;
        long[] bucket = perSecond.computeIfAbsent(second, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(who, w -> new long[2]);
        synchronized (bucket) {
            bucket[0]++;
            if (status == 0 || status >= 500) {
                bucket[1]++;
            }
        }
    }

    /**
     * The answers of one second by one version (or {@code none} when nothing answered).
     *
     * @param errors 5xx answers and requests that got no answer
     */
    public record Second(java.time.Instant second, String who, long requests, long errors) {}

    /** Every second's answers so far, oldest first: the release report's chart. */
    public List<Second> series() {
        List<Second> series = new java.util.ArrayList<>();
        new TreeMap<>(perSecond).forEach((second, byWho) -> new TreeMap<>(byWho).forEach((who, bucket) -> {
            synchronized (bucket) {
                series.add(new Second(java.time.Instant.ofEpochSecond(second), who, bucket[0], bucket[1]));
            }
        }));
        return series;
    }

    /** The answers so far. */
    public Tally tally() {
        Map<String, Map<Integer, Long>> snapshot = new TreeMap<>();
        counts.forEach((who, statuses) -> statuses.forEach((status, count) ->
                snapshot.computeIfAbsent(who, w -> new TreeMap<>()).put(status, count.get())));
        return new Tally(snapshot);
    }

    public int rate() {
        return rate;
    }

    public URI url() {
        return url;
    }

    /** Stops sending, waits up to the request timeout for the answers still due, and returns the final tally. */
    public Tally stop() {
        scheduler.shutdownNow();
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return tally();
    }

    @Override
    public void close() {
        stop();
        http.shutdownNow();
    }
}
