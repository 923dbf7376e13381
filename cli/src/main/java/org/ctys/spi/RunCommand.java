package org.ctys.spi;

import java.time.Duration;

/**
 * Run a command on a machine over SSH and keep its output, error output and exit status.
 *
 * @param ok null when the command's output is the target's result (it is done with "exit 0");
 *           otherwise the command is a means to an end (sending from a gateway): an exit status of 0
 *           means {@code ok}, and only a failure is reported, with the first line of its error output
 */
public record RunCommand(String target, Remote remote, String command, Duration timeout, Verdict ok) implements Step {

    public RunCommand(String target, Remote remote, String command, Duration timeout) {
        this(target, remote, command, timeout, null);
    }

    /** @param remote null for this host: the command runs locally, without SSH */
    @Override
    public String describe() { return (remote == null ? "sh -c" : remote.describe()) + " " + ShellWords.quote(command); }
}
