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

    @Override
    public void close() {
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
