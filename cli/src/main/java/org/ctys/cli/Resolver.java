package org.ctys.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ctys.grammar.Durations;
import org.ctys.grammar.NodeSet;
import org.ctys.grammar.TargetSpec;
import org.ctys.inventory.Inventory;
import org.ctys.inventory.Machine;
import org.ctys.spi.CtysException;
import org.ctys.spi.Target;
import picocli.CommandLine;

/**
 * Turns parsed target words into targets: groups expanded (nested groups and nodesets in
 * them too), per-target options applied over the generic ones, and the inventory's entry attached.
 */
final class Resolver {
    private final Context context;
    private final String defaultUser;
    private final Duration defaultTimeout;

    Resolver(Context context, String defaultUser, Duration defaultTimeout) {
        this.context = context;
        this.defaultUser = defaultUser;
        this.defaultTimeout = defaultTimeout;
    }

    /** Checks every target's own options; usage errors only, nothing is looked up. */
    static void checkOptions(List<TargetSpec> specs) {
        for (TargetSpec s : specs) options(s);
    }

    List<Target> resolve(List<TargetSpec> specs) {
        List<Target> out = new ArrayList<>();
        for (TargetSpec s : specs) {
            TargetOptions o = options(s);
            String user = s.user() != null ? s.user() : o.user != null ? o.user : defaultUser;
            Duration timeout = o.timeout != null ? Durations.parse(o.timeout) : defaultTimeout;
            if (s.kind() == TargetSpec.Kind.GROUP) {
                for (String member : expandGroup(context.inventory(), s.name(), new HashSet<>())) {
                    out.add(target(member, user, List.of(), timeout));
                }
            } else {
                out.add(target(s.name(), user, s.stack(), timeout));
            }
        }
        return out;
    }

    private Target target(String name, String user, List<String> stack, Duration timeout) {
        Machine m = context.machine(name).orElse(null);
        if (user == null && m != null) user = m.ssh().user();
        return new Target(name, user, stack, m, timeout);
    }

    private static List<String> expandGroup(Inventory inv, String group, Set<String> seen) {
        if (!seen.add(group)) {
            throw CtysException.config("group '@" + group + "' contains itself (in " + inv.source() + ")");
        }
        List<String> names = new ArrayList<>();
        for (String member : inv.group(group)) {
            if (member.startsWith("@")) names.addAll(expandGroup(inv, member.substring(1), seen));
            else {
                try {
                    names.addAll(NodeSet.expand(member));
                } catch (CtysException e) {
                    throw CtysException.config("group '@" + group + "' in " + inv.source() + ": " + e.getMessage());
                }
            }
        }
        seen.remove(group);
        return names;
    }

    private static TargetOptions options(TargetSpec s) {
        TargetOptions o = new TargetOptions();
        if (s.options().isEmpty()) return o;
        try {
            new CommandLine(o).parseArgs(s.options().toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw CtysException.usage("bad option in '" + s.original() + "': " + Usage.describe(e)
                    + "; valid there: -l USER, --timeout DURATION");
        }
        if (o.timeout != null) {
            try {
                Durations.parse(o.timeout);
            } catch (CtysException e) {
                throw CtysException.usage("in '" + s.original() + "': " + e.getMessage());
            }
        }
        if (o.user != null && o.user.isBlank()) throw CtysException.usage("empty user in '" + s.original() + "'");
        return o;
    }
}
