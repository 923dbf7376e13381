package org.ctys.grammar;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ctys.exit.CtysException;

/**
 * Node sets as pdsh and ClusterShell write them: {@code node[01-16,20]}, {@code r[1-2]n[1-4]},
 * {@code lab[1-2].example.org}, several joined by commas at top level.
 *
 * <p>A range keeps the zero padding it was written with: {@code [01-16]} gives {@code node01},
 * {@code [1-16]} gives {@code node1}. Several bracket groups give the cartesian product, the
 * last group varying fastest, which is the order a reader expects.
 */
public final class NodeSet {
    /** More names than this is almost certainly a typo, and would flood every later step. */
    public static final int MAX_NAMES = 100_000;
    /** The longest node set text: ranges say much in little; a list this long belongs in a group. */
    public static final int MAX_LENGTH = 65_536;
    /** The longest name a node set may make: a DNS name's limit, so nothing longer can be a host. */
    public static final int MAX_NAME_LENGTH = 253;

    // Longer digit runs do not fit a long; nobody numbers machines beyond this.
    private static final int MAX_DIGITS = 18;
    private static final String VALID = "expected names, ranges and lists such as node[01-16,20]";

    private NodeSet() {}

    /**
     * Expands a node set into its names, in the order written, each name once.
     * Every malformed part is a usage error that quotes the whole text and the part.
     */
    public static List<String> expand(String text) {
        if (text == null || text.isEmpty()) {
            throw bad(text == null ? "" : text, "it is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw CtysException.usage("bad node set '" + shorten(text) + "': longer than " + MAX_LENGTH
                    + " characters, the most a node set may have; put the names in a group");
        }
        // Parse and count everything first, so an oversized set fails before any name is built.
        List<List<Part>> elements = new ArrayList<>();
        long total = 0;
        for (String element : splitTopLevel(text)) {
            if (element.isEmpty()) {
                throw bad(text, "it has an empty element between commas");
            }
            List<Part> parts = new ArrayList<>();
            long count = 1;
            long length = 0;
            int i = 0;
            while (i < element.length()) {
                int open = element.indexOf('[', i);
                if (open < 0) {
                    parts.add(Part.literal(element.substring(i)));
                    length += element.length() - i;
                    break;
                }
                if (open > i) {
                    parts.add(Part.literal(element.substring(i, open)));
                    length += open - i;
                }
                int close = element.indexOf(']', open);
                List<Range> ranges = parseBracket(text, element.substring(open + 1, close));
                long n = 0;
                int widest = 0;
                for (Range r : ranges) {
                    n = Math.min(n + r.size(), MAX_NAMES + 1L);
                    widest = Math.max(widest, r.widest());
                }
                length += widest;
                count = Math.min(count * n, MAX_NAMES + 1L);
                parts.add(new Part(null, ranges));
                i = close + 1;
            }
            if (length > MAX_NAME_LENGTH) {
                throw bad(text, "'" + shorten(element) + "' makes names longer than " + MAX_NAME_LENGTH
                        + " characters, the longest a host name may be");
            }
            total += count;
            if (total > MAX_NAMES) {
                throw bad(text, "it expands to more than " + MAX_NAMES + " names");
            }
            elements.add(parts);
        }
        Set<String> names = new LinkedHashSet<>();
        for (List<Part> parts : elements) {
            List<List<String>> choices = new ArrayList<>();
            for (Part part : parts) {
                choices.add(part.choices());
            }
            product(choices, names);
        }
        return List.copyOf(names);
    }

    /** A long text quoted in a message: its start, enough to recognise it, in one readable line. */
    static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "… (" + s.length() + " characters)";
    }

    /**
     * The inverse of {@link #expand}, for display: names that differ only in their last run of
     * digits are folded into {@code prefix[a-b,c]suffix}, keeping each name's zero padding, so
     * that expanding the result gives back the same set. Other names are kept as they are.
     */
    public static String fold(Collection<String> names) {
        Map<List<String>, Set<String>> groups = new TreeMap<>(
                Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
        Set<String> plain = new TreeSet<>();
        for (String name : new TreeSet<>(names)) {
            int end = name.length();
            while (end > 0 && !isAsciiDigit(name.charAt(end - 1))) {
                end--;
            }
            int start = end;
            while (start > 0 && isAsciiDigit(name.charAt(start - 1))) {
                start--;
            }
            if (start == end || end - start > MAX_DIGITS) {
                plain.add(name);
            } else {
                groups.computeIfAbsent(List.of(name.substring(0, start), name.substring(end)), k -> new TreeSet<>())
                        .add(name.substring(start, end));
            }
        }
        List<String> out = new ArrayList<>(plain);
        groups.forEach((key, numbers) -> out.add(foldGroup(key.get(0), numbers, key.get(1))));
        out.sort(Comparator.naturalOrder());
        return String.join(",", out);
    }

    private static String foldGroup(String prefix, Set<String> numbers, String suffix) {
        if (numbers.size() == 1) {
            return prefix + numbers.iterator().next() + suffix;
        }
        // A padded number ("007") fixes its width; an unpadded one joins a padded width when it has
        // exactly that many digits ("10" beside "09"), since padding it changes nothing.
        Set<Integer> paddedWidths = new TreeSet<>();
        for (String n : numbers) {
            if (isPadded(n)) paddedWidths.add(n.length());
        }
        Map<Integer, TreeSet<Long>> byWidth = new TreeMap<>();
        for (String n : numbers) {
            int width = isPadded(n) || paddedWidths.contains(n.length()) ? n.length() : 0;
            byWidth.computeIfAbsent(width, w -> new TreeSet<>()).add(Long.parseLong(n));
        }
        List<Range> ranges = new ArrayList<>();
        byWidth.forEach((width, values) -> {
            long lo = -1;
            long hi = -1;
            for (long v : values) {
                if (lo >= 0 && v == hi + 1) {
                    hi = v;
                    continue;
                }
                if (lo >= 0) ranges.add(new Range(lo, hi, width));
                lo = v;
                hi = v;
            }
            ranges.add(new Range(lo, hi, width));
        });
        ranges.sort(Comparator.comparingLong(Range::lo).thenComparingInt(Range::width));
        List<String> items = new ArrayList<>();
        for (Range r : ranges) items.add(r.toString());
        return prefix + "[" + String.join(",", items) + "]" + suffix;
    }

    /** Splits at commas outside brackets, checking that brackets balance and do not nest. */
    private static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        boolean inBracket = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[') {
                if (inBracket) throw bad(text, "'[' opens inside another bracket");
                inBracket = true;
            } else if (c == ']') {
                if (!inBracket) throw bad(text, "']' has no matching '['");
                inBracket = false;
            } else if (c == ',' && !inBracket) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (inBracket) throw bad(text, "'[' is never closed");
        out.add(text.substring(start));
        return out;
    }

    private static List<Range> parseBracket(String text, String content) {
        if (content.isEmpty()) {
            throw bad(text, "it has empty brackets '[]'");
        }
        List<Range> ranges = new ArrayList<>();
        for (String item : content.split(",", -1)) {
            if (item.isEmpty()) {
                throw bad(text, "'[" + content + "]' has an empty element");
            }
            String[] bounds = item.split("-", -1);
            if (bounds.length > 2) {
                throw bad(text, "'" + item + "' is not a range: write LOW-HIGH");
            }
            for (String b : bounds) {
                if (b.isEmpty()) throw bad(text, "range '" + item + "' is missing a bound: write LOW-HIGH");
                if (!b.chars().allMatch(NodeSet::isAsciiDigit)) {
                    throw bad(text, "'" + b + "' in '[" + content + "]' is not a number");
                }
                if (b.length() > MAX_DIGITS) throw bad(text, "'" + b + "' is too large a number");
            }
            String lo = bounds[0];
            String hi = bounds.length == 2 ? bounds[1] : lo;
            long from = Long.parseLong(lo);
            long to = Long.parseLong(hi);
            if (from > to) {
                throw bad(text, "range '" + item + "' runs backwards: write " + hi + "-" + lo);
            }
            int width = isPadded(lo) ? lo.length() : isPadded(hi) ? hi.length() : 0;
            ranges.add(new Range(from, to, width));
        }
        return ranges;
    }

    /**
     * The cartesian product, the last part varying fastest, counted like an odometer rather than
     * recursed, so that thousands of bracket groups cost no stack.
     */
    private static void product(List<List<String>> parts, Set<String> out) {
        int n = parts.size();
        int[] at = new int[n];
        StringBuilder name = new StringBuilder();
        while (true) {
            name.setLength(0);
            for (int k = 0; k < n; k++) name.append(parts.get(k).get(at[k]));
            out.add(name.toString());
            int k = n - 1;
            while (k >= 0 && ++at[k] == parts.get(k).size()) {
                at[k] = 0;
                k--;
            }
            if (k < 0) return;
        }
    }

    private static boolean isPadded(String digits) {
        return digits.length() > 1 && digits.charAt(0) == '0';
    }

    private static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static CtysException bad(String text, String reason) {
        return CtysException.usage("bad node set '" + shorten(text) + "': " + reason + "; " + VALID);
    }

    /** An inclusive range of numbers, written with {@code width} digits (0: as many as needed). */
    private record Range(long lo, long hi, int width) {
        long size() {
            return hi - lo + 1;
        }

        /** The number of characters of its longest number. */
        int widest() {
            return Math.max(width, Long.toString(hi).length());
        }

        String format(long v) {
            String s = Long.toString(v);
            return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
        }

        @Override
        public String toString() {
            return lo == hi ? format(lo) : format(lo) + "-" + format(hi);
        }
    }

    /** A piece of one element: literal text, or the ranges of one bracket group. */
    private record Part(String literal, List<Range> ranges) {
        static Part literal(String text) {
            return new Part(text, null);
        }

        List<String> choices() {
            if (literal != null) return List.of(literal);
            List<String> out = new ArrayList<>();
            for (Range r : ranges) {
                for (long v = r.lo(); v <= r.hi(); v++) out.add(r.format(v));
            }
            return out;
        }
    }
}
