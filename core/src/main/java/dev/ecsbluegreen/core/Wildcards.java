package dev.ecsbluegreen.core;

import java.util.regex.Pattern;

/** AWS's wildcards, as IAM resource ARNs and ELB path and host conditions use them. */
public final class Wildcards {
    private Wildcards() {}

    /** Whether {@code value} matches {@code pattern}, where {@code *} is any run of characters and {@code ?} any one. */
    public static boolean matches(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL)
                .matcher(value).matches();
    }
}
