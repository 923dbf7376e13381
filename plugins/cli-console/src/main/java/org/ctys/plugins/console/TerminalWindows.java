package org.ctys.plugins.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.OpenWindow;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.SuboptionSpec;
import org.ctys.spi.Target;
import org.ctys.spi.ValueKind;

/**
 * What XTERM and GTERM share: the shell of {@code ctys -t cli -a create TARGET}, opened in a new
 * local terminal window titled with LABEL instead of in the terminal ctys runs in.
 */
final class TerminalWindows {

    private TerminalWindows() {}

    static ActionSpec create(String program) {
        return new ActionSpec("CREATE",
                "open an interactive shell on one target (as ctys -t cli -a create TARGET) in a new "
                        + program + " window titled LABEL; ctys returns once the window is up",
                List.of(SuboptionSpec.of("LABEL", "<label>", "the window's title (required)", ValueKind.TEXT)
                        .aliases("L").build()),
                List.of(), Map.of(), "the host to open the shell on (default: localhost); exactly one");
    }

    static String details(String type, String program, String debianPackage) {
        return """
                Window:
                CREATE starts %s, found on PATH, with a new window titled LABEL that runs ctys -t cli -a create \
                TARGET: the same interactive shell, with -l, -J, -F, --accept-new-host-keys, -z and -Y passed on. \
                The terminal is started detached: it outlives ctys, and closing the window ends the shell. ctys \
                reports the target opened once the terminal has started and is still running a moment later; \
                a terminal that ends at once (no DISPLAY, for one) is a failure with the first line it printed. \
                Without %s on PATH the command is refused (exit status 3) before anything starts; it is in \
                the Debian package %s. The window needs a graphical session: DISPLAY (or WAYLAND_DISPLAY) \
                must name it, as for any X program started from a shell.

                Example:
                ctys -t %s -a create=l:lab01 root@lab01
                """.formatted(program, program, debianPackage, type.toLowerCase(java.util.Locale.ROOT));
    }

    static Plan plan(String type, String program, String debianPackage, ActionRequest request, PlanContext context) {
        String label = request.suboptions().text("LABEL").orElseThrow(() -> CtysException.usage(
                type + " CREATE needs the window's title: give L:<label>, as in -a create=l:lab01"));
        if (label.isBlank()) throw CtysException.usage(type + " CREATE: L:<label> is empty; give the window a title");
        // by label: root@lab01 and admin@lab01 are two logins, of which one window would open one silently
        List<String> labels = request.targets().stream().map(Target::label).distinct().toList();
        if (labels.size() > 1) {
            throw CtysException.usage(type + " CREATE opens one window on exactly one target, not " + labels.size()
                    + " (" + String.join(", ", labels) + "); run it once per target");
        }
        if (context.program(program).isEmpty()) {
            throw CtysException.config(program + " not found on PATH (Debian package " + debianPackage + ")");
        }
        String target = request.targets().isEmpty() ? "localhost" : request.targets().get(0).display();
        List<String> args = new ArrayList<>(request.options().asArguments());
        // the same inventory, so the shell in the window reaches the target the same way
        context.inventorySource().ifPresent(inv -> args.addAll(0, List.of("--inventory",
                java.nio.file.Path.of(inv).toAbsolutePath().toString())));
        args.addAll(List.of("-t", "cli", "-a", "create"));
        // "--": whatever the target is called, the ctys in the window cannot read it as an option
        if (!request.targets().isEmpty()) args.addAll(List.of("--", request.targets().get(0).label()));
        return new Plan("ctys -t " + type + " -a CREATE: " + program + " window on " + target, List.of(target),
                new OpenWindow(target, program, label, args));
    }
}
