package org.ctys.plugins.console;

import java.util.List;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;

/** An interactive SSH shell in a new gnome-terminal window. */
public final class GtermPlugin implements Plugin {
    static final ActionSpec CREATE = TerminalWindows.create("gnome-terminal");

    @Override
    public String type() { return "GTERM"; }

    @Override
    public String summary() { return "an interactive shell on one host over SSH, in a new gnome-terminal window"; }

    @Override
    public String details() { return TerminalWindows.details(type(), "gnome-terminal", "gnome-terminal"); }

    @Override
    public List<ActionSpec> actions() { return List.of(CREATE); }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        return TerminalWindows.plan(type(), "gnome-terminal", "gnome-terminal", request, context);
    }
}
