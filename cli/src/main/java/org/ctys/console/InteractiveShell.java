package org.ctys.console;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.ctys.transport.ssh.ShellChannel;
import org.ctys.transport.ssh.SshFailure;
import org.jline.terminal.Size;

/**
 * An interactive shell on one target, bridged to the local terminal as {@code ssh -t host} does:
 * the remote gets a pseudo terminal of the local type, size and modes, the local terminal is raw
 * while the shell runs and is restored on every way out, and a window change reaches the remote.
 * When standard input is not a terminal, bytes are copied as they are and no pseudo terminal is
 * asked for unless -z PTY forces one.
 */
public final class InteractiveShell {

    /** Starts the remote shell with the pseudo terminal given (null: none), writing to {@code out} and {@code err}. */
    @FunctionalInterface
    public interface Opener {
        ShellChannel open(ShellChannel.Pty pty, OutputStream out, OutputStream err) throws SshFailure;
    }

    private InteractiveShell() {}

    /**
     * Runs the shell to its end and returns its exit status (0..255).
     *
     * @param pty -z PTY (true), -z NOPTY (false) or neither (null: a pseudo terminal when stdin is a terminal)
     */
    public static int run(Opener opener, Boolean pty) throws SshFailure {
        return run(opener, pty, null);
    }

    /**
     * @param onInterrupt called when a SIGINT arrives while the terminal is raw (it comes from
     *                    another process: the keyboard's Ctrl-C goes to the remote); null: as JLine
     *                    handles it by default
     */
    public static int run(Opener opener, Boolean pty, Runnable onInterrupt) throws SshFailure {
        OutputStream out = unclosable(new FileOutputStream(FileDescriptor.out));
        OutputStream err = unclosable(new FileOutputStream(FileDescriptor.err));
        if (!LocalTerminal.stdinIsTerminal() || Boolean.FALSE.equals(pty)) {
            ShellChannel.Pty forced = Boolean.TRUE.equals(pty) ? new ShellChannel.Pty(
                    System.getenv().getOrDefault("TERM", "dumb"), 80, 24, Map.of()) : null;
            try (ShellChannel shell = opener.open(forced, out, err)) {
                return pump(System.in, shell, false);
            }
        }
        LocalTerminal local;
        try {
            local = onInterrupt == null ? LocalTerminal.open() : LocalTerminal.open(onInterrupt);
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.CONFIG, "cannot use the local terminal: " + e.getMessage(), e);
        }
        try (local) {
            Size size = local.size();
            int columns = size.getColumns() > 0 ? size.getColumns() : 80;
            int rows = size.getRows() > 0 ? size.getRows() : 24;
            try (ShellChannel shell = opener.open(new ShellChannel.Pty(local.type(), columns, rows, local.modes()), out, err)) {
                local.enterRaw();
                local.onResize(shell::resize);
                Size now = local.size();
                if (now.getColumns() != columns || now.getRows() != rows) shell.resize(now.getColumns(), now.getRows());
                return pump(local.terminal().input(), shell, true);
            }
        }
    }

    /** The channel closes its streams when the shell ends; the process's own must stay open. */
    private static OutputStream unclosable(OutputStream o) {
        return new java.io.FilterOutputStream(o) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

            @Override
            public void close() throws IOException { out.flush(); }
        };
    }

    /**
     * Copies input to the shell on a daemon thread until the shell ends, and returns its status.
     * End of input is passed on (the remote sees EOF) without ending the wait: the shell may
     * still print. On a terminal the thread polls, so it stops with the shell instead of
     * holding a read that would swallow the next key typed.
     */
    private static int pump(InputStream in, ShellChannel shell, boolean terminal) throws SshFailure {
        OutputStream to = shell.stdin();
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread copier = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                while (!done.get()) {
                    int n = TypedInput.read(in, buf, terminal);
                    if (n < 0) break;
                    if (n == TypedInput.NOTHING_YET) continue;
                    to.write(buf, 0, n);
                    to.flush();
                }
                if (!done.get()) to.close();
            } catch (IOException e) {
                // the shell has ended or the connection is gone: waitFor says which
            }
        }, "ctys-shell-stdin");
        copier.setDaemon(true);
        copier.start();
        try {
            return shell.waitFor();
        } finally {
            done.set(true);
        }
    }
}
