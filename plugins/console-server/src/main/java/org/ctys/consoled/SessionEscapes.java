package org.ctys.consoled;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.ctys.console.EscapeFilter;

/**
 * The escapes of one user's session, handled by the daemon (they never reach the machine): after
 * CR or LF, or at the session's start, {@code ~.} leave, {@code ~?} help, {@code ~w} who,
 * {@code ~f} take the write, {@code ~s} become a spy, {@code ~r} replay, {@code ~B} break,
 * {@code ~~} one {@code ~}; any other {@code ~x} is sent as the two bytes typed. As in ctys's own
 * consoles, a report the user's terminal sends by itself (a cursor position after a prompt) leaves
 * the line start as it was, so {@code ~.} after busybox's prompt still leaves.
 */
final class SessionEscapes {

    enum Command { NONE, LEAVE, HELP, WHO, FORCE, SPY, REPLAY, BREAK }

    /** Bytes to send on, then what the escape asked for. */
    record Piece(byte[] send, Command command) {}

    static final String HELP = "escapes (after Enter): ~. leave  ~? this help  ~w who is attached  ~f take the write"
            + "  ~s become a spy  ~r replay the last 20 lines  ~B send a break  ~~ send ~";

    private static final byte ESC = 0x1b;
    private static final int MAX_CSI = 32;

    private enum Sequence { NONE, ESC, CSI }

    private boolean lineStart = true;
    private boolean tilde;
    private Sequence sequence = Sequence.NONE;
    private boolean lineStartBefore;
    private final StringBuilder csi = new StringBuilder();

    /** Splits {@code n} typed bytes into pieces in the order typed; nothing after {@code ~.} is kept. */
    List<Piece> filter(byte[] in, int n) {
        List<Piece> pieces = new ArrayList<>(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        for (int i = 0; i < n; i++) {
            byte b = in[i];
            if (tilde) {
                tilde = false;
                Command c = command(b);
                if (c != Command.NONE) {
                    pieces.add(new Piece(out.toByteArray(), c));
                    if (c == Command.LEAVE) return pieces;
                    out.reset();
                    lineStart = true; // another escape may follow at once, as in ssh
                    continue;
                }
                out.write('~');
                lineStart = false;
                if (b == '~') continue;
            }
            if (sequence == Sequence.ESC) {
                sequence = Sequence.NONE;
                if (b == '[') {
                    sequence = Sequence.CSI;
                    csi.setLength(0);
                    out.write(b);
                    continue;
                }
            } else if (sequence == Sequence.CSI) {
                if (b >= 0x20 && b <= 0x3f && csi.length() < MAX_CSI) {
                    csi.append((char) b);
                    out.write(b);
                    continue;
                }
                sequence = Sequence.NONE;
                if (b >= 0x40 && b <= 0x7e) {
                    out.write(b);
                    lineStart = EscapeFilter.isReport(csi.toString(), (char) b) && lineStartBefore;
                    continue;
                }
            }
            if (b == ESC) {
                sequence = Sequence.ESC;
                lineStartBefore = lineStart;
                lineStart = false;
                out.write(b);
                continue;
            }
            if (b == '~' && lineStart) {
                tilde = true;
                continue;
            }
            out.write(b);
            lineStart = b == '\r' || b == '\n';
        }
        if (out.size() > 0 || pieces.isEmpty()) pieces.add(new Piece(out.toByteArray(), Command.NONE));
        return pieces;
    }

    private static Command command(byte b) {
        return switch (b) {
            case '.' -> Command.LEAVE;
            case '?' -> Command.HELP;
            case 'w' -> Command.WHO;
            case 'f' -> Command.FORCE;
            case 's' -> Command.SPY;
            case 'r' -> Command.REPLAY;
            case 'B' -> Command.BREAK;
            default -> Command.NONE;
        };
    }
}
