package org.ctys.plugins.consoleserver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.grammar.Sizes;
import org.ctys.spi.Discover;
import org.ctys.spi.JsonText;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;

/**
 * LIST: the console server is asked {@code list --json} (the consoles this user may see, their
 * state and who is attached) and each console becomes a row of the report. Output that is not the
 * server's console list (another SSH server's shell, a banner) is said to be so, never guessed at.
 */
final class ConsoleListing {
    static final String COMMAND = "list --json";
    /** How long the server may take to answer, once logged in. */
    static final Duration ANSWER = Duration.ofSeconds(30);

    private final ServerReach server;
    /** The consoles asked for, by name; empty: every console. */
    private final List<String> wanted;

    ConsoleListing(ServerReach server, List<String> wanted) {
        this.server = server;
        this.wanted = List.copyOf(wanted);
    }

    Discover step() {
        return new Discover(server.label(), server.remote(), COMMAND, ANSWER, this::rows, null);
    }

    /** One row per console (those asked for, or all), then the server's own. */
    Discover.Expanded rows(Output out) {
        String label = server.label();
        if (!out.succeeded()) {
            String why = label + ": '" + COMMAND + "' ended with " + out.exitText() + firstLine(out.stderr(), out.stdout());
            return alone(out.exitStatus() != null && out.exitStatus() == 3 ? Verdict.refuse("not-allowed", why)
                    : Verdict.fail("list-failed", why + "; is it a console server (ctys-consoled)?"));
        }
        List<Map<String, Object>> consoles;
        try {
            consoles = consoles(new String(out.stdout(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return alone(Verdict.fail("not-a-console-server", label + " is not a console server: '" + COMMAND
                    + "' printed no console list (" + e.getMessage() + ")" + firstLine(out.stdout(), out.stderr())));
        }
        List<Discover.Added> added = new ArrayList<>();
        List<Step> rows = new ArrayList<>();
        int listed = 0;
        int up = 0;
        for (Map<String, Object> c : consoles) {
            String name = (String) c.get("name");
            if (!wanted.isEmpty() && wanted.stream().noneMatch(name::equalsIgnoreCase)) continue;
            listed++;
            if ("up".equals(c.get("state"))) up++;
            added.add(new Discover.Added(name, label));
            rows.add(row(name, c));
        }
        for (String w : wanted) {
            if (consoles.stream().noneMatch(c -> w.equalsIgnoreCase((String) c.get("name")))) {
                added.add(new Discover.Added(w, label));
                rows.add(new Note(w, Verdict.fail("no-console", "no console '" + w + "' on " + label
                        + " that you may see"), Map.of("server", label)));
            }
        }
        rows.add(new Note(label, Verdict.done("listed", listed + (listed == 1 ? " console, " : " consoles, ") + up + " up"),
                Map.of("server", label)));
        return new Discover.Expanded(added, new Step.Sequence(rows));
    }

    private Discover.Expanded alone(Verdict v) {
        return new Discover.Expanded(List.of(), new Note(server.label(), v, Map.of()));
    }

    private Note row(String name, Map<String, Object> c) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("server", server.label());
        f.put("kind", text(c.get("kind")));
        f.put("state", text(c.get("state")));
        f.put("since", text(c.get("since")));
        f.put("writer", text(c.get("writer")));
        f.put("watchers", names(c.get("watchers")));
        f.put("spies", names(c.get("spies")));
        f.put("log", c.get("logBytes") instanceof Number b ? Sizes.approximate(b.longValue()) : "-");
        f.put("access", text(c.get("access")));
        f.put("endpoint", text(c.get("endpoint")));
        String error = c.get("error") instanceof String e && !e.isBlank() ? e : null;
        if (error != null) f.put("error", error);
        String state = text(c.get("state"));
        String message = error != null ? state + ": " + error
                : state + (c.get("writer") instanceof String w ? ", " + w + " writes" : ", nobody writes")
                + ", " + count(c.get("watchers"), "watcher") + ", " + count(c.get("spies"), "spy");
        return new Note(name, Verdict.done(state, message), f);
    }

    /**
     * The consoles of the server's JSON: {@code {"consoles": [{"name": ..., ...}, ...]}}, each with a
     * name a console may have; anything else is not this server's list.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> consoles(String json) {
        Object doc = JsonText.parse(json);
        if (!(doc instanceof Map<?, ?> top) || !(top.get("consoles") instanceof List<?> list)) {
            throw new IllegalArgumentException("no object with a \"consoles\" list");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> c) || !(c.get("name") instanceof String name) || !ConsoleServerPlugin.isConsoleName(name)) {
                throw new IllegalArgumentException("an entry of \"consoles\" without a console's name");
            }
            out.add((Map<String, Object>) c);
        }
        return out;
    }

    private static String text(Object v) {
        return v == null ? "-" : v instanceof String s ? (s.isEmpty() ? "-" : s) : String.valueOf(v);
    }

    private static String names(Object v) {
        if (!(v instanceof List<?> l) || l.isEmpty()) return "-";
        List<String> s = new ArrayList<>();
        for (Object o : l) s.add(String.valueOf(o));
        return String.join(",", s);
    }

    private static String count(Object v, String what) {
        int n = v instanceof List<?> l ? l.size() : 0;
        return n + " " + (n == 1 ? what : what.equals("spy") ? "spies" : what + "s");
    }

    /** ": <the first line of the first stream that has one>", or nothing. */
    private static String firstLine(byte[]... streams) {
        for (byte[] b : streams) {
            String s = new String(b, 0, Math.min(b.length, 4096), StandardCharsets.UTF_8).strip();
            if (!s.isEmpty()) return ": " + s.lines().findFirst().orElse("");
        }
        return "";
    }
}
