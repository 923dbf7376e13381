package org.ctys.spi;

import java.util.List;

/**
 * Attach the local terminal to a console that a console server (ctys-consoled) holds open: an
 * SSH login to the server's front door with a pseudo terminal, whose command names the console
 * and how to attach ({@code lab07 --spy --replay 20}). Only {@code ~.} is ctys's own escape here;
 * every other {@code ~x} goes to the server, which has its own (who, take the write, replay...).
 *
 * @param console the console's name on the server, the report's target
 * @param server  the server's front door over SSH (its port, login name, jump hosts)
 * @param label   the server as reports name it ({@code consoles.example:7022})
 * @param words   the command sent: the console's name, then its options as the server reads them
 */
public record AttachServedConsole(String console, Remote server, String label, List<String> words) implements Step {

    public AttachServedConsole {
        words = List.copyOf(words);
    }

    /** The command line the server gets. */
    public String command() { return String.join(" ", words); }

    @Override
    public String describe() {
        return "ssh -t" + server.describe().substring("ssh".length()) + " " + ShellWords.quote(command())
                + "   # ~. leaves; the other ~ escapes go to the console server";
    }

    @Override
    public boolean ownsTheTerminal() { return true; }
}
