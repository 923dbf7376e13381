package org.ctys.consoled;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may do what on which console, as conserver's access lists say it: the first rule whose
 * console patterns match a console decides; within it, read-write beats read-only; a console no
 * rule matches is open to nobody.
 *
 * @param groups a group's name to its members (the {@code groups:} of the configuration)
 */
record Access(List<Rule> rules, Map<String, Set<String>> groups) {

    enum Level {
        NONE, RO, RW;

        /** How {@code list} shows it: "rw", "ro", "none". */
        String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * One rule.
     *
     * @param consoles names, globs with {@code *}, or {@code @group}
     * @param rw       user names, {@code @group}, or {@code *} (every authenticated user)
     */
    record Rule(List<String> consoles, List<String> rw, List<String> ro) {
        Rule {
            consoles = List.copyOf(consoles);
            rw = List.copyOf(rw);
            ro = List.copyOf(ro);
        }
    }

    Access {
        rules = List.copyOf(rules);
        groups = Map.copyOf(groups);
    }

    static Access none() { return new Access(List.of(), Map.of()); }

    Level level(String user, ConsoleDef console) {
        for (Rule r : rules) {
            if (r.consoles().stream().noneMatch(p -> consoleMatches(p, console))) continue;
            if (r.rw().stream().anyMatch(p -> userMatches(p, user))) return Level.RW;
            if (r.ro().stream().anyMatch(p -> userMatches(p, user))) return Level.RO;
            return Level.NONE;
        }
        return Level.NONE;
    }

    private static boolean consoleMatches(String pattern, ConsoleDef console) {
        if (pattern.startsWith("@")) {
            String g = pattern.substring(1);
            return console.groups().stream().anyMatch(x -> x.equalsIgnoreCase(g));
        }
        if (pattern.contains("*")) return glob(pattern).matcher(console.name()).matches();
        return pattern.equalsIgnoreCase(console.name());
    }

    private boolean userMatches(String pattern, String user) {
        if (pattern.equals("*")) return true;
        if (pattern.startsWith("@")) {
            Set<String> members = groups.get(pattern.substring(1));
            return members != null && members.contains(user);
        }
        return pattern.equals(user);
    }

    private static Pattern glob(String pattern) {
        StringBuilder b = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.append(".*");
            if (!parts[i].isEmpty()) b.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(b.toString(), Pattern.CASE_INSENSITIVE);
    }
}
