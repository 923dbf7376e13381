package org.ctys.console;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The escape sequences of every console, as ssh and ipmitool know them: after a newline (or at the
 * very start), {@code ~.} leaves, {@code ~B} sends a break, {@code ~?} shows the help, {@code ~~}
 * sends one {@code ~}; a {@code ~} followed by anything else is sent as typed. Everything else
 * passes through.
 *
 * <p>Terminal reports are not typing: a shell that asks where the cursor is after each prompt
 * (busybox ash: {@code ESC [ 6 n}) gets the terminal's answer ({@code ESC [ row ; col R}) as input
 * after the Enter, and a {@code ~.} typed next must still be "after a newline". So a CSI sequence
 * that only a terminal sends on its own (cursor position, status and device attribute reports,
 * mode and window reports, focus in/out) leaves the line start as it was; keys (arrows, function
 * keys, the bracketed-paste markers {@code ESC [ 200 ~}/{@code 201 ~}, whose text the user pasted)
 * and mouse events, which the user made, begin the line like any typed byte. The sequence's bytes
 * are sent on either way.
 */
public final class EscapeFilter {

    /**
     * What a piece of typed input asks for, after its bytes are sent. KEY: one of the escapes a
     * filter was given beyond ctys's own ({@link #withKeys}); {@link Result#key()} says which.
     */
    public enum Command { NONE, LEAVE, HELP, BREAK, KEY }

    /** Bytes to send on, then what the escape asked for; {@code key} the letter of a KEY escape. */
    public record Result(byte[] send, Command command, char key) {
        public Result(byte[] send, Command command) { this(send, command, '\0'); }
    }

    private static final byte ESC = 0x1b;
    /** Longer parameter strings are no report a terminal sends: the bytes are typing. */
    private static final int MAX_CSI = 32;

    /** Where the filter is in an escape sequence of the terminal: none, after ESC, inside ESC [ ... */
    private enum Sequence { NONE, ESC, CSI }

    /**
     * The escapes of a console server (ctys-consoled) after {@code ~}: help, who, take the write, spy,
     * replay, break. Sent on, and the line start kept, as the server keeps it after them.
     */
    private static final String FAR_END_ESCAPES = "?wfsrB";
    /** Only {@code ~.} is ours; the far end has escapes of its own ({@link #leaveOnly}). */
    private final boolean leaveOnly;
    /** Letters that are escapes too, beyond {@code . ? B ~} ({@link #withKeys}). */
    private final String keys;
    private boolean lineStart = true;
    private boolean tilde;
    private Sequence sequence = Sequence.NONE;
    /** The line start as it was before the current sequence: a report gives it back. */
    private boolean lineStartBefore;
    /** The parameter and intermediate bytes of the current CSI sequence. */
    private final StringBuilder csi = new StringBuilder();

    /** The escapes of every console: {@code ~.}, {@code ~B}, {@code ~?} and {@code ~~} are ctys's. */
    public EscapeFilter() { this(false, ""); }

    private EscapeFilter(boolean leaveOnly, String keys) {
        this.leaveOnly = leaveOnly;
        this.keys = keys;
    }

    /**
     * The escapes of every console plus {@code ~x} for each letter of {@code keys}, reported as
     * {@link Command#KEY} with that letter: a console server's own escapes (who, take the write, ...)
     * read by the same rules of line start and terminal reports.
     */
    public static EscapeFilter withKeys(String keys) { return new EscapeFilter(false, keys); }

    /**
     * For a far end with escapes of its own (a console server): {@code ~.} leaves as always, and every
     * other {@code ~x} is sent as typed, both bytes ({@code ~~} too: the far end makes one {@code ~}
     * of it). {@code ~?} is sent as well, after a HELP piece, so that ctys's line about {@code ~.}
     * ({@link #LEAVE_HELP}) comes before the far end's help.
     */
    public static EscapeFilter leaveOnly() { return new EscapeFilter(true, ""); }

    /** What ctys says on {@code ~?} of a {@link #leaveOnly} console, before the far end's help. */
    public static final String LEAVE_HELP = "[ctys: ~. leaves at once, even when the far end does not answer; the other"
            + " escapes are the far end's]\r\n";

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
            if (tilde && leaveOnly) {
                tilde = false;
                if (b == '.') {
                    pieces.add(new Result(out.toByteArray(), Command.LEAVE));
                    return pieces;
                }
                if (b == '?') {
                    pieces.add(new Result(out.toByteArray(), Command.HELP));
                    out.reset();
                }
                out.write('~');
                if (FAR_END_ESCAPES.indexOf(b) >= 0) {
                    // the far end takes it as an escape and, as ssh does, another may follow at once: ~. too
                    out.write(b);
                    lineStart = true;
                    continue;
                }
                lineStart = false;
                // the byte after the tilde is typed as it is below, a second ~ included
            } else if (tilde) {
                tilde = false;
                Command c = b == '.' ? Command.LEAVE : b == '?' ? Command.HELP : b == 'B' ? Command.BREAK
                        : b != '~' && keys.indexOf(b) >= 0 ? Command.KEY : Command.NONE;
                if (c != Command.NONE) {
                    pieces.add(new Result(out.toByteArray(), c, (char) b));
                    if (c == Command.LEAVE) return pieces;
                    out.reset();
                    lineStart = true; // another escape may follow at once, as in ssh
                    continue;
                }
                out.write('~');
                lineStart = false;
                if (b == '~') continue;
                // any other byte after the tilde is typed as it is below
            }
            if (sequence == Sequence.ESC) {
                sequence = Sequence.NONE;
                if (b == '[') {
                    sequence = Sequence.CSI;
                    csi.setLength(0);
                    out.write(b);
                    continue;
                }
                // ESC and another byte: a key with Alt, or SS3 (ESC O x): typing, as set at the ESC
            } else if (sequence == Sequence.CSI) {
                if (b >= 0x20 && b <= 0x3f && csi.length() < MAX_CSI) {
                    csi.append((char) b);
                    out.write(b);
                    continue;
                }
                sequence = Sequence.NONE;
                if (b >= 0x40 && b <= 0x7e) {
                    out.write(b);
                    lineStart = isReport(csi.toString(), (char) b) && lineStartBefore;
                    continue;
                }
                // not a CSI sequence after all: this byte is typed input of its own
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
        if (out.size() > 0 || pieces.isEmpty()) pieces.add(new Result(out.toByteArray(), Command.NONE));
        return pieces;
    }

    /**
     * A CSI sequence a terminal sends by itself, never a key: {@code params} are the bytes between
     * {@code ESC [} and the {@code last} byte.
     */
    static boolean isReport(String params, char last) {
        return switch (last) {
            // cursor position (CPR, DECXCPR): ESC [ row ; col R, ESC [ ? row ; col R
            case 'R' -> params.matches("\\??[0-9]+(;[0-9]+)*");
            // device status: ESC [ 0 n
            case 'n' -> params.matches("[0-9]+");
            // device attributes (DA1, DA2, DA3): ESC [ ? 1 ; 2 c, ESC [ > 0 ; 1 ; 0 c
            case 'c' -> params.matches("[?>=][0-9;]*");
            // a mode's state (DECRPM): ESC [ ? 2004 ; 1 $ y
            case 'y' -> params.matches("\\??[0-9;]*\\$");
            // the window's size or state: ESC [ 8 ; 24 ; 80 t
            case 't' -> params.matches("[0-9]+(;[0-9]+)*");
            // focus in, focus out
            case 'I', 'O' -> params.isEmpty();
            default -> false;
        };
    }
}
