package org.ctys.console;

import java.io.IOException;

/**
 * The far end of a console, whatever carries it: Serial-over-LAN, a local serial line, a
 * hypervisor's console over SSH, an SSH shell. What every kind must do is read and write; what only
 * some can do (a break, a window size) has a default that says "not here".
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

    /** The local window changed size; passed on where the transport carries it. */
    default void resize(int columns, int rows) throws IOException {}
}
