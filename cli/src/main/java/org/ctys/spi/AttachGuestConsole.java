package org.ctys.spi;

/**
 * Attach the local terminal to a guest's console as its hypervisor offers it ({@code virsh
 * console}, {@code xl console}), run on the guest's host on a pseudo terminal, until the user
 * leaves with the escape sequence or the console command ends. It owns the terminal while it runs.
 *
 * @param target  the report's name of the guest ({@code lab01[web1]})
 * @param remote  the guest's host over SSH; null: this host, without SSH
 * @param command the console command to run there, a shell command line
 */
public record AttachGuestConsole(String target, Remote remote, String command) implements Step {

    @Override
    public String describe() {
        String where = remote == null ? "sh -c" : "ssh -t" + remote.describe().substring("ssh".length());
        return where + " " + ShellWords.quote(command) + (remote == null ? "   # leave with the hypervisor's escape, Ctrl-]"
                : "   # leave with ~. after a newline");
    }

    @Override
    public boolean ownsTheTerminal() { return true; }
}
