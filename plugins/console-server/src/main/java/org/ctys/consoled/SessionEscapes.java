package org.ctys.consoled;

import java.util.ArrayList;
import java.util.List;
import org.ctys.console.EscapeFilter;

/**
 * The escapes of one user's session, handled by the daemon (they never reach the machine): after
 * CR or LF, or at the session's start, {@code ~.} leave, {@code ~?} help, {@code ~w} who,
 * {@code ~f} take the write, {@code ~s} become a spy, {@code ~r} replay, {@code ~B} break,
 * {@code ~~} one {@code ~}; any other {@code ~x} is sent as the two bytes typed. As in ctys's own
 * consoles, a report the user's terminal sends by itself (a cursor position after a prompt) leaves
 * the line start as it was, so {@code ~.} after busybox's prompt still leaves. The rules are
 * {@link EscapeFilter}'s, one state machine for every console; only the daemon's letters are added.
 */
final class SessionEscapes {

    enum Command { NONE, LEAVE, HELP, WHO, FORCE, SPY, REPLAY, BREAK }

    /** Bytes to send on, then what the escape asked for. */
    record Piece(byte[] send, Command command) {}

    static final String HELP = "escapes (after Enter): ~. leave  ~? this help  ~w who is attached  ~f take the write"
            + "  ~s become a spy  ~r replay the last 20 lines  ~B send a break  ~~ send ~";

    /** The daemon's letters beyond ctys's own {@code ~. ~? ~B ~~}: who, take the write, spy, replay. */
    private final EscapeFilter filter = EscapeFilter.withKeys("wfsr");

    /** Splits {@code n} typed bytes into pieces in the order typed; nothing after {@code ~.} is kept. */
    List<Piece> filter(byte[] in, int n) {
        List<Piece> pieces = new ArrayList<>(1);
        for (EscapeFilter.Result r : filter.filter(in, n)) pieces.add(new Piece(r.send(), command(r)));
        return pieces;
    }

    private static Command command(EscapeFilter.Result r) {
        return switch (r.command()) {
            case NONE -> Command.NONE;
            case LEAVE -> Command.LEAVE;
            case HELP -> Command.HELP;
            case BREAK -> Command.BREAK;
            case KEY -> switch (r.key()) {
                case 'w' -> Command.WHO;
                case 'f' -> Command.FORCE;
                case 's' -> Command.SPY;
                default -> Command.REPLAY;
            };
        };
    }
}
