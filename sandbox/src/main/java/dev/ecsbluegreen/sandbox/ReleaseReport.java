package dev.ecsbluegreen.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The release as a page people can look at: one self-contained HTML file (inline SVG and CSS, a few lines of inline
 * script, nothing fetched) with the timeline's steps — verdict, live and test routing, {@code IsProduction} — and,
 * when the load generator ran, live requests per second and error rate per version over time, the steps marked on
 * the time axis. Pure: the page is a function of its inputs.
 */
public final class ReleaseReport {
    private static final int WIDTH = 900;
    private static final int CHART_HEIGHT = 180;
    private static final int LEFT = 48;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 28;
    /** Colours per version, in the order versions first answered; blue's and green's when they are named so. */
    private static final List<String> PALETTE = List.of("#1f6fd1", "#1a9e55", "#b8860b", "#8e44ad", "#c0392b");

    private ReleaseReport() {}

    /**
     * @param title      what was released, e.g. "ECS linear 33 % → 66 % → 100 %"
     * @param conclusion the timeline's last line
     * @param succeeded  whether the release succeeded
     * @param steps      the timeline's rows, in order
     * @param traffic    the load generator's answers per second (empty when it did not run)
     * @param labels     who answered (the version header) → how to name it, e.g. {@code v1} → {@code blue v1}
     */
    public static String html(String title, String conclusion, boolean succeeded, List<Release.Step> steps,
                              List<LoadGenerator.Second> traffic, Map<String, String> labels) {
        return html(title, conclusion, succeeded, steps, traffic, labels, Timeline.IS_PRODUCTION.title());
    }

    /** As {@link #html(String, String, boolean, List, List, Map)}, titling the steps' last column {@code lastColumn}. */
    public static String html(String title, String conclusion, boolean succeeded, List<Release.Step> steps,
                              List<LoadGenerator.Second> traffic, Map<String, String> labels, String lastColumn) {
        StringBuilder page = new StringBuilder(16_384);
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(escape("ecs-bluegreen release: " + title)).append("</title>")
                .append("<style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:").append(WIDTH + 40).append("px}")
                .append("h1{font-size:20px;margin:0 0 4px}.conclusion{margin:0 0 16px;font-weight:600}")
                .append(".ok{color:#1a7f37}.failed{color:#c0392b}table{border-collapse:collapse;width:100%;margin:12px 0}")
                .append("th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top;font-size:13px}")
                .append("th{background:#f4f4f4}tr.highlight td{background:#fff6d5}")
                .append("svg text{font:11px system-ui,sans-serif;fill:#444}.legend span{margin-right:16px}")
                .append(".swatch{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}")
                .append("</style></head><body>");
        page.append("<h1>").append(escape(title)).append("</h1>");
        page.append("<p class=\"conclusion ").append(succeeded ? "ok" : "failed").append("\">")
                .append(escape(conclusion)).append("</p>");
        Instant start = start(steps, traffic);
        if (!traffic.isEmpty()) {
            Map<String, String> colours = colours(traffic, labels);
            page.append("<h2>Live traffic</h2><div class=\"legend\">");
            colours.forEach((who, colour) -> page.append("<span><i class=\"swatch\" style=\"background:").append(colour)
                    .append("\"></i>").append(escape(labels.getOrDefault(who, who))).append("</span>"));
            page.append("</div>");
            page.append(chart("requests", "requests/s", traffic, colours, steps, start, false));
            page.append(chart("errors", "5xx or no answer, % of the version's requests", traffic, colours, steps, start, true));
        }
        page.append("<h2>Steps</h2><table id=\"steps\"><thead><tr><th>#</th><th>at</th><th>step</th><th>verdict</th>")
                .append("<th>live</th><th>test</th><th>").append(escape(lastColumn)).append("</th></tr></thead><tbody>");
        for (int i = 0; i < steps.size(); i++) {
            Release.Step step = steps.get(i);
            page.append("<tr class=\"step\" data-step=\"").append(i).append("\"><td>").append(i).append("</td><td>")
                    .append(seconds(start, step.at())).append("</td><td>").append(escape(step.name()))
                    .append("</td><td class=\"").append(step.passed() ? "ok" : "failed").append("\">")
                    .append(escape(step.verdict())).append("</td><td>").append(escape(step.live().toString()))
                    .append("</td><td>").append(escape(step.test().toString())).append("</td><td>")
                    .append(escape(step.production())).append("</td></tr>");
        }
        page.append("</tbody></table>");
        // the only script: a step marker on the charts highlights its row; any error is kept where a reader (and the
        // browser test) can see it
        page.append("<script>")
                .append("window.addEventListener('error',function(e){document.body.setAttribute('data-script-error',String(e.message));});")
                .append("document.querySelectorAll('[data-marker]').forEach(function(m){")
                .append("var row=document.querySelector('tr[data-step=\"'+m.getAttribute('data-marker')+'\"]');")
                .append("m.addEventListener('mouseenter',function(){row.classList.add('highlight');});")
                .append("m.addEventListener('mouseleave',function(){row.classList.remove('highlight');});});")
                .append("document.body.setAttribute('data-ready','true');")
                .append("</script></body></html>\n");
        return page.toString();
    }

    /** Writes the page; returns where. */
    public static Path write(Path file, String html) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, html, StandardCharsets.UTF_8);
        return file;
    }

    private static String chart(String id, String axis, List<LoadGenerator.Second> traffic, Map<String, String> colours,
                                List<Release.Step> steps, Instant start, boolean errorRate) {
        Instant end = traffic.get(traffic.size() - 1).second().plusSeconds(1);
        for (Release.Step step : steps) {
            if (step.at() != null && step.at().isAfter(end)) {
                end = step.at();
            }
        }
        double span = Math.max(1, Duration.between(start, end).toMillis() / 1000.0);
        Map<String, TreeMap<Long, double[]>> byWho = new LinkedHashMap<>();
        for (LoadGenerator.Second s : traffic) {
            byWho.computeIfAbsent(s.who(), w -> new TreeMap<>())
                    .put(s.second().getEpochSecond(), new double[] {s.requests(), s.errors()});
        }
        double max = 0;
        for (TreeMap<Long, double[]> points : byWho.values()) {
            for (double[] point : points.values()) {
                max = Math.max(max, errorRate ? (point[0] == 0 ? 0 : 100 * point[1] / point[0]) : point[0]);
            }
        }
        double top = errorRate ? Math.max(5, Math.ceil(max / 5) * 5) : Math.max(1, Math.ceil(max * 1.1));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = CHART_HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"").append(id).append("\" width=\"").append(WIDTH).append("\" height=\"").append(CHART_HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(CHART_HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(escape(axis)).append("\">");
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotWidth)
                .append("\" height=\"").append(plotHeight).append("\" fill=\"#fafafa\" stroke=\"#ccc\"/>");
        for (int tick = 0; tick <= 4; tick++) {
            double value = top * tick / 4;
            double y = TOP + plotHeight - plotHeight * tick / 4.0;
            svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(format(y + 4)).append("\" text-anchor=\"end\">")
                    .append(format(value)).append("</text>");
        }
        svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(CHART_HEIGHT - 6).append("\">")
                .append(escape(axis)).append(" · seconds since the release began (0–").append(format(span))
                .append(")</text>");
        for (int i = 0; i < steps.size(); i++) {
            Release.Step step = steps.get(i);
            if (step.at() == null) {
                continue;
            }
            double x = LEFT + plotWidth * Duration.between(start, step.at()).toMillis() / 1000.0 / span;
            svg.append("<g data-marker=\"").append(i).append("\"><line x1=\"").append(format(x)).append("\" x2=\"")
                    .append(format(x)).append("\" y1=\"").append(TOP).append("\" y2=\"").append(TOP + plotHeight)
                    .append("\" stroke=\"").append(step.passed() ? "#999" : "#c0392b")
                    .append("\" stroke-dasharray=\"3,3\"/><title>").append(i).append(": ").append(escape(step.name()))
                    .append(" — ").append(escape(step.verdict())).append("</title><text x=\"").append(format(x + 2))
                    .append("\" y=\"").append(TOP + 10).append("\">").append(i).append("</text></g>");
        }
        for (Map.Entry<String, TreeMap<Long, double[]>> entry : byWho.entrySet()) {
            List<String> points = new ArrayList<>();
            for (Map.Entry<Long, double[]> point : entry.getValue().entrySet()) {
                double x = LEFT + plotWidth * (point.getKey() + 0.5 - start.toEpochMilli() / 1000.0) / span;
                double[] value = point.getValue();
                double y = errorRate ? (value[0] == 0 ? 0 : 100 * value[1] / value[0]) : value[0];
                points.add(format(x) + "," + format(TOP + plotHeight - plotHeight * Math.min(y, top) / top));
            }
            svg.append("<polyline class=\"series\" data-who=\"").append(escape(entry.getKey())).append("\" fill=\"none\" stroke=\"")
                    .append(colours.get(entry.getKey())).append("\" stroke-width=\"2\" points=\"")
                    .append(String.join(" ", points)).append("\"/>");
        }
        return svg.append("</svg>").toString();
    }

    private static Map<String, String> colours(List<LoadGenerator.Second> traffic, Map<String, String> labels) {
        Map<String, String> colours = new LinkedHashMap<>();
        int next = 2;
        for (LoadGenerator.Second s : traffic) {
            if (!colours.containsKey(s.who())) {
                String label = labels.getOrDefault(s.who(), s.who());
                colours.put(s.who(), label.startsWith("blue") ? PALETTE.get(0) : label.startsWith("green") ? PALETTE.get(1)
                        : PALETTE.get(Math.min(PALETTE.size() - 1, next++)));
            }
        }
        return colours;
    }

    private static Instant start(List<Release.Step> steps, List<LoadGenerator.Second> traffic) {
        Instant start = null;
        for (Release.Step step : steps) {
            if (step.at() != null && (start == null || step.at().isBefore(start))) {
                start = step.at();
            }
        }
        if (!traffic.isEmpty() && (start == null || traffic.get(0).second().isBefore(start))) {
            start = traffic.get(0).second();
        }
        return start == null ? Instant.EPOCH : start;
    }

    private static String seconds(Instant start, Instant at) {
        return at == null ? "" : format(Duration.between(start, at).toMillis() / 1000.0) + " s";
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
