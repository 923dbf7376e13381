package org.ctys.consoled;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.ctys.transport.ssh.server.OutputQueue;

/**
 * A stream as an {@link OutputQueue}'s sink, written on a thread of its own, as MINA completes its
 * writes on threads of its own: a stream that blocks (a client that stopped reading) makes the
 * queue grow, as a full SSH window does, and the giver never waits.
 */
final class StreamSink implements OutputQueue.Sink {
    private final OutputStream out;
    private final ExecutorService thread;

    StreamSink(OutputStream out, String name) {
        this.out = out;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sink-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void write(byte[] data, Consumer<Throwable> done) {
        try {
            thread.execute(() -> {
                try {
                    out.write(data);
                    out.flush();
                } catch (IOException | RuntimeException e) {
                    done.accept(e);
                    return;
                }
                done.accept(null);
            });
        } catch (RejectedExecutionException e) {
            done.accept(e);
        }
    }
}
