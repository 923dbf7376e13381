package org.ctys.transport.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * One authenticated session to a target plus the jump sessions and forwards it rides on. Every
 * exec gets its own channel; the number of channels open at once is capped because OpenSSH's
 * MaxSessions (default 10) refuses more and a refused channel would fail the command.
 */
final class Connection implements AutoCloseable {

    static final int MAX_CHANNELS = 10;

    private final Hop target;
    private final ClientSession session;
    private final List<AutoCloseable> underneath;
    private final Semaphore channels = new Semaphore(MAX_CHANNELS, true);

    /** {@code underneath}: jump sessions and forwards, closed after the session, last opened first. */
    Connection(Hop target, ClientSession session, List<AutoCloseable> underneath) {
        this.target = target;
        this.session = session;
        this.underneath = List.copyOf(underneath);
        session.addCloseFutureListener(f -> closeUnderneath());
    }

    /** The session itself, for channels other than exec (an interactive shell). */
    ClientSession session() { return session; }

    boolean isOpen() {
        return session.isOpen() && !session.isClosing();
    }

    /**
     * @param pty          run the command on a pseudo terminal (like {@code ssh -t}); its stderr then arrives
     *                     merged into stdout, as the terminal has only one output
     * @param forwardAgent ask the server for an agent socket the command can reach (like {@code ssh -A})
     * @param out          receives the command's output as it arrives (the result carries none)
     * @param err          receives its error output
     */
    ExecResult exec(String command, Duration timeout, boolean pty, boolean forwardAgent, OutputStream out, OutputStream err)
            throws SshFailure {
        return exec(command, timeout, pty, forwardAgent, null, out, err);
    }

    /**
     * As above, with {@code input} (null: none) written to the command's standard input before it
     * is closed: the command reads those bytes, then end of input.
     */
    /** How much of a command's input is written between two looks at its bound. */
    private static final int INPUT_PIECE = 32 * 1024;

    ExecResult exec(String command, Duration timeout, boolean pty, boolean forwardAgent, byte[] input, OutputStream out,
                    OutputStream err) throws SshFailure {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try {
            if (!channels.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new SshFailure(SshFailure.Kind.TIMEOUT, where() + ": no free SSH channel within "
                        + Durations.text(timeout) + " (" + MAX_CHANNELS + " commands already running on this host)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshFailure(SshFailure.Kind.TIMEOUT, where() + ": interrupted", e);
        }
        ChannelExec channel = null;
        // once the channel is asked for, the command may run: it goes with the server's confirmation
        boolean sent = false;
        try {
            long backoff = 25;
            while (true) {
                channel = session.createExecChannel(command);
                channel.setUsePty(pty);
                if (forwardAgent) session.setAttribute(AgentSocketFactory.ASKED, Boolean.TRUE);
                channel.setAgentForwarding(forwardAgent);
                channel.setOut(out);
                channel.setErr(err);
                // writing the input waits for the server's window: within the command's bound, not MINA's 30 s per wait
                org.apache.sshd.core.CoreModuleProperties.WAIT_FOR_SPACE_TIMEOUT.set(channel,
                        Duration.ofMillis(Math.max(1, remainingMillis(deadline))));
                OpenFuture opened = channel.open();
                sent = true;
                if (!opened.await(remainingMillis(deadline))) {
                    throw timeout(timeout, " (the server did not answer the opening of its channel)");
                }
                if (opened.isOpened()) {
                    break;
                }
                channel.close(true);
                channel = null;
                Throwable why = opened.getException();
                // the server's refusal of the channel: it never took the command; any other failure of the
                // opening may have come after MINA sent the command with the confirmation
                if (refused(why)) sent = false;
                if (!isOpen()) {
                    throw lost(why);
                }
                // The server counts a channel until its command has exited and the close went both ways,
                // which can lag behind our own count; a refusal for that reason passes, so try again.
                if (!busy(why) || deadline - System.nanoTime() < TimeUnit.MILLISECONDS.toNanos(backoff)) {
                    throw new SshFailure(SshFailure.Kind.CONNECT, where() + " refused to run a command: "
                            + Durations.reason(why), why);
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SshFailure(SshFailure.Kind.TIMEOUT, where() + ": interrupted", e);
                }
                backoff = Math.min(backoff * 2, 500);
            }
            // Commands that read stdin must see end of input rather than wait for it.
            // in pieces, the command's bound checked between them: each wait for the server's window is
            // bounded by what was left at the open, and a server that reads slowly must not stretch that
            OutputStream stdin = channel.getInvertedIn();
            try {
                for (int at = 0; input != null && at < input.length; at += INPUT_PIECE) {
                    if (System.nanoTime() - deadline > 0) throw new java.net.SocketTimeoutException();
                    stdin.write(input, at, Math.min(INPUT_PIECE, input.length - at));
                    stdin.flush();
                }
                stdin.close();
            } catch (java.net.SocketTimeoutException e) {
                // closed without closing the stream first: its close would wait for the window once more
                terminate(channel);
                throw timeout(timeout, " (the server took no more of the command's input)");
            }
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remainingMillis(deadline));
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                terminate(channel);
                throw timeout(timeout, channel.getExitStatus() == null ? ""
                        : " (it exited with status " + channel.getExitStatus() + "; the server did not close its channel)");
            }
            Integer status = channel.getExitStatus();
            String signal = channel.getExitSignal();
            if (status == null && signal == null) {
                throw lost(null);
            }
            return new ExecResult(new byte[0], new byte[0], signal != null ? null : status, signal,
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (SshFailure f) {
            throw sent ? f.sent() : f;
        } catch (IOException e) {
            SshFailure f = isOpen() ? new SshFailure(SshFailure.Kind.DISCONNECTED, where() + ": " + Durations.reason(e), e) : lost(e);
            throw sent ? f.sent() : f;
        } finally {
            if (channel != null) {
                // Immediate close: on a timeout the remote command must not keep the channel busy.
                channel.close(true);
            }
            channels.release();
        }
    }

    /**
     * Starts a command that runs until the caller closes it ({@link WatchChannel}), on one of the
     * channels an exec would use. A watch is something a caller can do without: when every channel is
     * taken, none is waited for and null is returned.
     */
    WatchChannel watch(String command, Duration timeout, OutputStream out, OutputStream err) throws SshFailure {
        if (!channels.tryAcquire()) return null;
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) channels.release();
        };
        try {
            return WatchChannel.open(session, command, out, err, timeout, where(), release);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** Listens on an ephemeral port of 127.0.0.1 and carries each connection to {@code host:port} from the target. */
    Forward forward(String host, int port) throws SshFailure {
        String remote = Hop.hostPort(host, port);
        try {
            ExplicitPortForwardingTracker tracker = session.createLocalPortForwardingTracker(
                    new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(host, port));
            return new Forward(tracker, remote + " via " + where());
        } catch (IOException | RuntimeException e) {
            if (!isOpen()) {
                throw new SshFailure(SshFailure.Kind.DISCONNECTED, where() + ": connection lost before forwarding to "
                        + remote, e);
            }
            throw new SshFailure(SshFailure.Kind.CONNECT, "cannot forward a local port to " + remote + " through "
                    + where() + ": " + Durations.reason(e), e);
        }
    }

    /**
     * Asks the server to send SIGTERM to a command that outlived its timeout (RFC 4254 6.9). Closing
     * the channel alone leaves a command without a terminal running on the host, holding one of the
     * session's channel slots until it ends by itself. Servers that do not honour the request ignore
     * it (OpenSSH refuses it for root logins, which run without privilege separation); the channel
     * is closed either way.
     */
    private void terminate(ChannelExec channel) {
        try {
            Buffer request = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            request.putUInt(channel.getRecipient());
            request.putString("signal");
            request.putBoolean(false);
            request.putString("TERM");
            session.writePacket(request);
        } catch (IOException | RuntimeException e) {
            // The session is going away or the channel already closed: nothing left to stop.
        }
    }

    /** The server refused the channel (SSH_MSG_CHANNEL_OPEN_FAILURE): no command went with it. */
    private static boolean refused(Throwable why) {
        for (Throwable t = why; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SshChannelOpenException) return true;
        }
        return false;
    }

    /**
     * Refusals that can mean "too many channels right now". OpenSSH answers a session over
     * MaxSessions with "open failed" and, depending on the version, administratively prohibited or
     * connect failed; for a session channel neither has another meaning worth failing at once for.
     */
    private static boolean busy(Throwable why) {
        for (Throwable t = why; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SshChannelOpenException e) {
                int code = e.getReasonCode();
                return code == SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED || code == SshConstants.SSH_OPEN_CONNECT_FAILED
                        || code == SshConstants.SSH_OPEN_RESOURCE_SHORTAGE;
            }
        }
        return false;
    }

    /** @param detail what was seen of the command, or "" */
    private SshFailure timeout(Duration timeout, String detail) {
        return new SshFailure(SshFailure.Kind.TIMEOUT, where() + ": command did not finish within " + Durations.text(timeout) + detail);
    }

    private SshFailure lost(Throwable cause) {
        return new SshFailure(SshFailure.Kind.DISCONNECTED, where() + ": connection lost before the command finished", cause);
    }

    private String where() {
        return target.address();
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    @Override
    public void close() {
        session.close(true);
        closeUnderneath();
    }

    private void closeUnderneath() { closeInReverse(underneath); }

    /** Whether it runs over jump hosts or a ProxyCommand, which its close waits for. */
    boolean hasHops() { return !underneath.isEmpty(); }

    /** Closes the hops' sessions and forwards, innermost first; a failure to close has nothing to report. */
    static void closeInReverse(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // closing what carried a dead or failing session
            }
        }
    }
}
