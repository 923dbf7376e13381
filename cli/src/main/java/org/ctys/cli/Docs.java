package org.ctys.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.ExitStatus;
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
                + "is seconds. Counts are positive whole numbers.")).append('\n');
        b.append(".SH TARGETS\n");
        for (String[] t : Help.TARGET_FORMS) b.append(".TP\n.B ").append(esc(t[0])).append('\n').append(esc(t[1])).append('\n');
        b.append(".PP\n").append(esc("No target means the local host. A target's own options in parentheses "
                + "accept -l USER and --timeout DURATION.")).append('\n');
        b.append(".SH FILES\n.TP\n.I ~/.config/ctys/inventory.yaml\n")
                .append(esc("the inventory, unless --inventory or $CTYS_INVENTORY names another; else "
                        + "/etc/ctys/inventory.yaml. It names machines (host, mac, wol, bmc, ssh, hypervisor, guests) "
                        + "and groups. Secrets are never written in it: password-file, password-env and secureon-file "
                        + "name where they are kept; such files must be mode 0600. See")).append("\n.BR ctys\\-inventory (5).\n");
        b.append(".TP\n.I /etc/ethers\n").append(esc("MAC addresses of machines the inventory gives none.")).append('\n');
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
