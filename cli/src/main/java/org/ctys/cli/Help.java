package org.ctys.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.Plugin;
import org.ctys.spi.SuboptionSpec;

/**
 * The command model as help reads it: options from {@link Opt}, types and suboptions from
 * the plugins' tables, exit statuses from {@link ExitStatus}. The man pages are made from the
 * same model ({@link ManPages}), so help and man cannot disagree.
 */
final class Help {
    static final List<String[]> TARGET_FORMS = List.of(
            new String[] {"[USER@]HOST", "a host by name or address; localhost runs locally, without SSH"},
            new String[] {"HOST'(OPTIONS)'", "options for this target only, e.g. lab01'(-l root)'; '-- (OPTIONS)' before targets applies to all"},
            new String[] {"@GROUP", "every member of an inventory group"},
            new String[] {"name[01-16,20]", "a node set, as pdsh and ClusterShell write them; padding is kept"},
            new String[] {"pm[vm1][vm2]", "a stack address: vm2 inside vm1 on pm, top-most last"},
            new String[] {"[::1], ::1", "an IPv6 address: in brackets (guests may follow, [::1][vm1]), or plain (no node range, no guests); fe80::1%eth0 names the interface"});

    static final List<String[]> EXAMPLES = List.of(
            new String[] {"ctys -t pm -a create=wol lab01", "wake lab01 (MAC from the inventory or /etc/ethers) and wait until it answers"},
            new String[] {"ctys -t pm -a create=wol,bmac:aa:bb:cc:dd:ee:01,t:192.168.3.11", "wake a machine the inventory does not know"},
            new String[] {"ctys -t pm -a create=wol,broadcast:192.168.3.255,ping:40%3 lab[01-40]", "wake forty machines on another subnet by directed broadcast"},
            new String[] {"ctys -t pm -a create=wol,if:eth1,ping:off @rack2", "wake a group out of eth1 and do not wait"},
            new String[] {"ctys -n -t pm -a create=reuse lab01", "print what would be done, do nothing"},
            new String[] {"ctys -t pm -a list --output json", "the inventory's machines as JSON"});

    private Help() {}

    static String global(Plugins plugins, String version) {
        StringBuilder b = new StringBuilder();
        b.append("Usage: ").append(Usage.SYNOPSIS).append('\n');
        b.append("ctys ").append(version).append(" - wake, power, boot and reach machines and their guests.\n\n");
        b.append("Options:\n");
        for (Opt o : Opt.values()) row(b, "  ", o.synopsis(), o.description(), 26);
        b.append("\nTypes (-t):\n");
        for (Plugin p : plugins.all()) row(b, "  ", p.type(), p.summary(), 8);
        b.append("\nTargets:\n");
        for (String[] t : TARGET_FORMS) row(b, "  ", t[0], t[1], 18);
        b.append("\nExit status:\n");
        for (ExitStatus s : ExitStatus.values()) row(b, "  ", String.valueOf(s.code()), s.meaning(), 5);
        b.append("\nExamples:\n");
        for (String[] e : EXAMPLES) b.append("  ").append(e[0]).append("\n      ").append(e[1]).append('\n');
        b.append("\nSee 'ctys -t TYPE --help' for the actions and suboptions of a type; man ctys for more.\n");
        return b.toString();
    }

    static String type(Plugin p) {
        StringBuilder b = new StringBuilder();
        b.append("Usage: ctys [options] -t ").append(p.type()).append(" -a ACTION[=SUBOPTIONS] [--] [TARGET ...]\n");
        b.append(p.type()).append(": ").append(p.summary()).append("\n");
        for (ActionSpec a : p.actions()) {
            b.append('\n').append(a.name()).append(": ").append(a.description()).append('\n');
            b.append("  ctys -t ").append(p.type().toLowerCase()).append(" -a ").append(a.synopsis()).append(" [TARGET ...]\n");
            b.append("  Targets: ").append(a.targets()).append('\n');
            if (!a.suboptions().isEmpty()) b.append("  Suboptions (case-insensitive, comma-separated):\n");
            for (SuboptionSpec s : a.suboptions()) row(b, "    ", suboptionNames(s), suboptionText(s), 24);
            for (String rule : rules(a)) b.append("  ").append(rule).append('\n');
        }
        for (String[] section : sections(p.details())) {
            b.append('\n').append(section[0]).append('\n');
            wrap(b, section[1], "  ", 78);
        }
        return b.toString();
    }

    static String suboptionNames(SuboptionSpec s) {
        String names = s.synopsis();
        if (!s.aliases().isEmpty()) names += " (" + String.join(", ", s.aliases()) + ")";
        return names;
    }

    static String suboptionText(SuboptionSpec s) {
        return s.unavailable() == null ? s.description() : s.description() + " [not available: " + s.unavailable() + "]";
    }

    static List<String> rules(ActionSpec a) {
        List<String> out = new ArrayList<>();
        for (var group : a.exclusive()) out.add("At most one of: " + String.join(", ", new TreeSet<>(group)));
        for (Map.Entry<String, ? extends java.util.Set<String>> r : new java.util.TreeMap<>(a.requires()).entrySet()) {
            out.add(r.getKey() + " only together with: " + String.join(" or ", new TreeSet<>(r.getValue())));
        }
        return out;
    }

    /** Paragraphs of a plugin's details as [heading, text]; heading is "" when there is none. */
    static List<String[]> sections(String details) {
        List<String[]> out = new ArrayList<>();
        for (String para : details.strip().split("\n\\s*\n")) {
            if (para.isBlank()) continue;
            int nl = para.indexOf('\n');
            String first = nl < 0 ? para : para.substring(0, nl);
            // one space between words, however the source text was wrapped and indented
            if (first.endsWith(":") && nl > 0) out.add(new String[] {first, para.substring(nl + 1).replaceAll("\\s+", " ").strip()});
            else out.add(new String[] {"", para.replaceAll("\\s+", " ").strip()});
        }
        return out;
    }

    private static void wrap(StringBuilder b, String text, String indent, int width) {
        int col = 0;
        for (String word : text.split(" +")) {
            if (col > 0 && col + 1 + word.length() > width) {
                b.append('\n');
                col = 0;
            }
            if (col == 0) {
                b.append(indent).append(word);
                col = indent.length() + word.length();
            } else {
                b.append(' ').append(word);
                col += 1 + word.length();
            }
        }
        b.append('\n');
    }

    private static void row(StringBuilder b, String indent, String left, String right, int width) {
        b.append(indent).append(left);
        if (left.length() + 2 > width) b.append('\n').append(indent).append(" ".repeat(width));
        else b.append(" ".repeat(width - left.length()));
        b.append(right).append('\n');
    }
}
