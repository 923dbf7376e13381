package org.ctys.engine;

import java.io.OutputStream;
import java.time.Duration;
import org.ctys.console.InteractiveShell;
import org.ctys.engine.run.Shells;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;
import org.ctys.transport.ssh.ExecResult;
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
        GenericOptions.Ssh ssh = options.ssh();
        this.transport = new SshTransport(new SshOptions(ssh.config(), ssh.home(), ssh.acceptNewHostKeys(), CONNECT, AUTH,
                ssh.agentSocket(), options.agentForwarding()));
        this.pty = Boolean.TRUE.equals(options.pty()); // -z PTY; NOPTY and the default run without one
    }

    @Override
    public Output exec(Remote remote, String command, Duration timeout) throws Failure {
        Capture kept = new Capture(CommandOutput.DEFAULT_CAP, new Spool());
        Output ended = exec(remote, command, timeout, kept.out(), kept.err());
        return kept.finish(ended.exitStatus(), ended.exitSignal());
    }

    @Override
    public Output exec(Remote remote, String command, Duration timeout, OutputStream out, OutputStream err) throws Failure {
        try {
            ExecResult r = transport.exec(target(remote), command, timeout, pty, out, err);
            return Output.exitOnly(r.exitStatus(), r.exitSignal());
        } catch (SshFailure f) {
            throw failure(f);
        }
    }

    @Override
    public void login(Remote remote, Duration timeout) throws Failure {
        try {
            transport.login(target(remote), timeout);
        } catch (SshFailure f) {
            throw failure(f);
        }
    }

    @Override
    public int shell(Remote remote, Boolean pty) throws Failure {
        return shell(remote, pty, null);
    }

    @Override
    public int shell(Remote remote, Boolean pty, Runnable onInterrupt) throws Failure {
        try {
            return InteractiveShell.run((p, out, err) -> transport.shell(target(remote), p, out, err, CONNECT.plus(AUTH)), pty,
                    onInterrupt);
        } catch (SshFailure f) {
            throw failure(f);
        }
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

    private static SshTarget target(Remote r) { return new SshTarget(r.host(), r.user(), r.port(), r.jumps()); }

    private static Failure failure(SshFailure f) {
        Failure.Kind kind = switch (f.kind()) {
            case UNKNOWN_HOST_KEY, CHANGED_HOST_KEY, CONFIG -> Failure.Kind.REFUSED;
            case TIMEOUT -> Failure.Kind.TIMEOUT;
            default -> Failure.Kind.FAILED;
        };
        return new Failure(kind, f.getMessage(), f.kind() == SshFailure.Kind.CONFIG ? "ssh-config" : null);
    }

    @Override
    public void close() { transport.close(); }
}
