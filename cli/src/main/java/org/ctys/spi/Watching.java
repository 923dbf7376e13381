package org.ctys.spi;

import java.util.List;
import java.util.Objects;

/**
 * A console on the terminal while other steps run: {@code console} (a step that owns the terminal)
 * is opened first, and once it is open {@code work} runs; the console is left when the work has
 * ended ({@code ended} says so on the terminal: "its boot job has ended"). The user may leave the
 * console earlier: the work goes on, its progress shown again. The work's report is the command's,
 * whatever became of the console; a console that cannot be opened fails the command before the
 * work has done anything.
 */
public record Watching(Step console, Step work, String ended) implements Step {

    public Watching {
        Objects.requireNonNull(ended);
        if (!console.ownsTheTerminal()) throw new IllegalArgumentException("a watching console must own the terminal: " + console);
        if (work.ownsTheTerminal()) throw new IllegalArgumentException("the work under a console cannot own the terminal: " + work);
    }

    @Override
    public String describe() {
        return "on this terminal, while the steps below it run (left when " + ended + "; the user may leave earlier):";
    }

    @Override
    public List<Step> children() { return List.of(console, work); }

    @Override
    public boolean ownsTheTerminal() { return true; }
}
