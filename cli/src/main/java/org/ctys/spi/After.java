package org.ctys.spi;

import java.util.List;

/**
 * A dependency between targets: {@code step} runs for {@code target} only when every target in
 * {@code prerequisites} ended well (its guests are confirmed off). Otherwise the target fails with
 * "not {@code what}: " and the prerequisites that did not, and {@code step} never runs, unless
 * {@code anyway} (FORCE) says to go on regardless.
 *
 * @param what what {@code step} does, for the message ("powered off")
 */
public record After(String target, List<String> prerequisites, boolean anyway, String what, Step step) implements Step {

    public After { prerequisites = List.copyOf(prerequisites); }

    @Override
    public String describe() {
        if (prerequisites.isEmpty()) return "# then:";
        return "# once " + String.join(", ", prerequisites.stream().map(ControlChars::escape).toList())
                + (anyway ? " ended, well or not (FORCE):" : " ended well:");
    }

    @Override
    public List<Step> children() { return List.of(step); }
}
