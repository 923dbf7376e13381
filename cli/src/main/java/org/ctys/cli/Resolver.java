package org.ctys.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Durations;
import org.ctys.grammar.Names;
import org.ctys.grammar.NodeSet;
import org.ctys.grammar.TargetSpec;
import org.ctys.inventory.Inventory;
import org.ctys.inventory.Machine;
import org.ctys.spi.Target;

/**
 * Turns parsed target words into targets: groups expanded (nested groups and nodesets in
 * them too), per-target options applied over the generic ones, and the inventory's entry attached.
 */
final class Resolver {
    private final Context context;
    private final String defaultUser;

    Resolver(Context context, String defaultUser) {
        this.context = context;
        this.defaultUser = defaultUser;
    }

    /** Checks every target's own options; usage errors only, nothing is looked up. */
    static void checkOptions(List<TargetSpec> specs) {
        for (TargetSpec s : specs) options(s);
    }

    List<Target> resolve(List<TargetSpec> specs) {
        List<Target> out = new ArrayList<>();
        for (TargetSpec s : specs) {
            TargetOptions o = options(s);
            String user = s.user() != null ? s.user() : o.user() != null ? o.user() : defaultUser;
            // only a target's own bound; the command's --timeout is the engine's overall bound
            Duration timeout = o.timeout() != null ? Durations.parse(o.timeout()) : null;
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

    /** The options a target may carry in parentheses: {@code -l USER} and {@code --timeout DURATION}. */
    private record TargetOptions(String user, String timeout) {}

    private static TargetOptions options(TargetSpec s) {
        String user = null;
        String timeout = null;
        List<String> words = s.options();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            boolean isUser = w.equals("-l");
            boolean isTimeout = w.equals("--timeout");
            if (!isUser && !isTimeout) {
                throw CtysException.usage("unknown option '" + w + "' in '" + s.original()
                        + "'; valid there: -l USER, --timeout DURATION");
            }
            if (i + 1 >= words.size()) {
                throw CtysException.usage("option '" + w + "' in '" + s.original() + "' needs a value");
            }
            String v = words.get(++i);
            if (isUser) {
                if (!Names.isUser(v)) {
                    throw CtysException.usage("bad user '" + v + "' in '" + s.original() + "': expected " + Names.USER_FORM);
                }
                user = v;
            } else {
                try {
                    if (Durations.parse(v).isZero()) throw CtysException.usage("--timeout 0: expected a duration above zero");
                } catch (CtysException e) {
                    throw CtysException.usage("in '" + s.original() + "': " + e.getMessage());
                }
                timeout = v;
            }
        }
        return new TargetOptions(user, timeout);
    }
}
