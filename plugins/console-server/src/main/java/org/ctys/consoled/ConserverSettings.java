package org.ctys.consoled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a conserver default or console block as conserver builds them (readcfg.c): a
 * console starts from the default block "*" as it is defined at that point, {@code include} copies
 * what a default block set, a later value replaces an earlier one, {@code ""} unsets, and the rw/ro
 * lists grow (a name given again moves to the front with its new '!'; the front decides).
 */
final class ConserverSettings {

    static final Set<String> KEYS = Set.of("baud", "break", "breaklist", "device", "devicesubst", "exec", "execrunas",
            "execsubst", "host", "idlestring", "idletimeout", "include", "initcmd", "initrunas", "initspinmax",
            "initspintimer", "initsubst", "logfile", "logfilemax", "master", "motd", "options", "parity", "port",
            "portbase", "portinc", "protocol", "replstring", "ro", "rw", "tasklist", "timestamp", "type", "uds",
            "udssubst", "ipmiciphersuite", "ipmikg", "ipmiprivlevel", "ipmiworkaround", "password", "username");
    static final Set<String> CONSOLE_KEYS = with(KEYS, "aliases");

    static final Set<String> OPTIONS = Set.of("ixon", "ixany", "ixoff", "crtscts", "cstopb", "hupcl", "ondemand",
            "striphigh", "reinitoncc", "autoreinit", "unloved", "login");

    private static final String WORD_SEPARATORS = "[, \f\u000b\t\n\r]+";

    record Value(String text, String at) {}

    /** An entry of an rw, ro or group list: a user, '*', '@unixgroup'; not: the '!' form. */
    record User(String name, boolean not, String at) {}

    final Map<String, Value> values = new HashMap<>();
    final List<User> rw = new ArrayList<>();
    final List<User> ro = new ArrayList<>();
    final Map<String, Value> options = new LinkedHashMap<>();

    private static Set<String> with(Set<String> s, String extra) {
        Set<String> r = new HashSet<>(s);
        r.add(extra);
        return Set.copyOf(r);
    }

    Value get(String key) { return values.get(key); }

    /** An option's state: the block's, else the given default. */
    boolean option(String name, boolean absent) {
        Value v = options.get(name);
        return v == null ? absent : v.text().equals("on");
    }

    /** What ApplyDefault copies: every value the default set, its options, its rw and ro entries. */
    void apply(ConserverSettings d) {
        values.putAll(d.values);
        options.putAll(d.options);
        copy(d.rw, rw, false);
        copy(d.ro, ro, false);
    }

    /** One {@code key value;} of the block. */
    void item(ConserverParser.Item it, Map<String, ConserverSettings> defaults, Map<String, List<User>> groups,
              ImportReport report) {
        String v = it.value();
        switch (it.key()) {
            case "include" -> {
                if (v.isEmpty()) return;
                ConserverSettings d = defaults.get(v);
                if (d == null) report.error(it.at(), "include " + v + ": no default block of that name before this line");
                else apply(d);
            }
            case "rw", "ro" -> users(it.key().equals("rw") ? rw : ro, v, it.at(), groups);
            case "options" -> options(v, it.at(), report);
            default -> {
                if (v.isEmpty()) values.remove(it.key());
                else values.put(it.key(), new Value(v, it.at()));
            }
        }
    }

    private static void users(List<User> list, String v, String at, Map<String, List<User>> groups) {
        if (v.isEmpty()) {
            list.clear();
            return;
        }
        addAll(list, v, at, groups);
    }

    /** The words of an rw, ro or users value: a defined group's entries are copied in (flipped by '!'). */
    static void addAll(List<User> list, String v, String at, Map<String, List<User>> groups) {
        for (String tok : v.split(WORD_SEPARATORS)) {
            if (tok.isEmpty()) continue;
            boolean not = tok.startsWith("!");
            String name = not ? tok.substring(1) : tok;
            List<User> group = groups.get(name);
            if (group != null) copy(group, list, not);
            else add(list, new User(name, not, at));
        }
    }

    private void options(String v, String at, ImportReport report) {
        if (v.isEmpty()) {
            options.clear();
            return;
        }
        for (String tok : v.split(WORD_SEPARATORS)) {
            if (tok.isEmpty()) continue;
            boolean not = tok.startsWith("!");
            String name = (not ? tok.substring(1) : tok).toLowerCase(Locale.ROOT);
            if (!OPTIONS.contains(name)) {
                report.error(at, "options: '" + tok + "' is not one of " + String.join(", ", new java.util.TreeSet<>(OPTIONS)));
                continue;
            }
            options.put(name, new Value(not ? "off" : "on", at));
        }
    }

    /** ConsentAddUser: a name already listed takes its new '!' and moves to the front; a new one goes in front. */
    static void add(List<User> list, User u) {
        list.removeIf(e -> e.name().equals(u.name()));
        list.add(0, u);
    }

    /** CopyConsentUserList: from the back, so the copied entries keep their order at the front. */
    static void copy(List<User> from, List<User> to, boolean not) {
        for (int i = from.size() - 1; i >= 0; i--) {
            User u = from.get(i);
            add(to, new User(u.name(), not != u.not(), u.at()));
        }
    }

    /** ConsentUserOk: the first entry naming the user decides, else the '*' entry; null when neither exists. */
    static Boolean allows(List<User> list, String user) {
        for (User u : list) if (u.name().equals(user)) return !u.not();
        for (User u : list) if (u.name().equals("*")) return !u.not();
        return null;
    }
}
