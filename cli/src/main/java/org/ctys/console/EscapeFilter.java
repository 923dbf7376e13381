package org.ctys.console;

import java.io.ByteArrayOutputStream;

/**
 * The escape sequences of a console, as ssh and ipmitool know them: after a newline (or at the
 * very start), {@code ~.} leaves, {@code ~~} sends one {@code ~}, {@code ~?} shows the help; a
 * {@code ~} followed by anything else is sent as typed. Everything else passes through.
 */
public final class EscapeFilter {

    /** What a piece of typed input means. */
    public enum Command { NONE, LEAVE, HELP }

    /** The bytes to send on, and what the escape asked for. */
    public record Result(byte[] send, Command command) {
    }

    public static final String HELP = "Supported escape sequences (after a newline):\r\n"
            + "  ~.  leave the console\r\n  ~?  this help\r\n  ~~  send one ~\r\n";

    private boolean lineStart = true;
    private boolean tilde;

    /** Filters {@code n} typed bytes; input after {@code ~.} is not sent. */
    public Result filter(byte[] in, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        Command command = Command.NONE;
        for (int i = 0; i < n; i++) {
            byte b = in[i];
            if (tilde) {
                tilde = false;
                if (b == '.') return new Result(out.toByteArray(), Command.LEAVE);
                if (b == '?') {
                    command = Command.HELP;
                    lineStart = true;
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
        return new Result(out.toByteArray(), command);
    }
}
