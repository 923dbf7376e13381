package org.ctys.spi;

/**
 * An interactive shell on one machine over SSH, bridged to the local terminal until it exits; its
 * exit status becomes the command's. Nothing else is printed: the shell's own output is the result.
 * A null remote is this host: the user's $SHELL, without SSH.
 *
 * @param pty -z PTY (true), -z NOPTY (false), or null: a pseudo terminal when standard input is a terminal
 */
public record OpenShell(String target, Remote remote, Boolean pty) implements Step {

    /** {@code ssh -t root@host}, or {@code ssh -T ...} with -z NOPTY. */
    @Override
    public String describe() {
        if (remote == null) return "$SHELL -i";
        return "ssh " + (Boolean.FALSE.equals(pty) ? "-T" : "-t") + remote.describe().substring("ssh".length());
    }

    @Override
    public boolean ownsTheTerminal() { return true; }
}
