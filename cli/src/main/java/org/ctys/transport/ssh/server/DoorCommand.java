package org.ctys.transport.ssh.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * What MINA runs for an exec or shell request: the handler, on a thread of the front door's
 * executor (never on MINA's I/O threads, which serve every session). The handler's return value
 * becomes the exit status; MINA then sends EOF, the status and closes the channel.
 */
final class DoorCommand implements Command {
    /** The exit status when the handler failed instead of returning one. */
    static final int HANDLER_FAILED = 1;

    private final String command;
    private final SessionHandler handler;
    private final ExecutorService sessions;
    private final Duration stallLimit;
    private final Consumer<String> events;
    private final Leaving leaving;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
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

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        DoorSession s = new DoorSession(channel.getSession().getUsername(), command,
                Events.address(channel.getSession().getClientAddress()), (DoorChannel) channel, env, in, out, err,
                stallLimit, events);
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
            try {
                s.err().flush();
            } catch (IOException e) {
                // the client has gone; the channel is closing anyway
            }
            exit.onExit(status);
        }
    }

    /** MINA ends the channel (client left, the door closing): the handler sees end of input and failing writes. */
    @Override
    public void destroy(ChannelSession channel) {
        DoorSession s = session;
        if (s != null) s.close();
    }
}
