package dev.ecsbluegreen.core;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way the hooks show a URL, a header or a message that may quote one (log lines, verdicts, ECS answers,
 * configuration errors): credentials in a URL ({@code https://user:secret@host}), the values of query
 * parameters and headers with a secret's name ({@code token}, {@code sig}, {@code X-Amz-Signature},
 * {@code Authorization}, {@code X-Api-Key}, anything naming a token, secret, key or password) become
 * {@value #MASK}. It errs towards hiding: a parameter named {@code monkey} is hidden too. Pure and thread-safe.
 */
public final class Redaction {
    static final String MASK = "***";

    /** Names that are secrets in themselves (lower case). */
    private static final Set<String> SECRET_NAMES = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie", "sig", "auth", "pass", "pwd");
    /** Words that make a name a secret's wherever they appear in it (lower case). */
    private static final Pattern SECRET_WORDS = Pattern.compile(
            "token|secret|key|password|passwd|signature|credential|session|cookie|authorization|apikey");

    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#@\\s'\"<>]*@");
    private static final Pattern URL_IN_TEXT = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^\\s'\"<>]+");
    /** {@code name=value} where a parameter starts: not inside a longer token such as a base64 id's padding. */
    private static final Pattern PARAMETER = Pattern.compile(
            "(?:^|(?<=[?&#\\s;,(]))([A-Za-z0-9_.~%-]{1,64})=([^&#\\s'\"<>,;|)]*)");
    /** {@code Name: value} as a header is quoted in a message (an exception, a header dump). */
    private static final Pattern HEADER_IN_TEXT = Pattern.compile(
            "\\b([A-Za-z][A-Za-z0-9_-]*)(\\s*:\\s*)(?!//)([^\\r\\n,;|()]+)");

    private Redaction() {}

    /** Whether a header or query parameter named {@code name} carries a secret. */
    public static boolean isSecretName(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT).trim();
        return SECRET_NAMES.contains(lower) || SECRET_WORDS.matcher(lower.replace("_", "").replace("-", "")).find()
                || SECRET_WORDS.matcher(lower).find();
    }

    /**
     * A URL (absolute, or a path with a query as in a relative {@code Location}) fit to show: no user info, no
     * value of a secret query parameter (nor of one in the fragment, where OAuth puts tokens).
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String withoutUser = USER_INFO.matcher(url).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        int query = indexOfAny(withoutUser, '?', '#');
        return query < 0 ? withoutUser : withoutUser.substring(0, query) + parameters(withoutUser.substring(query));
    }

    /** A header's value fit to show: {@value #MASK} for a secret header. */
    public static String header(String name, String value) {
        return isSecretName(name) ? MASK : value;
    }

    /**
     * Free text fit to show (a verdict's reason, an exception's message): every URL in it as by {@link #url},
     * and every {@code name=value} or {@code Name: value} with a secret's name masked.
     */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String urls = URL_IN_TEXT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(url(m.group())));
        String params = parameters(urls);
        return HEADER_IN_TEXT.matcher(params).replaceAll(m -> Matcher.quoteReplacement(isSecretName(m.group(1))
                && !m.group(3).startsWith(MASK)
                ? m.group(1) + m.group(2) + MASK : m.group()));
    }

    private static String parameters(String text) {
        return PARAMETER.matcher(text).replaceAll(m -> Matcher.quoteReplacement(isSecretName(decoded(m.group(1)))
                ? m.group(1) + "=" + MASK : m.group()));
    }

    private static String decoded(String name) {
        try {
            return java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }

    private static int indexOfAny(String text, char first, char second) {
        int a = text.indexOf(first);
        int b = text.indexOf(second);
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }
}
