package org.ctys.spi;

import java.time.Duration;
import java.util.List;

/**
 * Ask a machine what runs on it, then go on with the steps that answer makes necessary: the plan
 * grows while it runs (the guests found on a host are shut down, each a target of its own). The
 * command's output is handed to {@code expansion}, the plugin's reading of it.
 *
 * @param remote  null for this host, without SSH
 * @param preview what is known before asking (the inventory's guests), shown by the dry run; never run
 */
public record Discover(String target, Remote remote, String command, Duration timeout, Expansion expansion, Step preview)
        implements Step {

    /** Turns what the command printed into what comes next. */
    @FunctionalInterface
    public interface Expansion {
        /**
         * Called once, with the command's output whatever its exit status. Must not need secrets
         * (those are read before the run starts). A failure is a {@link Note} with a failing verdict.
         */
        Expanded expand(Output output);

        /**
         * The machine could not be asked (SSH failed, with {@code why} the verdict it would get).
         * Null, the default: the target fails with it. A listing may rather show it as a fact.
         *
         * @param commandSent whether the command may have reached the machine (the failure came after
         *                    it was sent); false: it certainly did not run (the login or its channel failed)
         */
        default Expanded unreached(Verdict why, boolean commandSent) { return null; }
    }

    /**
     * What the answer added: targets to report on (each shown after {@code under}, its host) and the
     * steps that follow.
     */
    public record Expanded(List<Added> targets, Step next) {
        public Expanded { targets = List.copyOf(targets); }
    }

    /** A target found while running, reported right after the last target of its host's stack. */
    public record Added(String target, String under) {}

    @Override
    public String describe() {
        // the command as it would be typed; what follows it is a comment, so the line pastes safely
        String ask = (remote == null ? "sh -c " : remote.describe() + " ") + ShellWords.quote(command);
        return ask + "  # what runs there decides the rest" + (preview == null ? "" : "; known before asking:");
    }

    @Override
    public List<Step> children() { return preview == null ? List.of() : List.of(preview); }
}
