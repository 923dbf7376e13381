package org.ctys.transport.ssh;

import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;

/**
 * A local port forward (like {@code ssh -L 127.0.0.1:0:host:port}): connections to
 * {@link #localPort()} on 127.0.0.1 reach {@code host:port} as seen from the target, through the
 * target's session and so through its jump hosts. Closing it stops listening; the session stays
 * for other commands.
 */
public final class Forward implements AutoCloseable {

    private final ExplicitPortForwardingTracker tracker;
    private final String remote;
    private final java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();

    Forward(ExplicitPortForwardingTracker tracker, String remote) {
        this.tracker = tracker;
        this.remote = remote;
    }

    /** The port listening on 127.0.0.1, chosen by the system. */
    public int localPort() {
        return tracker.getBoundAddress().getPort();
    }

    /** Whether the forward still listens: closed by the caller or with its session. */
    public boolean isOpen() {
        return tracker.isOpen() && tracker.getClientSession().isOpen();
    }

    /**
     * Runs {@code then} once when the forward stops listening or its session (or a hop under it)
     * closes, whichever comes first; at once if that has already happened.
     */
    public void whenClosed(Runnable then) {
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) then.run();
        };
        tracker.getClientSession().addCloseFutureListener(f -> once.run());
        closed.thenRun(once);
        if (!isOpen()) once.run();
    }

    @Override
    public void close() {
        closed.complete(null);
        try {
            tracker.close();
        } catch (Exception e) {
            // The session is already gone and took the listener with it.
        }
    }

    @Override
    public String toString() {
        return "127.0.0.1:" + localPort() + " -> " + remote;
    }
}
