package org.ctys.transport.ssh.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.Signal;

/** One exec or shell request, as the handler sees it. */
final class DoorSession implements FrontDoorSession {
    private static final int DEFAULT_COLUMNS = 80;
    private static final int DEFAULT_ROWS = 24;

    private final String user;
    private final String command;
    private final String from;
    private final DoorChannel channel;
    private final Environment env;
    private final InputStream in;
    private final OutputQueue queue;
    private final OutputStream out;
    private final OutputStream err;
    private final Consumer<String> events;
    private final Runnable abortWrites;
    private final List<BiConsumer<Integer, Integer>> resized = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    DoorSession(String user, String command, String from, DoorChannel channel, Environment env, InputStream in,
                OutputQueue.Sink out, OutputQueue.Sink err, Runnable abortWrites, Duration stallLimit, Consumer<String> events) {
        this.user = user;
        this.command = command;
        this.from = from;
        this.channel = channel;
        this.env = env;
        this.in = in;
        this.events = events;
        this.abortWrites = abortWrites;
        // a write that failed leaves the session broken: it is closed, so that the handler's input ends too
        this.queue = new OutputQueue(out, stallLimit, failure -> close(), this::dropStalled);
        this.out = queue.blocking();
        // with a pseudo terminal there is one stream, as sshd gives a program on a pty
        this.err = channel.terminal() ? this.out
                : new OutputQueue(err, stallLimit, failure -> close(), this::dropStalled).blocking();
        env.addSignalListener((ch, signal) -> windowChanged(), Signal.WINCH);
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public boolean terminal() {
        return channel.terminal();
    }

    @Override
    public int columns() {
        return size(Environment.ENV_COLUMNS, DEFAULT_COLUMNS);
    }

    @Override
    public int rows() {
        return size(Environment.ENV_LINES, DEFAULT_ROWS);
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public OutputStream err() {
        return err;
    }

    @Override
    public OutputQueue queue() {
        return queue;
    }

    /** Called on MINA's I/O thread: listeners must not block (take the size and hand it on). */
    @Override
    public void onResize(BiConsumer<Integer, Integer> listener) {
        resized.add(listener);
    }

    /**
     * A graceful close: MINA ends the input, gives the handler a moment to return (its exit status
     * is not sent once the channel closes), then sends SSH_MSG_CHANNEL_CLOSE, so that the client
     * learns of it; an immediate close would only forget the channel on this side.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            channel.close(false);
        }
    }

    boolean closed() {
        return closed.get() || channel.isClosing();
    }

    /** Who and what, for the front door's one-line events. */
    String describe() {
        return Events.printable(user) + " from " + from + " (" + (command.isEmpty() ? "shell" : "'" + Events.printable(command) + "'") + ")";
    }

    private void windowChanged() {
        int c = columns();
        int r = rows();
        for (BiConsumer<Integer, Integer> l : resized) {
            try {
                l.accept(c, r);
            } catch (RuntimeException e) {
                events.accept("window-change listener of " + describe() + " failed: " + e);
            }
        }
    }

    private void dropStalled(Duration limit) {
        if (!closed()) {
            events.accept("dropped the session of " + describe() + ": the client read nothing for "
                    + limit.toSeconds() + " s");
        }
        // the write the client never took would hold the graceful close (MINA waits for it): ended first
        abortWrites.run();
        close();
    }

    private int size(String name, int otherwise) {
        try {
            int v = Integer.parseInt(env.getEnv().getOrDefault(name, ""));
            return v > 0 ? v : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
