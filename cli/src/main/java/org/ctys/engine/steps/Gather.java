package org.ctys.engine.steps;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.ctys.engine.run.LocalCommand;
import org.ctys.engine.run.Shells;
import org.ctys.spi.Captured;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;

/** A command whose output ctys reads itself (a state, a list of guests): kept in memory up to a cap. */
final class Gather {

    private Gather() {}

    /** @param remote null: this host, without SSH */
    static Output run(RunContext ctx, Remote remote, String command, Duration timeout, int cap) throws Shells.Failure {
        return run(ctx, remote, command, timeout, null, cap);
    }

    /** @param input what the command reads on its standard input (null: nothing) */
    static Output run(RunContext ctx, Remote remote, String command, Duration timeout, byte[] input, int cap)
            throws Shells.Failure {
        Capped out = new Capped(cap);
        Capped err = new Capped(cap);
        Output ended = remote == null ? LocalCommand.run(command, timeout, input, out, err)
                : ctx.shells().exec(remote, command, timeout, input, out, err);
        return new Output(out.captured(), err.captured(), ended.exitStatus(), ended.exitSignal());
    }

    /** Keeps the first {@code cap} bytes and counts the rest as dropped. */
    static final class Capped extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int cap;
        private long dropped;

        Capped(int cap) { this.cap = cap; }

        @Override
        public synchronized void write(int b) {
            if (kept.size() < cap) kept.write(b);
            else dropped++;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.max(0, Math.min(len, cap - kept.size()));
            kept.write(b, off, room);
            dropped += len - room;
        }

        synchronized Captured captured() { return Captured.of(kept.toByteArray(), dropped); }
    }
}
