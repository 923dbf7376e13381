package org.ctys.spi;

import java.time.Duration;
import java.util.List;

/**
 * Hand a command bytes on its standard input (a script to register) and go on with the steps its
 * answer makes necessary, as {@link Discover} does with a question: what it printed (an id, say) is
 * only known when it has run.
 *
 * @param remote    null for this host, without SSH
 * @param inputName where the input came from (a file name), for the dry run
 * @param input     what the command reads on its standard input, then end of input
 * @param preview   the steps that follow as far as they are known before the answer, shown by the dry run;
 *                  never run, but their secrets are read before the run as any step's
 */
public record Submit(String target, Remote remote, String command, String inputName, byte[] input, Duration timeout,
                     Discover.Expansion expansion, Step preview) implements Step {

    public Submit {
        input = input.clone();
    }

    @Override
    public byte[] input() { return input.clone(); }

    @Override
    public String describe() {
        // the input is named in the comment, not as a redirection: a dry run pasted into a shell opens no file
        String run = (remote == null ? "sh -c " : remote.describe() + " ") + ShellWords.quote(command);
        return run + "  # standard input: " + inputName + "; its answer decides the rest" + (preview == null ? "" : "; then:");
    }

    @Override
    public List<Step> children() { return preview == null ? List.of() : List.of(preview); }
}
