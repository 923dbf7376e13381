package org.ctys.plugins.consoleserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctys.exit.CtysException;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.AttachServedConsole;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;
import org.ctys.spi.SuboptionSpec;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;
import org.ctys.spi.ValueKind;

/**
 * The consoles a console server (ctys-consoled) holds open: attached over SSH through its front
 * door, shared with the other users of that console, and listed with their state. The targets are
 * console names on the server, not machines.
 */
public final class ConsoleServerPlugin implements Plugin {

    private static final SuboptionSpec SERVER = SuboptionSpec.of("SERVER", "[<user>@]<host>[:<port>]",
            "the console server; default: the inventory's console-server:, port 7022", ValueKind.TEXT).build();

    static final ActionSpec CREATE = new ActionSpec("CREATE",
            "attach the terminal to a console the console server holds",
            List.of(SuboptionSpec.flag("SPY", "watch without ever taking the write, unseen by the console's other users").build(),
                    SuboptionSpec.flag("FORCE", "take the write from the user who has it (read-write users only)").build(),
                    SuboptionSpec.of("REPLAY", "<n>", "first show the console's last n lines from the server's log",
                            ValueKind.COUNT).build(),
                    SuboptionSpec.of("SINCE", "<time>", "first show the console's log since an ISO-8601 instant"
                            + " (2026-11-30T08:00:00Z) or a duration back from now (90s, 10m, 2h, 1d); years 0000-9999", ValueKind.TEXT).build(),
                    SERVER),
            List.of(Set.of("SPY", "FORCE"), Set.of("REPLAY", "SINCE")), Map.of(), "one console name");

    static final ActionSpec LIST = new ActionSpec("LIST",
            "the consoles of the console server: state, who writes and watches, log size",
            List.of(SERVER), List.of(), Map.of(), "none for every console you may see, or console names");

    private static final int MAX_NAME = 63;

    @Override
    public String type() { return "CONSOLE"; }

    @Override
    public String summary() { return "consoles held open by a console server (ctys-consoled): attach, share, replay, list"; }

    @Override
    public String details() { return ConsoleServerDetails.TEXT; }

    @Override
    public List<ActionSpec> actions() { return List.of(CREATE, LIST); }

    /** Its targets are consoles, not machines: -T ALL, which widens a LIST over machines, leaves it out. */
    @Override
    public boolean targetsAreMachines() { return false; }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        List<String> names = names(request.targets());
        if (request.actionName().equals("LIST")) {
            ServerReach server = ServerReach.of(request, context);
            return new Plan("ctys -t CONSOLE -a LIST: the consoles of " + server.label(), List.of(server.label()),
                    new ConsoleListing(server, names).step());
        }
        if (names.size() != 1) {
            throw CtysException.usage(names.isEmpty() ? "no console: give the one to attach (ctys -t console -a create lab07)"
                    : "a terminal attaches to one console, not " + names.size() + "; valid: one console name");
        }
        List<String> words = words(names.get(0), request.suboptions());
        ServerReach server = ServerReach.of(request, context);
        return new Plan("ctys -t CONSOLE -a CREATE: the console " + names.get(0) + " on " + server.label(), names,
                new AttachServedConsole(names.get(0), server.remote(), server.label(), words));
    }

    /** The command the server gets: {@code <console> [--spy|--force] [--replay n|--since t]}. */
    static List<String> words(String console, Suboptions sub) {
        List<String> words = new ArrayList<>(List.of(console));
        if (sub.has("SPY")) words.add("--spy");
        if (sub.has("FORCE")) words.add("--force");
        sub.first("REPLAY", Integer.class).ifPresent(n -> words.addAll(List.of("--replay", n.toString())));
        sub.text("SINCE").ifPresent(t -> words.addAll(List.of("--since", ReplayFrom.word(t))));
        return words;
    }

    /** The targets as console names; a stack address or a name the server could not have is refused. */
    private static List<String> names(List<Target> targets) {
        List<String> names = new ArrayList<>();
        for (Target t : targets) {
            if (!t.stack().isEmpty()) {
                throw CtysException.usage("'" + t.display() + "' is a stack address; -t console takes console names as the"
                        + " console server has them, e.g. lab07");
            }
            if (!isConsoleName(t.name())) {
                throw CtysException.usage("'" + t.name() + "' is no console name: letters, digits, '-', '_' and '.', at most "
                        + MAX_NAME);
            }
            if (!names.contains(t.name())) names.add(t.name());
        }
        return names;
    }

    /** A console's name on the server: host-name characters, at most 63. */
    static boolean isConsoleName(String s) {
        return s.length() <= MAX_NAME && s.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    }
}
