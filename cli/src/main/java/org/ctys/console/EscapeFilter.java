package org.ctys.console;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The escape sequences of every console, as ssh and ipmitool know them: after a newline (or at the
 * very start), {@code ~.} leaves, {@code ~B} sends a break, {@code ~?} shows the help, {@code ~~}
 * sends one {@code ~}; a {@code ~} followed by anything else is sent as typed. Everything else
 * passes through.
 */
public final class EscapeFilter {

    /** What a piece of typed input asks for, after its bytes are sent. */
    public enum Command { NONE, LEAVE, HELP, BREAK }

    /** Bytes to send on, then what the escape asked for. */
    public record Result(byte[] send, Command command) {
    }

    private boolean lineStart = true;
    private boolean tilde;

    /** The help of {@code ~?}: only what this console supports. */
    public static String help(boolean hasBreak) {
        return "Supported escape sequences (after a newline):\r\n"
                + "  ~.  leave the console\r\n"
                + (hasBreak ? "  ~B  send a break\r\n" : "")
                + "  ~?  this help\r\n  ~~  send one ~\r\n";
    }

    /**
     * Filters {@code n} typed bytes into pieces in the order typed: each the bytes to send, then a
     * command (NONE for the last piece when no escape ends it). Input after {@code ~.} is dropped.
     */
    public List<Result> filter(byte[] in, int n) {
        List<Result> pieces = new ArrayList<>(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        for (int i = 0; i < n; i++) {
            byte b = in[i];
            if (tilde) {
                tilde = false;
                Command c = b == '.' ? Command.LEAVE : b == '?' ? Command.HELP : b == 'B' ? Command.BREAK : Command.NONE;
                if (c != Command.NONE) {
                    pieces.add(new Result(out.toByteArray(), c));
                    if (c == Command.LEAVE) return pieces;
                    out.reset();
                    lineStart = true; // another escape may follow at once, as in ssh
                    continue;
                }
                if (b != '~') out.write('~');
                out.write(b);
                lineStart = b == '\r' || b == '\n';
                continue;
            }
            if (b == '~' && lineStart) {
                tilde = true;
                continue;
            }
            out.write(b);
            lineStart = b == '\r' || b == '\n';
        }
        if (out.size() > 0 || pieces.isEmpty()) pieces.add(new Result(out.toByteArray(), Command.NONE));
        return pieces;
    }
}
