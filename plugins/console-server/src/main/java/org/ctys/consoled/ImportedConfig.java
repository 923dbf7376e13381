package org.ctys.consoled;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.grammar.Names;

/**
 * A consoled.yaml built from another console server's configuration, with the comments that say
 * where each part came from, and the files (secrets, SSH keys) the administrator must still make.
 * Holds only keys of ctys-consoled.yaml(5).
 */
final class ImportedConfig {

    /** A top-level key's value and where it came from. */
    record Setting(Object value, String origin) {}

    /**
     * One console.
     *
     * @param endpoint the kind's key ({@code serial}, {@code sol}, {@code tcp}, {@code cmd}) and its value
     * @param notes    comment lines written above it
     */
    record Console(String name, String origin, String kind, Object endpoint, List<String> notes) {}

    record Group(String name, String origin, List<String> members) {}

    record Rule(List<String> consoles, List<String> rw, List<String> ro, String comment) {}

    /** The default of log-dir in ctys-consoled.yaml(5). */
    static final String DEFAULT_LOG_DIR = "/var/log/ctys/consoles";

    /** Why a console name is refused: ctys-consoled's loader (ConfigReader) takes only these. */
    static final String CONSOLE_NAME_RULE = "console names are " + ConfigReader.CONSOLE_NAME_FORM + ", not "
            + String.join(" or ", new java.util.TreeSet<>(ConfigReader.RESERVED)) + " (words of the command protocol); rename it";

    /** Why a console whose name differs from another's only in case is refused. */
    static String caseRule(String other) {
        return "ctys-consoled's console names differ in more than case, and console " + other + " is defined before it; rename it";
    }

    /** Why a cmd: with a control character is refused. */
    static final String COMMAND_RULE = "a cmd: is one line without control characters; put the command in a script"
            + " and name the script";

    /** Why a mark the daemon's loader refuses (TimeWords) has no equivalent. */
    static final String MARK_RULE = "ctys-consoled's mark (a line in quiet logs) is at most " + TimeWords.format(TimeWords.MAX);

    /** A whole number as written ({@code +0090}) in its shortest form ({@code 90}), whatever its size: never parsed. */
    static String digits(String number) {
        return number.replace("+", "").replaceFirst("^0+(?=\\d)", "");
    }

    /** Why a host or BMC address the loader refuses (the inventory's host rule, {@link Names#host}) has no equivalent. */
    static final String HOST_RULE = "ctys-consoled takes a host name, an IPv4 (no leading zeros) or an IPv6 address there, as the inventory does";

    /** A host the loader takes for tcp: host and sol: address. */
    static boolean isHost(String text) { return Names.host(text) != null; }

    /** Why a file name the loader cannot use has no equivalent. */
    static final String PATH_RULE = "not a file name ctys-consoled can use";

    /** A file name the loader takes (log-dir, pid-file): one the system's paths can hold, without a NUL. */
    static boolean isPath(String text) {
        try {
            Path.of(text);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** A name ctys-consoled's loader takes for a console. */
    static boolean isConsoleName(String name) { return ConfigReader.isConsoleName(name); }

    private final String source;
    private final String program;
    private final Map<String, Setting> settings = new LinkedHashMap<>();
    private final Map<String, Console> consoles = new LinkedHashMap<>();
    /** Each console's name by its loader key (case does not count). */
    private final Map<String, String> byKey = new java.util.HashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, String> users = new LinkedHashMap<>();
    private final List<Rule> access = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> filesToMake = new LinkedHashMap<>();

    /** @param program the importer, for the first comment: {@code conman}, {@code conserver} */
    ImportedConfig(String source, String program) {
        this.source = source;
        this.program = program;
    }

    /** listen, log-dir, mark, pid-file, rotate: the first one set wins (later ones are reported by the caller). */
    void set(String key, Object value, String origin) { settings.put(key, new Setting(value, origin)); }

    Setting setting(String key) { return settings.get(key); }

    boolean hasConsole(String name) { return consoles.containsKey(name); }

    void console(Console c) {
        consoles.put(c.name(), c);
        byKey.put(ConfigReader.consoleKey(c.name()), c.name());
    }

    /** The console already written whose name differs from {@code name} only in case, or null. */
    String caseTwin(String name) {
        String other = byKey.get(ConfigReader.consoleKey(name));
        return other == null || other.equals(name) ? null : other;
    }

    Map<String, Console> consoles() { return consoles; }

    void group(Group g) { groups.put(g.name(), g); }

    Map<String, Group> groups() { return groups; }

    /** A user named in an access list or group: each needs an authorized_keys file. */
    void user(String name) {
        users.computeIfAbsent(name, n -> {
            String file = "keys/" + n + ".pub";
            needFile(file, "the SSH public keys of user " + n + " (authorized_keys lines)");
            return file;
        });
    }

    void rule(Rule r) { access.add(r); }

    /** A header comment: something of the old server that is not needed, or done differently. */
    void note(String text) { notes.add(text); }

    /** A file ctys-consoled will read that the import cannot write (a secret, a key). */
    void needFile(String file, String what) { filesToMake.putIfAbsent(file, what); }

    void write(PrintStream out) {
        out.println("# ctys-consoled configuration imported from " + ImportYaml.comment(source)
                + " (ctys-consoled --import-" + program + "); see ctys-consoled.yaml(5).");
        out.println("# Every console names the line of " + program + "'s file it came from.");
        if (!filesToMake.isEmpty()) {
            out.println("#");
            out.println("# Make these files, relative to this file's directory, before starting ctys-consoled");
            out.println("# (secrets: mode 0600, the secret alone on one line):");
            filesToMake.forEach((f, what) -> out.println("#   " + ImportYaml.comment(f) + ": " + ImportYaml.comment(what)));
        }
        if (!notes.isEmpty()) {
            out.println("#");
            out.println("# Not carried over (no setting needed, or ctys-consoled does it its own way):");
            for (String n : notes) out.println("#   " + ImportYaml.comment(n));
        }
        settings.forEach((k, s) -> out.println(k + ": " + ImportYaml.value(s.value()) + "    # "
                + ImportYaml.comment(s.origin())));
        writeUsers(out);
        if (!groups.isEmpty()) {
            out.println("groups:");
            for (Group g : groups.values()) {
                out.println("  # " + ImportYaml.comment(g.origin()));
                out.println("  " + ImportYaml.text(g.name()) + ": " + ImportYaml.value(Map.of("members", g.members())));
            }
        }
        if (!access.isEmpty()) {
            out.println("access:");
            for (Rule r : access) {
                if (r.comment() != null) out.println("  # " + ImportYaml.comment(r.comment()));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("consoles", r.consoles());
                if (!r.rw().isEmpty()) m.put("rw", r.rw());
                if (!r.ro().isEmpty()) m.put("ro", r.ro());
                out.println("  - " + ImportYaml.value(m));
            }
        }
        if (!consoles.isEmpty()) {
            out.println("consoles:");
            for (Console c : consoles.values()) {
                out.println("  # " + ImportYaml.comment(c.origin()));
                for (String n : c.notes()) out.println("  #   " + ImportYaml.comment(n));
                out.println("  " + ImportYaml.text(c.name()) + ": " + ImportYaml.value(Map.of(c.kind(), c.endpoint())));
            }
        }
        out.flush();
    }

    private void writeUsers(PrintStream out) {
        if (users.isEmpty()) return;
        out.println("users:");
        users.forEach((u, file) -> out.println("  " + ImportYaml.text(u) + ": " + ImportYaml.value(Map.of("keys", file))));
    }
}
