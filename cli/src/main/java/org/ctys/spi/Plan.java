package org.ctys.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ctys.grammar.Durations;

/**
 * What a plugin wants done: a tree of steps, the targets it reports on (in report order), and
 * the bounds of targets that carry their own {@code --timeout}. Printing it is the dry run.
 */
public record Plan(String title, List<String> targets, Step root, Map<String, Duration> timeouts) {

    public Plan {
        targets = List.copyOf(targets);
        timeouts = Map.copyOf(timeouts);
    }

    public Plan(String title, List<String> targets, Step root) {
        this(title, targets, root, Map.of());
    }

    /** The plan as indented lines, the way {@code --dry-run} prints it. */
    public String render() {
        // steps quote their words (ShellWords); the title and the lines are escaped as well, so that
        // nothing a name holds reaches the terminal as a control character
        StringBuilder b = new StringBuilder(ControlChars.escape(title)).append('\n');
        for (String t : targets) {
            Duration d = timeouts.get(t);
            if (d != null) {
                b.append("  # ").append(ControlChars.escape(t)).append(": at most ").append(Durations.format(d)).append('\n');
            }
        }
        render(root, 1, b);
        return b.toString();
    }

    private static void render(Step step, int depth, StringBuilder b) {
        String indent = "  ".repeat(depth);
        for (String line : step.describe().split("\n")) b.append(indent).append(ControlChars.escape(line)).append('\n');
        for (Step child : step.children()) render(child, depth + 1, b);
    }
}
