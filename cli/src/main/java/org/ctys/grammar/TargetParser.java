package org.ctys.grammar;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.ctys.exit.CtysException;

/**
 * The TARGET grammar of the command line:
 * <pre>
 * TARGET   := [USER@]HOST['(' TARGET-OPTIONS ')'] | @GROUP | NODESET | STACK
 * STACK    := PM'['VM']'['VM']' ...   one bracket per level, top-most last
 * </pre>
 * A bracket holding only digits, commas and '-' is a node range of the machine name
 * ({@code lab[01-40]}); any other bracket is a stack level, and those may only come last
 * ({@code pm[01-02][web1][db]}). A comma outside brackets and parentheses separates targets.
 * A word that is only {@code (…)} holds options for every target after it.
 *
 * <p>IPv6: a host part that starts with '[' ({@code [::1]}, {@code root@[::1]}) is an IPv6 address
 * in brackets, since a node set or a stack address starts with a name; one that holds a ':' is an
 * IPv6 address written plainly ({@code ::1}, {@code fe80::1%eth0}). Either way the target carries
 * the address without brackets.
 */
public final class TargetParser {
    // Letters, digits, '.', '-', '_': DNS names, short names and IPv4 addresses.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern NODE_RANGE = Pattern.compile("[0-9,-]+");
    private static final String NAME_CHARS = "letters, digits, '.', '-' and '_'";
    /** The longest target word; a longer list belongs in an inventory group. */
    public static final int MAX_LENGTH = NodeSet.MAX_LENGTH;

    private TargetParser() {}

    /** Parses the target words in order; the first malformed word is a usage error naming it. */
    public static List<TargetSpec> parse(List<String> args) {
        List<String> shared = new ArrayList<>();
        List<TargetSpec> targets = new ArrayList<>();
        for (String word : args) {
            if (word == null || word.isEmpty()) {
                throw bad("", "it is empty; expected [USER@]HOST, @GROUP, a node set or PM[VM]");
            }
            if (word.length() > MAX_LENGTH) {
                throw bad(word, "longer than " + MAX_LENGTH + " characters, the most a target word may have;"
                        + " put the names in a group");
            }
            List<String> pieces = splitTopLevel(word);
            if (word.charAt(0) == '(') {
                int close = closingParen(word, 0);
                if (close != word.length() - 1) {
                    throw bad(word, "'" + word.substring(close + 1) + "' follows the closing ')'; "
                            + "shared options are one word such as '(-l root)'");
                }
                shared.addAll(tokenize(word, word.substring(1, close)));
                continue;
            }
            for (String piece : pieces) {
                targets.addAll(parseOne(word, piece, shared));
            }
        }
        return List.copyOf(targets);
    }

    private static List<TargetSpec> parseOne(String word, String piece, List<String> shared) {
        if (piece.isEmpty()) {
            throw bad(word, "it has an empty target between commas; expected HOST,HOST");
        }
        String head = piece;
        List<String> options = new ArrayList<>(shared);
        int open = piece.indexOf('(');
        if (open >= 0) {
            int close = closingParen(piece, open);
            if (close != piece.length() - 1) {
                throw bad(word, "'" + piece.substring(close + 1) + "' follows the closing ')'; "
                        + "options in parentheses come last, e.g. lab01'(-l root)'");
            }
            options.addAll(tokenize(word, piece.substring(open + 1, close)));
            head = piece.substring(0, open);
        }
        if (head.isEmpty()) {
            throw bad(word, "no host before '('; expected HOST(OPTIONS)");
        }
        if (head.charAt(0) == '@') {
            return List.of(group(word, head.substring(1), options));
        }
        String user = null;
        String host = head;
        int at = head.indexOf('@');
        if (at > 0) {
            user = head.substring(0, at);
            host = head.substring(at + 1);
            if (!Names.isUser(user)) {
                throw bad(word, "user '" + user + "' may only hold " + NAME_CHARS + " and may not start with '-'");
            }
            if (host.isEmpty()) {
                throw bad(word, "no host after '" + user + "@'; expected USER@HOST");
            }
        }
        return machines(word, user, host, options);
    }

    private static TargetSpec group(String word, String name, List<String> options) {
        if (name.isEmpty()) {
            throw bad(word, "nothing follows '@'; expected @GROUP or USER@HOST");
        }
        if (name.charAt(0) == '@') {
            throw bad(word, "empty user name before '@'; expected USER@HOST or @GROUP");
        }
        if (!NAME.matcher(name).matches()) {
            throw bad(word, "group name '" + name + "' may only hold " + NAME_CHARS);
        }
        return new TargetSpec(word, null, TargetSpec.Kind.GROUP, name, List.of(), options);
    }

    /**
     * An IPv6 address as the machine: in brackets when the host part starts with '[' ({@code [::1]},
     * {@code root@[fe80::1%eth0]}, stack levels may follow: {@code [::1][vm1]}), or written plainly
     * when it holds a ':' outside brackets, which no host name does ({@code ::1}, {@code fe80::1%eth0}).
     * Null when the host part is neither, i.e. a name, a node set or a stack address.
     */
    private static List<TargetSpec> ipv6(String word, String user, String host, List<String> options) {
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            String address = host.substring(1, close);
            if (!Names.isIpv6(address)) {
                throw bad(word, "'[" + address + "]' is not an IPv6 address; a bracket first means one, such as [::1]"
                        + " or [fe80::1%eth0]; node ranges and guests follow a name: lab[01-05], pm01[vm1]");
            }
            List<String> stack = new ArrayList<>();
            String rest = host.substring(close + 1);
            int i = 0;
            while (i < rest.length()) {
                int end = rest.indexOf(']', i);
                if (rest.charAt(i) != '[' || end < 0) {
                    throw bad(word, "'" + rest.substring(i) + "' follows the IPv6 address; only guests may: [::1][vm1]");
                }
                String level = rest.substring(i + 1, end);
                if (!NAME.matcher(level).matches() || NODE_RANGE.matcher(level).matches()) {
                    throw bad(word, "'[" + level + "]' after an IPv6 address is not a guest name; guest names hold "
                            + NAME_CHARS + ", and an address is one machine, not a node range");
                }
                stack.add(level);
                i = end + 1;
            }
            return List.of(new TargetSpec(word, user, stack.isEmpty() ? TargetSpec.Kind.HOST : TargetSpec.Kind.STACK,
                    address, stack, options));
        }
        if (host.replaceAll("\\[[^\\]]*\\]", "").indexOf(':') < 0) return null;
        if (host.indexOf('[') >= 0) {
            throw bad(word, "an IPv6 address takes no node range, and guests follow it only in brackets: [fe80::1][vm1]");
        }
        if (!Names.isIpv6(host)) {
            throw bad(word, "'" + host + "' is not an IPv6 address (and a host name holds no ':'); expected e.g. ::1,"
                    + " fe80::1%eth0 or [2001:db8::1]");
        }
        return List.of(new TargetSpec(word, user, TargetSpec.Kind.HOST, host, List.of(), options));
    }

    /** The machine part: node ranges first, then stack levels, which may only be trailing. */
    private static List<TargetSpec> machines(String word, String user, String host, List<String> options) {
        List<TargetSpec> address = ipv6(word, user, host, options);
        if (address != null) return address;
        List<String> stack = new ArrayList<>();
        int stackStart = -1;
        int i = 0;
        while ((i = host.indexOf('[', i)) >= 0) {
            int close = host.indexOf(']', i);
            String content = host.substring(i + 1, close);
            if (content.isEmpty()) {
                throw bad(word, "empty brackets '[]'; expected a node range such as [01-16] or a guest such as [vm1]");
            }
            boolean nodeRange = NODE_RANGE.matcher(content).matches();
            if (stackStart >= 0 && nodeRange) {
                throw bad(word, "node range '[" + content + "]' follows a stack level; "
                        + "ranges belong to the machine name, e.g. pm[01-02][vm1]");
            }
            if (!nodeRange) {
                if (stackStart < 0) {
                    stackStart = i;
                } else if (host.charAt(i - 1) != ']') {
                    throw bad(word, "'" + host.substring(host.lastIndexOf(']', i) + 1, i)
                            + "' sits between stack levels; write PM[VM][VM]");
                }
                if (!NAME.matcher(content).matches()) {
                    throw bad(word, "stack level '" + content + "' may only hold " + NAME_CHARS);
                }
                stack.add(content);
            }
            i = close + 1;
        }
        if (stackStart >= 0 && host.charAt(host.length() - 1) != ']') {
            throw bad(word, "'" + host.substring(host.lastIndexOf(']') + 1)
                    + "' follows a stack level; stack levels come last: PM[VM][VM]");
        }
        String base = stackStart < 0 ? host : host.substring(0, stackStart);
        if (base.isEmpty()) {
            throw bad(word, "no machine name before '" + host + "'; expected PM[VM]");
        }
        // Bracket contents here are node ranges, already limited to digits, ',' and '-'.
        String outside = base.replaceAll("\\[[^\\]]*\\]", "");
        for (int k = 0; k < outside.length(); k++) {
            char c = outside.charAt(k);
            if (!isNameChar(c)) {
                throw bad(word, "host '" + base + "' holds '" + c + "'; host names are " + NAME_CHARS);
            }
        }
        if (base.charAt(0) == '-') {
            throw bad(word, "host '" + base + "' starts with '-'; a host name starts with a letter or digit");
        }
        List<String> names;
        try {
            names = base.indexOf('[') < 0 ? List.of(base) : NodeSet.expand(base);
        } catch (CtysException e) {
            throw bad(word, e.getMessage());
        }
        TargetSpec.Kind kind = stack.isEmpty() ? TargetSpec.Kind.HOST : TargetSpec.Kind.STACK;
        List<TargetSpec> out = new ArrayList<>(names.size());
        for (String name : names) {
            if (!Names.isHost(name)) {
                throw bad(word, "'" + name + "' is not a host name nor an IPv4 address (numbers 0-255 without leading zeros, dots between"
                        + " labels, no empty label)");
            }
            out.add(new TargetSpec(word, user, kind, name, stack, options));
        }
        return out;
    }

    /**
     * Splits a word at commas outside brackets and parentheses, and checks that brackets and
     * parentheses balance and that quotes inside parentheses are closed.
     */
    private static List<String> splitTopLevel(String word) {
        List<String> pieces = new ArrayList<>();
        boolean inBracket = false;
        int start = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '(') {
                if (inBracket) {
                    throw bad(word, "'(' inside brackets; options come after the host: HOST(OPTIONS)");
                }
                int close = closingParen(word, i);
                i = close;
            } else if (c == ')') {
                throw bad(word, "')' has no matching '('; expected HOST(OPTIONS)");
            } else if (c == '[') {
                if (inBracket) {
                    throw bad(word, "'[' opens inside another '['; expected node[01-16] or PM[VM][VM]");
                }
                inBracket = true;
            } else if (c == ']') {
                if (!inBracket) {
                    throw bad(word, "']' has no matching '['; expected node[01-16] or PM[VM]");
                }
                inBracket = false;
            } else if (c == ',' && !inBracket) {
                pieces.add(word.substring(start, i));
                start = i + 1;
            }
        }
        if (inBracket) {
            throw bad(word, "'[' is never closed; expected node[01-16] or PM[VM]");
        }
        pieces.add(word.substring(start));
        return pieces;
    }

    /** The index of the ')' matching the '(' at {@code open}, skipping quoted and escaped text. */
    private static int closingParen(String word, int open) {
        int depth = 0;
        for (int i = open; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '\'') {
                i = word.indexOf('\'', i + 1);
                if (i < 0) {
                    throw bad(word, "a single quote is never closed; expected (OPTION 'VALUE')");
                }
            } else if (c == '"') {
                i++;
                while (i < word.length() && word.charAt(i) != '"') {
                    if (word.charAt(i) == '\\') i++;
                    i++;
                }
                if (i >= word.length()) {
                    throw bad(word, "a double quote is never closed; expected (OPTION \"VALUE\")");
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw bad(word, "'(' is never closed; expected HOST(OPTIONS)");
    }

    /**
     * Splits option text into tokens at whitespace, as a shell would: single quotes keep
     * everything, double quotes keep everything but {@code \"} and {@code \\}, and a backslash
     * outside quotes takes the next character literally.
     */
    static List<String> tokenize(String word, String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw bad(word, "a single quote is never closed; expected (OPTION 'VALUE')");
                }
                cur.append(text, i + 1, end);
                inToken = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    char d = text.charAt(i);
                    if (d == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                        cur.append(text.charAt(i + 1));
                        i += 2;
                    } else {
                        cur.append(d);
                        i++;
                    }
                }
                if (i >= text.length()) {
                    throw bad(word, "a double quote is never closed; expected (OPTION \"VALUE\")");
                }
                inToken = true;
                i++;
            } else if (c == '\\') {
                cur.append(i + 1 < text.length() ? text.charAt(i + 1) : '\\');
                inToken = true;
                i += 2;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
                i++;
            } else {
                cur.append(c);
                inToken = true;
                i++;
            }
        }
        if (inToken) {
            tokens.add(cur.toString());
        }
        return tokens;
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_';
    }

    private static CtysException bad(String word, String reason) {
        return CtysException.usage("bad target '" + NodeSet.shorten(word) + "': " + reason);
    }
}
