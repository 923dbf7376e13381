package org.ctys.plugins.console;

import java.util.List;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;

/** An interactive SSH shell in a new xterm window. */
public final class XtermPlugin implements Plugin {
    static final ActionSpec CREATE = TerminalWindows.create("xterm");

    @Override
    public String type() { return "XTERM"; }

    @Override
    public String summary() { return "an interactive shell on one host over SSH, in a new xterm window"; }

    @Override
    public String details() { return TerminalWindows.details(type(), "xterm", "xterm"); }

    @Override
    public List<ActionSpec> actions() { return List.of(CREATE); }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        return TerminalWindows.plan(type(), "xterm", "xterm", request, context);
    }
}
