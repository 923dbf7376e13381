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

    /**
     * An rw, ro or group list: each name once, as ConsentAddUser keeps it (a name given again moves
     * to the front with its new '!'). Adding and looking up take constant time, whatever its length.
     */
    static final class Users {
        /** Back to front: the entry put last is the front one. */
        private final Map<String, User> byName = new LinkedHashMap<>();

        /** ConsentAddUser: the entry goes in front; a name already listed leaves its old place. */
        void add(User u) {
            byName.remove(u.name());
            byName.put(u.name(), u);
        }

        void clear() { byName.clear(); }

        boolean isEmpty() { return byName.isEmpty(); }

        /** The entry naming {@code name}, or null. */
        User get(String name) { return byName.get(name); }

        /** The entries, the front one first. */
        List<User> inOrder() {
            List<User> l = new ArrayList<>(byName.values());
            java.util.Collections.reverse(l);
            return l;
        }

        /** The entries, the back one first. */
        List<User> backFirst() { return List.copyOf(byName.values()); }
    }

    final Map<String, Value> values = new HashMap<>();
    final Users rw = new Users();
    final Users ro = new Users();
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
    void item(ConserverParser.Item it, Map<String, ConserverSettings> defaults, Map<String, Users> groups,
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
            case "portbase", "portinc" -> {
                // ProcessPortbase/ProcessPortinc: "" unsets, a value that is not a number is reported and ignored
                boolean base = it.key().equals("portbase");
                if (v.isEmpty()) values.remove(it.key());
                else if (v.matches(base ? "-1|0*\\d{1,9}" : "0*\\d{1,9}")) values.put(it.key(), new Value(v, it.at()));
                else report.error(it.at(), it.key() + " '" + v + "' is not a whole number from " + (base ? "-1" : "0")
                        + " to 999999999; ignored, as conserver ignores it");
            }
            default -> {
                if (v.isEmpty()) values.remove(it.key());
                else values.put(it.key(), new Value(v, it.at()));
            }
        }
    }

    private static void users(Users list, String v, String at, Map<String, Users> groups) {
        if (v.isEmpty()) {
            list.clear();
            return;
        }
        addAll(list, v, at, groups);
    }

    /** The words of an rw, ro or users value: a defined group's entries are copied in (flipped by '!'). */
    static void addAll(Users list, String v, String at, Map<String, Users> groups) {
        for (String tok : v.split(WORD_SEPARATORS)) {
            if (tok.isEmpty()) continue;
            boolean not = tok.startsWith("!");
            String name = not ? tok.substring(1) : tok;
            Users group = groups.get(name);
            if (group != null) copy(group, list, not);
            else list.add(new User(name, not, at));
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

    /** CopyConsentUserList: from the back, so the copied entries keep their order at the front. */
    static void copy(Users from, Users to, boolean not) {
        for (User u : from.backFirst()) to.add(new User(u.name(), not != u.not(), u.at()));
    }

    /** ConsentUserOk: the entry naming the user decides, else the '*' entry; null when neither exists. */
    static Boolean allows(Users list, String user) {
        User u = list.get(user);
        if (u == null) u = list.get("*");
        return u == null ? null : !u.not();
    }
}
