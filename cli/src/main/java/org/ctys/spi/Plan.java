package org.ctys.spi;

import java.util.List;

/**
 * What a plugin wants done: a tree of steps and the targets it reports on, in report order.
 * Printing it is the dry run.
 */
public record Plan(String title, List<String> targets, Step root) {

    public Plan { targets = List.copyOf(targets); }

    /** The plan as indented lines, the way {@code --dry-run} prints it. */
    public String render() {
        StringBuilder b = new StringBuilder(title).append('\n');
        render(root, 1, b);
        return b.toString();
    }

    private static void render(Step step, int depth, StringBuilder b) {
        String indent = "  ".repeat(depth);
        for (String line : step.describe().split("\n")) b.append(indent).append(line).append('\n');
        List<Step> children = step instanceof Step.Sequence s ? s.steps()
                : step instanceof Step.Parallel p ? p.steps() : List.of();
        for (Step child : children) render(child, depth + 1, b);
    }
}
