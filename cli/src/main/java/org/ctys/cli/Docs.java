package org.ctys.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.Plugin;
import org.ctys.spi.SuboptionSpec;

/**
 * Makes the man pages and the bash completion script from the command model (the option table,
 * the plugins' tables and details, the exit statuses). A test compares the committed files with
 * what this makes, so they cannot drift; {@code main(projectDir)} rewrites them.
 */
public final class Docs {

    private Docs() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        for (Map.Entry<String, String> f : files().entrySet()) {
            Path p = root.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
    }

    /** Relative path to content, for every generated file. */
    public static Map<String, String> files() {
        Plugins plugins = Plugins.load();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("man/ctys.1", ctys(plugins));
        for (Plugin p : plugins.all()) out.put("man/ctys-" + p.type().toLowerCase(Locale.ROOT) + ".1", type(p));
        out.put("bin/ctys-completion.bash", Completion.bash(plugins));
        return out;
    }

    static String ctys(Plugins plugins) {
        StringBuilder b = new StringBuilder();
        header(b, "CTYS", "wake, power, boot and reach machines and their guests");
        b.append(".SH SYNOPSIS\n.B ctys\n").append(esc(Usage.SYNOPSIS.substring(5))).append('\n');
        b.append(".SH DESCRIPTION\n").append(esc("ctys is a session manager for system administrators. One command line "
                + "wakes machines and waits until they answer, on one host or on hundreds. It needs nothing installed on "
                + "the machines it manages, confirms every state change instead of sleeping, and tells the truth in its "
                + "exit status. Nothing is sent to any machine before the whole command line is valid.")).append('\n');
        b.append(".SH OPTIONS\n");
        for (Opt o : Opt.values()) b.append(".TP\n.B ").append(esc(o.synopsis())).append('\n').append(esc(o.description())).append('\n');
        b.append(".SH TYPES\n");
        for (Plugin p : plugins.all()) {
            b.append(".TP\n.B ").append(p.type()).append('\n').append(esc(p.summary()))
                    .append("; see\n.BR ctys\\-").append(p.type().toLowerCase(Locale.ROOT)).append(" (1).\n");
        }
        b.append(".SH SUBOPTIONS\n").append(esc("Suboptions follow the action after '=' and are separated by commas. "
                + "A suboption is a flag (REBOOT) or KEY:VALUE (TIMEOUT:30). Keys and action names are case-insensitive, "
                + "values keep their case. Several values of one key are joined with % (PING:40%3). A MAC address "
                + "aa:bb:cc:dd:ee:ff is one value although it contains colons. ,, and \\, stand for a literal comma, "
                + ":: and \\: for a colon, %% for a percent. Durations are written 30, 30s, 500ms, 2m or 1h; a bare number "
                + "is seconds. Counts are positive whole numbers. An IPv6 address in brackets is taken as written anywhere in a "
                + "value (t:[2001:db8::5]), and so is a whole value that is one (t:fe80::1%eth0); elsewhere :: stays the "
                + "escaped colon.")).append('\n');
        b.append(".SS Limits\n").append(esc("A node set expands to at most 100000 names of at most 253 characters; a "
                + "target word is at most 65536 characters, -a ACTION=SUBOPTIONS 131072. Durations are at most 8760h "
                + "(365 days); TIMEOUT and --timeout must be above zero, a delay or the spacing of tries may be 0. "
                + "Counts run from 1 to 100000, and n tries s apart at most 8760h in all. Beyond a limit the command is "
                + "refused with exit status 2, the limit named.")).append('\n');
        b.append(".SH TARGETS\n");
        for (String[] t : Help.TARGET_FORMS) b.append(".TP\n.B ").append(esc(t[0])).append('\n').append(esc(t[1])).append('\n');
        b.append(".PP\n").append(esc("No target means the local host. A target's own options in parentheses "
                + "accept -l USER and --timeout DURATION.")).append('\n');
        b.append(".SH FILES\n.TP\n.I ~/.config/ctys/inventory.yaml\n")
                .append(esc("the inventory, unless --inventory or $CTYS_INVENTORY names another; else "
                        + "/etc/ctys/inventory.yaml. It names machines (host, mac, wol, bmc, ssh, hypervisor, guests, serial) "
                        + "and groups. Secrets are never written in it: password-file, password-env, secureon-file, kg-file "
                        + "and kg-env name where they are kept; such files must be mode 0600 and owned by the user or root. See")).append("\n.BR ctys\\-inventory (5).\n");
        b.append(".TP\n.I /etc/ethers\n").append(esc("MAC addresses of machines the inventory gives none.")).append('\n');
        b.append(".TP\n.I ~/.ssh/config, /etc/ssh/ssh_config\n").append(esc("read as ssh reads them, or only -F FILE: "
                + "Host, Match (all, host, originalhost, user, localuser), Include, HostName, User, Port, IdentityFile, "
                + "ProxyJump, ProxyCommand, UserKnownHostsFile, GlobalKnownHostsFile, HostKeyAlias, IdentitiesOnly, HashKnownHosts and ConnectTimeout "
                + "(the bound on that hop's name lookup and connect, in place of 10 s) are honoured; the identity files are "
                + "offered before ssh-agent's other keys, as by ssh. "
                + "Another keyword that changes where or how ssh connects is named in a warning, once per run; a bad "
                + "line is exit status 3. An identity file that group or others can access is ignored with ssh's "
                + "warning (UNPROTECTED PRIVATE KEY FILE).")).append('\n');
        b.append(".TP\n.I ~/.ssh/known_hosts, ~/.ssh/known_hosts2, /etc/ssh/ssh_known_hosts, /etc/ssh/ssh_known_hosts2\n")
                .append(esc("(or UserKnownHostsFile and GlobalKnownHostsFile) read as ssh reads them: [host]:port, "
                        + "wildcards, negation, hashed names. A key is accepted when a line lists it for the host and no "
                        + "line lists another key of the same type for it; an unknown key is refused unless "
                        + "--accept-new-host-keys (which adds it, its name hashed with HashKnownHosts yes); a changed key, a @revoked key "
                        + "and a host certificate are always "
                        + "refused. Each refusal is exit status 3.")).append('\n');
        b.append(".TP\n.I $XDG_CACHE_HOME/ctys, ~/.cache/ctys\n").append(esc("a parsed copy of the inventory, used only "
                + "while the YAML, its path and the ctys build are unchanged (SHA-256) and only where nobody but the "
                + "user (or root) could have written it; otherwise the YAML is parsed.")).append('\n');
        b.append(".SH TEXT FROM REMOTE HOSTS\n").append(esc("What a remote command prints is shown raw, as ssh shows it. "
                + "Everything ctys prints about a host (progress, the table, -X records, the headers of output blocks, "
                + "messages that quote a remote's error output, console notices, the dry run) shows control characters "
                + "escaped: ESC as \\e, BEL as \\a, CR as \\r, tab as \\t, others as \\xNN, and the invisible format "
                + "characters (bidirectional overrides, zero-width marks) and U+2028/U+2029 by their code (\\u202e, \\u2028). The dry run quotes every "
                + "word from the command line or the inventory for a POSIX shell. Names beyond ASCII need a UTF-8 "
                + "character set: bin/ctys started without any locale (cron, env -i, a container) takes C.UTF-8's (LC_CTYPE "
                + "only); in a locale you set that is not UTF-8, even LANG=C, Java 17 reads and prints them as '?'.")).append('\n');
        consoles(b);
        exitStatus(b);
        b.append(".SH EXAMPLES\n");
        for (String[] e : Help.EXAMPLES) b.append(".TP\n.B ").append(esc(e[0])).append('\n').append(esc(e[1])).append('\n');
        b.append(".SH SEE ALSO\n");
        String sep = "";
        for (Plugin p : plugins.all()) {
            b.append(sep).append(".BR ctys\\-").append(p.type().toLowerCase(Locale.ROOT)).append(" (1)");
            sep = ",\n";
        }
        b.append(",\n.BR ctys\\-inventory (5),\n.BR wakeonlan (1),\n.BR ethers (5)\n");
        return b.toString();
    }

    /** The one attach model as a user meets it: the same on every console. */
    private static void consoles(StringBuilder b) {
        b.append(".SH CONSOLES\n").append(esc("An interactive shell (-t cli -a create), a Serial-over-LAN console "
                + "(-t sol, CONSOLE:SOL) and every other console of ctys attach the same way. The terminal is raw while "
                + "attached and is given back exactly as it was (every setting stty -g shows, the line speed included) "
                + "however the session ends. A change of the window's size is passed on where the console carries one "
                + "(a shell's pseudo terminal). A shell's exit status is ctys's; a console left with ~. or at the end of "
                + "piped input ends with 0; a console that is lost, or cannot be opened, is reported and ends with 1 (3 "
                + "for a refused host key or BMC key); --timeout ends it with 124, a signal with 130, 129 or 143.")).append('\n');
        b.append(".SS Escape sequences\n").append(esc("After a newline, on a terminal only (piped input is sent as it "
                + "is, and its end leaves):")).append('\n');
        for (String[] e : new String[][] {{"~.", "leave the console"},
                {"~B", "send a break where the console has one (SOL, a serial line); elsewhere ctys says so and sends nothing"},
                {"~?", "list the escape sequences of this console"}, {"~~", "send one ~"}}) {
            b.append(".TP\n.B ").append(esc(e[0])).append('\n').append(esc(e[1])).append('\n');
        }
        b.append(".SS Session log\n").append(esc("--log FILE appends the session to FILE (created mode 0600): each line "
                + "the machine printed, prefixed with the UTC time its first byte arrived, as in "
                + "'2026-11-30T05:07:25.123Z login:', its bytes as they came (LF, CR LF and a lone CR each end a line, so every line starts with its time), and a "
                + "line '-- ctys: attached to the console of lab01' when the session starts and '-- ctys: ended: left "
                + "with ~.' (or how else it ended) when it ends; a line of the machine's that begins '-- ctys: ' (escape "
                + "sequences before it not counted) is written "
                + "with a backslash before it. What is typed is never written, unless the machine "
                + "echoes it. A FILE that cannot be written is exit status 3; --log on a command that attaches no "
                + "console, or gives the terminal to the local $SHELL, exit status 2; both before anything is started.")).append('\n');
    }

    static String type(Plugin p) {
        String name = "ctys-" + p.type().toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        header(b, name.toUpperCase(Locale.ROOT), p.summary());
        b.append(".SH SYNOPSIS\n.B ctys\n").append(esc("[options] -t " + p.type() + " -a ACTION[=SUBOPTIONS] [--] [TARGET ...]"))
                .append('\n');
        for (ActionSpec a : p.actions()) {
            b.append(".SH ").append(a.name()).append('\n').append(esc(a.description())).append('\n');
            b.append(".PP\n.B ctys -t ").append(p.type().toLowerCase(Locale.ROOT)).append(" -a\n")
                    .append(esc(a.synopsis())).append(" [TARGET ...]\n");
            b.append(".PP\n").append(esc("Targets: " + a.targets() + ".")).append('\n');
            for (SuboptionSpec s : a.suboptions()) {
                b.append(".TP\n.B ").append(esc(Help.suboptionNames(s))).append('\n').append(esc(Help.suboptionText(s))).append('\n');
            }
            for (String rule : Help.rules(a)) b.append(".PP\n").append(esc(rule)).append('\n');
        }
        for (String[] section : Help.sections(p.details())) {
            if (section[0].isEmpty()) b.append(".PP\n");
            else b.append(".SS ").append(esc(section[0].substring(0, section[0].length() - 1))).append('\n');
            b.append(esc(section[1])).append('\n');
        }
        exitStatus(b);
        b.append(".SH SEE ALSO\n.BR ctys (1)\n");
        return b.toString();
    }

    private static void header(StringBuilder b, String name, String what) {
        b.append(".\\\" Generated from the command model by org.ctys.cli.Docs; do not edit.\n");
        b.append(".TH ").append(name).append(" 1 \"\" \"ctys ").append(Ctys.VERSION).append("\" \"User Commands\"\n");
        b.append(".SH NAME\n").append(esc(name.toLowerCase(Locale.ROOT) + " - " + what)).append('\n');
    }

    private static void exitStatus(StringBuilder b) {
        b.append(".SH EXIT STATUS\n");
        for (ExitStatus s : ExitStatus.values()) b.append(".TP\n.B ").append(s.code()).append('\n').append(esc(s.meaning())).append('\n');
    }

    /** Escapes text for roff: backslashes, hyphens, and a leading dot or quote. */
    static String esc(String text) {
        String t = text.replace("\\", "\\e").replace("-", "\\-");
        if (t.startsWith(".") || t.startsWith("'")) t = "\\&" + t;
        return t;
    }
}
