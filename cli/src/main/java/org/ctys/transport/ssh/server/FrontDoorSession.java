package org.ctys.transport.ssh.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BiConsumer;

/** One SSH session a user opened on the console server's front door, after their key was accepted. */
public interface FrontDoorSession {

    /** The authenticated user (the SSH login name whose keys accepted the client's key). */
    String user();

    /** What the client asked for: the exec command as sent, or "" for a plain shell request. */
    String command();

    /** Whether the client asked for a pseudo terminal (ssh -t). */
    boolean terminal();

    /** The client's window size; 80x24 when it sent none. */
    int columns();

    int rows();

    /** What the user types; end of input when the client closed its side or the session was closed. */
    InputStream in();

    /**
     * To the user's terminal; writes from several threads must be whole (callers synchronize on the
     * session). A write waits while much is unsent, flush until all is sent; a client that takes
     * nothing for the stall limit is dropped and the write fails.
     */
    OutputStream out();

    /**
     * The same stream as {@link #out()}, for writers that must never wait for the client (a
     * console's reader): what it is given goes out in order with what out() wrote.
     */
    OutputQueue queue();

    /** The user's standard error (the same stream as {@link #out()} when a pseudo terminal was asked for). */
    OutputStream err();

    /** Called with (columns, rows) when the client's window changes size. */
    void onResize(BiConsumer<Integer, Integer> listener);

    /** Ends the session from the server's side: {@link #in()} returns end of input; idempotent. */
    void close();
}
