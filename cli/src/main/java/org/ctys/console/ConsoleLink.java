package org.ctys.console;

import java.io.IOException;

/**
 * The far end of a console, whatever carries it: Serial-over-LAN, a local serial line, a
 * hypervisor's console over SSH, an SSH shell. What every kind must do is read and write; what only
 * some can do (a break, a window size, an exit status) has a default that says "not here".
 */
public interface ConsoleLink {
    /** What arrived since the last call; empty when nothing did. Never blocks; an IOException means it is gone. */
    byte[] read() throws IOException;

    /** Sends typed bytes; an IOException means the link is gone. */
    void write(byte[] data, int length) throws IOException;

    /** Asks the far end something small; an IOException means it is gone. Links that know at once when they are gone need not ask. */
    default void checkAlive() throws IOException {}

    /** Sends a break (a serial line's BREAK condition, SOL's break); false when this console has none. */
    default boolean sendBreak() throws IOException { return false; }

    /**
     * Whether {@code ~B} means something here, for the help ({@code ~?}). By default: whether the
     * link's class overrides {@link #sendBreak()}, so a link that implements a break is listed
     * without saying so twice.
     */
    default boolean hasBreak() {
        try {
            return getClass().getMethod("sendBreak").getDeclaringClass() != ConsoleLink.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The local window changed size; passed on where the transport carries it. */
    default void resize(int columns, int rows) throws IOException {}

    /**
     * Waits at most {@code millis} for something to {@link #read()}; it may return early. Links
     * that can tell when data arrives override it so that output is shown at once.
     */
    default void await(long millis) throws InterruptedException { Thread.sleep(millis); }

    /**
     * The local input (a pipe, not a terminal) has ended. True when the far end was told and will
     * end by itself (an SSH shell gets end of input and exits): the session waits for that. False,
     * the default: the far end cannot be told (a serial line), and the session shows what it still
     * prints for a moment and leaves.
     */
    default boolean endInput() throws IOException { return false; }

    /**
     * Whether the far end has escape sequences of its own (a console server's {@code ~w}, {@code ~f}...):
     * then only {@code ~.} is ctys's, and every other {@code ~x} is sent as typed, {@code ~~} and
     * {@code ~?} included. False, the default: ctys's escapes are the only ones.
     */
    default boolean ownEscapes() { return false; }

    /**
     * The key the far end itself ends on, or -1: a hypervisor's console ({@code virsh console},
     * {@code xl console}) ends on Ctrl-] (0x1d). Such a program acts on the key only when it is the
     * first byte of what it reads, so a key that reaches it right behind other typed bytes (a
     * terminal's answer to a cursor query, fast typing) is passed to the guest instead. The session
     * sends the key alone, after a pause behind what went before, and leaves by itself if the far
     * end has not ended a moment later. Nothing typed after the key is sent.
     */
    default int endKey() { return -1; }

    /**
     * What {@link #read()} throws when the far end ended in order with a status of its own (an SSH
     * shell's exit status), rather than being lost: that status becomes the command's.
     */
    final class Ended extends IOException {
        private final int status;

        public Ended(int status) {
            super("ended with status " + status);
            this.status = status;
        }

        public int status() { return status; }
    }

    /**
     * The link is gone, and how: a far end that ended with an exit status not taken as its own end
     * (a console command's refusal) carries it; null when the connection broke or a signal ended it.
     */
    final class Lost extends IOException {
        private final Integer exitStatus;

        public Lost(String message, Integer exitStatus, Throwable cause) {
            super(message, cause);
            this.exitStatus = exitStatus;
        }

        public Integer exitStatus() { return exitStatus; }
    }
}
