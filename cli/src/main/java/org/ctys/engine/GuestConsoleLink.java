package org.ctys.engine;

import java.io.IOException;
import org.ctys.console.ConsoleLink;

/**
 * The SSH link of a hypervisor's console ({@code virsh console}, {@code xl console}): both end on
 * Ctrl-], which the session therefore sends alone and, should the console not end on it, follows
 * by leaving ({@link ConsoleLink#endKey()}).
 */
final class GuestConsoleLink implements ConsoleLink {
    /** Ctrl-]: virsh's and xenconsole's escape character. */
    static final int CTRL_BRACKET = 0x1d;

    private final ConsoleLink ssh;

    GuestConsoleLink(ConsoleLink ssh) { this.ssh = ssh; }

    @Override
    public byte[] read() throws IOException { return ssh.read(); }

    @Override
    public void write(byte[] data, int length) throws IOException { ssh.write(data, length); }

    @Override
    public void resize(int columns, int rows) throws IOException { ssh.resize(columns, rows); }

    @Override
    public boolean hasBreak() { return false; }

    @Override
    public int endKey() { return CTRL_BRACKET; }
}
