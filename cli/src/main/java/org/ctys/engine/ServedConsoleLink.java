package org.ctys.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.ctys.console.ConsoleLink;

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
    private final byte[] tail = new byte[TAIL];
    private int kept;

    ServedConsoleLink(ConsoleLink ssh) { this.ssh = ssh; }

    @Override
    public byte[] read() throws IOException {
        try {
            byte[] data = ssh.read();
            keep(data);
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

    private synchronized void keep(byte[] data) {
        if (data.length >= TAIL) {
            System.arraycopy(data, data.length - TAIL, tail, 0, TAIL);
            kept = TAIL;
        } else if (data.length > 0) {
            int drop = Math.max(0, kept + data.length - TAIL);
            System.arraycopy(tail, drop, tail, 0, kept - drop);
            kept -= drop;
            System.arraycopy(data, 0, tail, kept, data.length);
            kept += data.length;
        }
    }

    /** The last line the server printed of its own ({@code ctys-consoled: ...}), or null. */
    synchronized String serverSaid() {
        String text = new String(tail, 0, kept, StandardCharsets.UTF_8);
        String found = null;
        for (String line : text.split("[\r\n]+")) {
            String l = line.strip();
            if (l.startsWith(PREFIX)) found = l;
        }
        return found == null ? null : org.ctys.spi.ControlChars.escape(found);
    }
}
