package org.ctys.grammar;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" hints for usage errors: the nearest known word to what the user typed. */
public final class Suggest {
    private Suggest() {}

    /**
     * The candidate closest to {@code input}, ignoring case: the one with the smallest
     * Damerau-Levenshtein distance (adjacent swaps count once) if that is at most
     * max(1, length/3), else the shortest candidate that starts with an input of two or more
     * characters. Ties go to the earlier candidate. Empty when nothing is close enough.
     */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        if (input == null || input.isEmpty() || candidates == null) {
            return Optional.empty();
        }
        String typed = input.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            if (c == null) continue;
            int d = distance(typed, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= Math.max(1, typed.length() / 3)) {
            return Optional.of(best);
        }
        if (typed.length() >= 2) {
            String prefixed = null;
            for (String c : candidates) {
                if (c != null && c.toLowerCase(Locale.ROOT).startsWith(typed)
                        && (prefixed == null || c.length() < prefixed.length())) {
                    prefixed = c;
                }
            }
            return Optional.ofNullable(prefixed);
        }
        return Optional.empty();
    }

    /** {@code "; did you mean 'X'?"} to append to a usage message, or "" when nothing is close. */
    public static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
