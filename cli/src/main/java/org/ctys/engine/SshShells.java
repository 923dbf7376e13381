package org.ctys.engine;

import java.io.OutputStream;
import java.time.Duration;
import org.ctys.console.ConsoleLink;
import org.ctys.console.ConsoleSession;
import org.ctys.engine.run.Shells;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;
import org.ctys.transport.ssh.ExecResult;
import org.ctys.transport.ssh.ShellChannel;
import org.ctys.transport.ssh.SshFailure;
import org.ctys.transport.ssh.SshOptions;
import org.ctys.transport.ssh.SshTarget;
import org.ctys.transport.ssh.SshTransport;

/** The engine's SSH side on the SSH transport: one client and one session per host for the run. */
final class SshShells implements Shells {
    static final Duration CONNECT = Duration.ofSeconds(10);
    static final Duration AUTH = Duration.ofSeconds(10);

    private final SshTransport transport;
    private final boolean pty;

    SshShells(GenericOptions options) {
        this.transport = transport(options);
        this.pty = Boolean.TRUE.equals(options.pty()); // -z PTY; NOPTY and the default run without one
    }

    /** The SSH transport as the options configure it. */
    private static SshTransport transport(GenericOptions options) {
        GenericOptions.Ssh ssh = options.ssh();
        return new SshTransport(new SshOptions(ssh.config(), ssh.home(), ssh.acceptNewHostKeys(), CONNECT, AUTH,
                ssh.agentSocket(), options.agentForwarding()));
    }

    @Override
    public Output exec(Remote remote, String command, Duration timeout) throws Failure {
        Capture kept = new Capture(CommandOutput.DEFAULT_CAP, new Spool());
        Output ended = exec(remote, command, timeout, kept.out(), kept.err());
        return kept.finish(ended.exitStatus(), ended.exitSignal());
    }

    @Override
    public Output exec(Remote remote, String command, Duration timeout, OutputStream out, OutputStream err) throws Failure {
        return exec(remote, command, timeout, null, out, err);
    }

    @Override
    public Output exec(Remote remote, String command, Duration timeout, byte[] input, OutputStream out, OutputStream err)
            throws Failure {
        try {
            // input is bytes for the command, never keystrokes: a pseudo terminal would echo and interpret them (^C, ^D)
            ExecResult r = transport.exec(target(remote), command, timeout, pty && input == null, input, out, err);
            return Output.exitOnly(r.exitStatus(), r.exitSignal());
        } catch (SshFailure f) {
            throw failure(f);
        }
    }

    @Override
    public Watch watch(Remote remote, String command, Duration open, OutputStream out, OutputStream err) throws Failure {
        org.ctys.transport.ssh.WatchChannel w;
        try {
            w = transport.watch(target(remote), command, open, out, err);
        } catch (SshFailure f) {
            throw failure(f);
        }
        if (w == null) return null;
        return new Watch() {
            @Override
            public boolean isOpen() { return w.isOpen(); }

            @Override
            public void close() { w.close(); }
        };
    }

    @Override
    public void check(Remote remote) throws Failure {
        try {
            transport.check(target(remote));
        } catch (SshFailure f) {
            throw failure(f);
        }
    }

    @Override
    public void hold(Remote remote) { transport.hold(target(remote)); }

    @Override
    public void release(Remote remote) { transport.release(target(remote)); }

    @Override
    public void login(Remote remote, Duration timeout) throws Failure {
        try {
            transport.login(target(remote), timeout);
        } catch (SshFailure f) {
            throw failure(f);
        }
    }

    @Override
    public ConsoleLink shell(Remote remote, ConsoleSession.Pty pty) throws Failure {
        ShellLink link = ShellLink.collecting();
        ShellChannel.Pty asked = pty == null ? null : new ShellChannel.Pty(pty.term(), pty.columns(), pty.rows(), pty.modes());
        try {
            return link.on(transport.shell(target(remote), asked, link.output(), STANDARD_ERROR, CONNECT.plus(AUTH)));
        } catch (SshFailure f) {
            throw failure(f);
        }
    }

    @Override
    public ConsoleLink console(Remote remote, String command, ConsoleSession.Pty pty, Duration start) throws Failure {
        String term = pty != null ? pty.term() : System.getenv().getOrDefault("TERM", "xterm");
        int columns = pty != null ? pty.columns() : 80;
        int rows = pty != null ? pty.rows() : 24;
        org.ctys.transport.ssh.ConsoleChannel channel;
        try {
            channel = transport.console(target(remote), command, term, columns, rows, CONNECT.plus(AUTH).plus(start));
        } catch (SshFailure f) {
            throw failure(f);
        }
        return new ConsoleLink() {
            @Override
            public byte[] read() throws java.io.IOException {
                try {
                    return channel.read();
                } catch (org.ctys.transport.ssh.ConsoleChannel.Ended e) {
                    // status 0: the hypervisor's console ended as asked (its own escape); anything else ended it for the user
                    if (Integer.valueOf(0).equals(e.exitStatus())) throw new ConsoleLink.Ended(0);
                    throw new ConsoleLink.Lost(e.getMessage(), e.exitStatus(), e);
                }
            }

            @Override
            public void write(byte[] data, int length) throws java.io.IOException { channel.write(data, length); }

            @Override
            public void resize(int columns, int rows) { channel.resize(columns, rows); }
        };
    }

    @Override
    public Tunnel forward(Remote remote, String host, int port) throws Failure {
        try {
            org.ctys.transport.ssh.Forward f = transport.forward(target(remote), host, port);
            return new Tunnel() {
                @Override
                public int localPort() { return f.localPort(); }

                @Override
                public boolean isOpen() { return f.isOpen(); }

                @Override
                public void whenClosed(Runnable then) { f.whenClosed(then); }

                @Override
                public void close() { f.close(); }
            };
        } catch (SshFailure f) {
            throw failure(f);
        }
    }

    /** Without a pseudo terminal the shell's error output is this process's; the channel must not close it. */
    private static final OutputStream STANDARD_ERROR = new java.io.FilterOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.err)) {
        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException { out.write(b, off, len); }

        @Override
        public void close() throws java.io.IOException { out.flush(); }
    };

    static SshTarget target(Remote r) { return new SshTarget(r.host(), r.user(), r.port(), r.jumps()); }

    static Failure failure(SshFailure f) {
        Failure.Kind kind = switch (f.kind()) {
            case UNKNOWN_HOST_KEY, CHANGED_HOST_KEY, CONFIG -> Failure.Kind.REFUSED;
            case TIMEOUT -> Failure.Kind.TIMEOUT;
            default -> Failure.Kind.FAILED;
        };
        return new Failure(kind, f.getMessage(), f.kind() == SshFailure.Kind.CONFIG ? "ssh-config" : null, f.commandSent());
    }

    @Override
    public void close() { transport.close(); }
}
