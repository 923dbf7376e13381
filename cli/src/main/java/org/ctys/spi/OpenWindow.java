package org.ctys.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * A new local terminal window titled {@code title} that runs ctys again with {@code ctysArgs}
 * (an interactive shell on {@code target}). The engine starts the terminal detached: it outlives
 * ctys, which reports the window opened once the terminal has started and stayed up a moment.
 *
 * @param terminal {@code xterm} or {@code gnome-terminal}
 * @param ctysArgs the arguments of the ctys inside the window, without the program itself
 */
public record OpenWindow(String target, String terminal, String title, List<String> ctysArgs) implements Step {

    public static final String XTERM = "xterm";
    public static final String GNOME_TERMINAL = "gnome-terminal";

    public OpenWindow {
        ctysArgs = List.copyOf(ctysArgs);
        if (!terminal.equals(XTERM) && !terminal.equals(GNOME_TERMINAL)) {
            throw new IllegalArgumentException("no such terminal: " + terminal);
        }
    }

    /** The terminal's command line around {@code inner}, the command the window runs. */
    public List<String> commandLine(List<String> inner) {
        List<String> c = new ArrayList<>();
        c.add(terminal);
        if (terminal.equals(XTERM)) {
            c.addAll(List.of("-T", title, "-e"));
        } else {
            c.addAll(List.of("--title=" + title, "--"));
        }
        c.addAll(inner);
        return c;
    }

    /** {@code xterm -T lab01 -e ctys -t cli -a create root@lab01}. */
    @Override
    public String describe() {
        List<String> inner = new ArrayList<>();
        inner.add("ctys");
        inner.addAll(ctysArgs);
        return ShellWords.join(commandLine(inner));
    }
}
