package org.ctys.consoled;

import java.io.ByteArrayOutputStream;

/**
 * The client side of a telnet connection to a terminal server's port (RFC 854/855), as a console
 * needs it: the server may echo (ECHO), suppress go-ahead (SGA) and send 8-bit data (BINARY), and
 * this side suppresses go-ahead and sends 8-bit data too; every other option either side offers
 * or asks for is refused (terminal type, window size, line mode, environment: a console server has
 * no terminal of its own to describe). Negotiation is stripped from the data, sub-negotiations and
 * other commands (NOP, GA, DM, AYT) are dropped, an escaped 0xFF is one data byte. Without BINARY,
 * the NVT's CR NUL is a CR both ways. A reply is sent only when an option's state changes, so two
 * sides never loop. State carries across reads: a command may arrive split.
 */
final class Telnet {
    static final int IAC = 255;
    static final int DONT = 254;
    static final int DO = 253;
    static final int WONT = 252;
    static final int WILL = 251;
    static final int SB = 250;
    static final int BRK = 243;
    static final int SE = 240;
    static final int BINARY = 0;
    static final int ECHO = 1;
    static final int SGA = 3;

    private enum State { DATA, IAC, OPTION, SB, SB_IAC, CR }

    /** Options the server may enable on its side (it echoes, suppresses go-ahead, sends 8-bit data). */
    private final boolean[] his = new boolean[256];
    /** Options this side has enabled. */
    private final boolean[] mine = new boolean[256];
    /** Requests this side sent and awaits an answer to: the answer is not answered again. */
    private final boolean[] askedHim = new boolean[256];
    private State state = State.DATA;
    private int verb;

    private static boolean heMay(int option) { return option == ECHO || option == SGA || option == BINARY; }

    private static boolean iMay(int option) { return option == SGA || option == BINARY; }

    /** What this side asks for at once: the server's echo and no go-aheads, character at a time. */
    byte[] greeting() {
        askedHim[ECHO] = true;
        askedHim[SGA] = true;
        return new byte[] {(byte) IAC, (byte) DO, (byte) SGA, (byte) IAC, (byte) DO, (byte) ECHO};
    }

    /**
     * Takes {@code length} bytes from the server: returns the console's data, and appends to
     * {@code replies} what must be sent back.
     */
    byte[] receive(byte[] in, int length, ByteArrayOutputStream replies) {
        ByteArrayOutputStream data = new ByteArrayOutputStream(length);
        for (int i = 0; i < length; i++) {
            int b = in[i] & 0xff;
            switch (state) {
                case DATA -> {
                    if (b == IAC) state = State.IAC;
                    else {
                        data.write(b);
                        if (b == '\r' && !his[BINARY]) state = State.CR;
                    }
                }
                case CR -> {
                    // NVT: CR NUL is a bare CR; CR LF stays as it is
                    state = State.DATA;
                    if (b == IAC) state = State.IAC;
                    else if (b != 0) {
                        data.write(b);
                        if (b == '\r') state = State.CR;
                    }
                }
                case IAC -> {
                    state = State.DATA;
                    if (b == IAC) data.write(IAC);
                    else if (b == WILL || b == WONT || b == DO || b == DONT) {
                        verb = b;
                        state = State.OPTION;
                    } else if (b == SB) state = State.SB;
                    // any other command (NOP, GA, DM, AYT, ...) carries no data
                }
                case OPTION -> {
                    state = State.DATA;
                    negotiate(verb, b, replies);
                }
                case SB -> {
                    if (b == IAC) state = State.SB_IAC;
                }
                case SB_IAC -> state = b == SE ? State.DATA : State.SB;
            }
        }
        return data.toByteArray();
    }

    private void negotiate(int verb, int option, ByteArrayOutputStream replies) {
        switch (verb) {
            case WILL -> {
                if (!heMay(option)) reply(replies, DONT, option);
                else if (!his[option]) {
                    his[option] = true;
                    if (!askedHim[option]) reply(replies, DO, option);
                }
                askedHim[option] = false;
            }
            case WONT -> {
                if (his[option]) {
                    his[option] = false;
                    if (!askedHim[option]) reply(replies, DONT, option);
                }
                askedHim[option] = false;
            }
            case DO -> {
                if (!iMay(option)) reply(replies, WONT, option);
                else if (!mine[option]) {
                    mine[option] = true;
                    reply(replies, WILL, option);
                }
            }
            case DONT -> {
                if (mine[option]) {
                    mine[option] = false;
                    reply(replies, WONT, option);
                }
            }
            default -> throw new IllegalStateException("verb " + verb);
        }
    }

    private static void reply(ByteArrayOutputStream replies, int verb, int option) {
        replies.write(IAC);
        replies.write(verb);
        replies.write(option);
    }

    /** Typed bytes as the connection carries them: 0xFF doubled; without BINARY, a CR not followed by LF as CR NUL. */
    byte[] send(byte[] data, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 8);
        for (int i = 0; i < length; i++) {
            int b = data[i] & 0xff;
            out.write(b);
            if (b == IAC) out.write(IAC);
            else if (b == '\r' && !mine[BINARY] && (i + 1 >= length || data[i + 1] != '\n')) out.write(0);
        }
        return out.toByteArray();
    }

    /** The telnet BREAK command. */
    static byte[] breakCommand() { return new byte[] {(byte) IAC, (byte) BRK}; }

    boolean serverEchoes() { return his[ECHO]; }

    boolean binaryIn() { return his[BINARY]; }

    boolean binaryOut() { return mine[BINARY]; }
}
