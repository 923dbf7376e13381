package org.ctys.consoled;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.ctys.consoled.ConserverSettings.User;

/**
 * Turns each console's rw and ro lists into an access rule of ctys-consoled: for every user the lists
 * name, and for everyone else ('*'), the access conserver would give (ClientAccess in group.c: rw
 * first, then ro; in each list the front entry naming the user decides, else '*'). Consoles with the
 * same users share one rule; a conserver group whose members all have the same access is written as
 * {@code @group}. What a rule cannot say (a named user with less than '*', a Unix group) is refused.
 */
final class ConserverAccess {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,31}");

    private record Key(List<String> rw, List<String> ro) {}

    private final ImportedConfig config;
    private final ImportReport report;
    /** Each rule and its consoles, in the order they were given. */
    private final Map<Key, Set<String>> rules = new LinkedHashMap<>();
    /** The rule each console is in, to forget it at once. */
    private final Map<String, Key> ruleOf = new java.util.HashMap<>();

    ConserverAccess(ImportedConfig config, ImportReport report) {
        this.config = config;
        this.report = report;
    }

    static boolean isUser(String name) { return USER.matcher(name).matches(); }

    /** A console defined again replaces the first definition, its access too: the first one's rule must not stay ahead of it. */
    void forget(String console) {
        Key k = ruleOf.remove(console);
        if (k == null) return;
        Set<String> consoles = rules.get(k);
        consoles.remove(console);
        if (consoles.isEmpty()) rules.remove(k);
    }

    void console(String console, ConserverSettings s) {
        Set<String> named = new LinkedHashSet<>();
        for (ConserverSettings.Users list : List.of(s.rw, s.ro)) {
            for (User u : list.inOrder()) {
                if (u.name().startsWith("@") && u.name().length() > 1) {
                    report.refuse(u.at(), "Unix group " + u.name(), "conserver looked its members up in the host's group"
                            + " database; ctys-consoled's groups are its own: list the members under groups:", console);
                } else if (!u.name().equals("*")) {
                    if (isUser(u.name())) named.add(u.name());
                    else report.refuse(u.at(), "user name '" + u.name() + "'", "ctys-consoled's users are SSH login names", console);
                }
            }
        }
        int others = level(s, "*");
        List<String> rw = new ArrayList<>();
        List<String> ro = new ArrayList<>();
        if (others == 2) rw.add("*");
        if (others == 1) ro.add("*");
        for (String u : named) {
            int l = level(s, u);
            if (l < others) {
                report.refuse(firstEntry(s, u), "access of user " + u + " (" + (l == 0 ? "none" : "read-only") + " while '*' has "
                        + (others == 2 ? "read-write" : "read-only") + ")", "ctys-consoled's access rules have no"
                        + " exceptions to '*'; name the users instead", console);
            } else if (l > others) {
                (l == 2 ? rw : ro).add(u);
            }
        }
        if (rw.isEmpty() && ro.isEmpty()) return;
        Key k = new Key(rw, ro);
        rules.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(console);
        ruleOf.put(console, k);
    }

    /** Where the user's entry is written (rw before ro), to name the line once for all consoles that inherit it. */
    private static String firstEntry(ConserverSettings s, String user) {
        for (ConserverSettings.Users list : List.of(s.rw, s.ro)) {
            User u = list.get(user);
            if (u != null) return u.at();
        }
        throw new IllegalStateException(user + " is in neither list");
    }

    /** 2 read-write, 1 read-only, 0 none: what conserver gives this user ('*': anyone not named). */
    private static int level(ConserverSettings s, String user) {
        if (Boolean.TRUE.equals(ConserverSettings.allows(s.rw, user))) return 2;
        if (Boolean.TRUE.equals(ConserverSettings.allows(s.ro, user))) return 1;
        return 0;
    }

    /** Writes the rules, the users they name, and the groups used in them. */
    void finish(Map<String, ImportedConfig.Group> groups) {
        rules.forEach((k, consoles) -> {
            List<String> rw = withGroups(k.rw(), groups);
            List<String> ro = withGroups(k.ro(), groups);
            config.rule(new ImportedConfig.Rule(List.copyOf(consoles), rw, ro, null));
        });
        for (ImportedConfig.Group g : groups.values()) {
            config.group(g);
            g.members().forEach(config::user);
        }
        for (Key k : rules.keySet()) {
            for (String u : k.rw()) if (!u.equals("*")) config.user(u);
            for (String u : k.ro()) if (!u.equals("*")) config.user(u);
        }
    }

    /** Members of a group all in the list are written as @group (the largest groups first). */
    private static List<String> withGroups(List<String> users, Map<String, ImportedConfig.Group> groups) {
        Set<String> left = new LinkedHashSet<>(users);
        List<String> result = new ArrayList<>();
        groups.values().stream().sorted((a, b) -> b.members().size() - a.members().size()).forEach(g -> {
            if (!g.members().isEmpty() && left.containsAll(g.members())) {
                g.members().forEach(left::remove);
                result.add("@" + g.name());
            }
        });
        result.addAll(left);
        return result;
    }
}
