package org.ctys.consoled;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.ctys.transport.ssh.server.FrontDoorSession;
import org.ctys.transport.ssh.server.OutputQueue;

/**
 * A front-door session without SSH, for the daemon's parts that only write to a user: nothing
 * typed, output to {@code out}, written on a thread of its own (see {@link StreamSink}).
 */
final class FakeSession implements FrontDoorSession {
    private final String user;
    private final OutputQueue queue;
    private final OutputStream out;

    FakeSession(String user, OutputStream out) {
        this.user = user;
        this.queue = new OutputQueue(new StreamSink(out, user), Duration.ofMinutes(1), failure -> { }, stalled -> { });
        this.out = queue.blocking();
    }

    @Override public String user() { return user; }
    @Override public String command() { return "lab07"; }
    @Override public boolean terminal() { return true; }
    @Override public int columns() { return 80; }
    @Override public int rows() { return 24; }
    @Override public InputStream in() { return InputStream.nullInputStream(); }
    @Override public OutputStream out() { return out; }
    @Override public OutputStream err() { return out; }
    @Override public OutputQueue queue() { return queue; }
    @Override public void onResize(BiConsumer<Integer, Integer> listener) {}
    @Override public void close() {}
}
