package org.ctys.consoled;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.ctys.spi.ControlChars;

/**
 * What an import could not convert, one line each on stderr. A setting that several consoles
 * inherit (from a conserver default block, a conman global directive) is named once, at the line
 * where it is written, with the consoles it concerns.
 */
final class ImportReport {

    /** Exit status when anything was refused or the file was malformed or unreadable. */
    static final int REFUSED = 3;

    private record Key(String at, String what, String why) {}

    private final Map<Key, Set<String>> refusals = new LinkedHashMap<>();
    private final Map<String, Boolean> errors = new LinkedHashMap<>();

    /** Where a thing is written: {@code FILE:LINE}. */
    static String at(String file, int line) { return file + ":" + line; }

    /** Something without an equivalent in ctys-consoled; console may be null (a server-wide setting). */
    void refuse(String at, String what, String why, String console) {
        Set<String> consoles = refusals.computeIfAbsent(new Key(at, what, why), k -> new LinkedHashSet<>());
        if (console != null) consoles.add(console);
    }

    /** Malformed input: the line and what is wrong with it. */
    void error(String at, String problem) { errors.putIfAbsent(at + ": " + problem, Boolean.TRUE); }

    boolean clean() { return refusals.isEmpty() && errors.isEmpty(); }

    int exitStatus() { return clean() ? 0 : REFUSED; }

    /** Each line made printable: what the file quotes (a console name, a word) may hold ESC or a line break. */
    void print(PrintStream err) {
        for (String e : errors.keySet()) err.println(ControlChars.escape(e));
        refusals.forEach((k, consoles) -> err.println(ControlChars.escape(k.at() + ": " + k.what() + of(consoles)
                + " has no equivalent in ctys-consoled: " + k.why())));
        err.flush();
    }

    private static String of(Set<String> consoles) {
        if (consoles.isEmpty()) return "";
        return (consoles.size() == 1 ? " (console " : " (consoles ") + String.join(", ", consoles) + ")";
    }
}
