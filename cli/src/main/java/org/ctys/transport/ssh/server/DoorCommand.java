package org.ctys.transport.ssh.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionAware;
import org.apache.sshd.server.channel.PipeDataReceiver;
import org.apache.sshd.server.command.AsyncCommandStreamsAware;
import org.apache.sshd.server.command.Command;

/**
 * What MINA runs for an exec or shell request: the handler, on a thread of the front door's
 * executor (never on MINA's I/O threads, which serve every session). The handler's return value
 * becomes the exit status; once what it wrote has gone out, MINA sends EOF, the status and closes
 * the channel.
 *
 * <p>Output goes through MINA's non-blocking channel streams, each behind an {@link OutputQueue}:
 * a console's bytes are written by the thread that read them, never waiting for the client. Input
 * stays a blocking stream (the handler's thread waits in it for what the user types): the command
 * installs MINA's pipe receiver itself, before MINA would hand it a non-blocking one.
 */
final class DoorCommand implements Command, AsyncCommandStreamsAware, ChannelSessionAware {
    /** The exit status when the handler failed instead of returning one. */
    static final int HANDLER_FAILED = 1;

    private final String command;
    private final SessionHandler handler;
    private final ExecutorService sessions;
    private final Duration stallLimit;
    private final Consumer<String> events;
    private final Leaving leaving;
    private InputStream in;
    private IoOutputStream out;
    private IoOutputStream err;
    private ExitCallback exit;
    private volatile DoorSession session;

    DoorCommand(String command, SessionHandler handler, ExecutorService sessions, Duration stallLimit, Consumer<String> events,
                Leaving leaving) {
        this.command = command;
        this.leaving = leaving;
        this.handler = handler;
        this.sessions = sessions;
        this.stallLimit = stallLimit;
        this.events = events;
    }

    /** Called before the streams are set up: input through a blocking pipe, installed here. */
    @Override
    public void setChannelSession(ChannelSession channel) {
        PipeDataReceiver pipe = new PipeDataReceiver(channel, channel.getLocalWindow());
        channel.setDataReceiver(pipe);
        this.in = pipe.getIn();
    }

    @Override
    public void setIoOutputStream(IoOutputStream out) {
        this.out = out;
    }

    @Override
    public void setIoErrorStream(IoOutputStream err) {
        this.err = err;
    }

    /** Never called: the command installs its input itself ({@link #setChannelSession}). */
    @Override
    public void setIoInputStream(org.apache.sshd.common.io.IoInputStream in) {
        throw new IllegalStateException("the front door reads input through its own pipe");
    }

    /** Never called: MINA gives a command that takes its non-blocking streams those ({@link #setIoOutputStream}). */
    @Override
    public void setInputStream(InputStream in) {
        throw new IllegalStateException("the front door reads input through its own pipe");
    }

    /** Never called, as {@link #setInputStream}. */
    @Override
    public void setOutputStream(OutputStream out) {
        throw new IllegalStateException("the front door writes through MINA's non-blocking streams");
    }

    /** Never called, as {@link #setInputStream}. */
    @Override
    public void setErrorStream(OutputStream err) {
        throw new IllegalStateException("the front door writes through MINA's non-blocking streams");
    }

    /**
     * A stream of MINA's as the queue's sink. Each write is made as MINA's own threads make theirs:
     * during a key exchange MINA then queues it instead of blocking the writer until the exchange
     * ends (a client that starts one and never finishes would hold a console's reader).
     */
    static OutputQueue.Sink sink(IoOutputStream stream) {
        return (data, done) -> {
            IoWriteFuture f;
            try {
                f = ThreadUtils.runAsInternal(() -> stream.writeBuffer(new ByteArrayBuffer(data)));
            } catch (Exception e) {
                done.accept(e);
                return;
            }
            f.addListener(w -> done.accept(w.isWritten() ? null
                    : w.getException() != null ? w.getException() : new IOException("not written: the channel is closing")));
        };
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        DoorSession s = new DoorSession(channel.getSession().getUsername(), command,
                Events.address(channel.getSession().getClientAddress()), (DoorChannel) channel, env, in, sink(out), sink(err),
                () -> abort(out, err), stallLimit, events);
        session = s;
        // counted from its start: a handler that returns while the door is closing must still get its
        // exit status out (the daemon waits for its handlers, then closes the door: between a handler's
        // return and a count taken then, the door would have seen nothing to wait for)
        leaving.add(channel);
        try {
            sessions.execute(() -> serve(s, channel));
        } catch (RejectedExecutionException e) {
            throw new IOException("the front door is closing", e);
        }
    }

    private void serve(DoorSession s, ChannelSession channel) {
        Thread self = Thread.currentThread();
        String name = self.getName();
        self.setName("ctys-door " + s.describe());
        int status = HANDLER_FAILED;
        try {
            status = handler.serve(s);
        } catch (IOException | RuntimeException e) {
            if (!s.closed()) events.accept("session of " + s.describe() + " failed: " + e);
        } finally {
            self.setName(name);
            // what was written goes out before the EOF and the status (MINA sends those at once); a
            // client that takes nothing within the stall limit is dropped instead
            try {
                s.out().flush();
                s.err().flush();
            } catch (IOException e) {
                // the client has gone, or was dropped; the channel is closing anyway
            }
            exit.onExit(status);
        }
    }

    /** Ends the writes under way at once: a dropped client's last write would hold the channel's close for good. */
    private static void abort(IoOutputStream... streams) {
        for (IoOutputStream stream : streams) stream.close(true);
    }

    /** MINA ends the channel (client left, the door closing): the handler sees end of input and failing writes. */
    @Override
    public void destroy(ChannelSession channel) {
        DoorSession s = session;
        if (s != null) s.close();
    }
}
