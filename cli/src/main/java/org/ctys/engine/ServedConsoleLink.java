package org.ctys.engine;

import java.io.IOException;
import org.ctys.console.ConsoleLink;
import org.ctys.console.OutputTail;

/**
 * The SSH link of a console server's session: every exit status is the session's end (the server's
 * answer, {@link ConsoleLink.Ended}), not a lost link; the escapes other than {@code ~.} are the
 * server's; and the last bytes shown are kept, for the server's message on how it ended.
 */
final class ServedConsoleLink implements ConsoleLink {
    /** The server's messages are one line: the last few hundred bytes hold the one that ended it. */
    private static final int TAIL = 1024;
    private static final String PREFIX = "ctys-consoled:";

    private final ConsoleLink ssh;
    private final OutputTail tail = new OutputTail(TAIL);

    ServedConsoleLink(ConsoleLink ssh) { this.ssh = ssh; }

    @Override
    public byte[] read() throws IOException {
        try {
            byte[] data = ssh.read();
            tail.keep(data);
            return data;
        } catch (ConsoleLink.Lost e) {
            if (e.exitStatus() != null) throw new ConsoleLink.Ended(e.exitStatus());
            throw e;
        }
    }

    @Override
    public void write(byte[] data, int length) throws IOException {
        try {
            ssh.write(data, length);
        } catch (ConsoleLink.Lost e) {
            if (e.exitStatus() != null) throw new ConsoleLink.Ended(e.exitStatus());
            throw e;
        }
    }

    @Override
    public void resize(int columns, int rows) throws IOException { ssh.resize(columns, rows); }

    @Override
    public boolean ownEscapes() { return true; }

    /** A break is the server's {@code ~B}, typed through. */
    @Override
    public boolean hasBreak() { return false; }

    /** The last line the server printed of its own ({@code ctys-consoled: ...}), or null. */
    String serverSaid() {
        String found = null;
        for (String l : tail.lines()) {
            if (l.startsWith(PREFIX)) found = l;
        }
        return found == null ? null : org.ctys.spi.ControlChars.escape(found);
    }
}
