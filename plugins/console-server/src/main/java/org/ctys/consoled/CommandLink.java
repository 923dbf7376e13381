package org.ctys.consoled;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command ({@code /bin/sh -c}) on a pseudo terminal of this host as a console. Java has no pty
 * API, so util-linux's {@code script -qfec CMD /dev/null} makes one: it runs the command as the
 * leader of a new session on the pty (so {@code tty} names a /dev/pts device and the command gets
 * its SIGHUP like on a terminal), copies the pty to its own pipes at once ({@code -f}), records
 * nothing ({@code /dev/null}) and exits with the command's status ({@code -e}). socat's
 * {@code EXEC:...,pty} would make the pty too, but does not give back the command's exit status,
 * and util-linux is on every Debian machine.
 *
 * <p>A thread per console reads script's output (blocking, in the kernel) into an {@link Inbox}.
 * The command's end makes {@link #read()} throw with its exit status. Closing hangs the command's
 * process group up (SIGHUP, as a terminal that goes away does), gives it {@link #GRACE}, then kills
 * whatever of the group is left, so nothing it started outlives the console.
 */
final class CommandLink implements OpenLink {
    static final Duration GRACE = Duration.ofSeconds(2);
    /** How long the command may take to appear under script; past it the group is found at close, if at all. */
    private static final Duration APPEAR = Duration.ofSeconds(2);

    private final Process script;
    private final Inbox inbox = new Inbox();
    private final Thread pump;
    private final OutputStream input;
    private final String what;
    /** The command's process group: the pid of the shell, which script makes the leader of a new session. */
    private long group;
    private boolean closed;

    private CommandLink(Process script, String what) {
        this.script = script;
        this.what = what;
        this.input = script.getOutputStream();
        this.pump = new Thread(this::pump, "consoled-cmd-" + script.pid());
        pump.setDaemon(true);
    }

    static CommandLink open(Endpoint.Command command) throws IOException {
        String what = command.describe();
        String script = program("script", "bsdutils", what);
        ProcessBuilder pb = new ProcessBuilder(script, "-q", "-f", "-e", "-c", command.commandLine(), "/dev/null");
        pb.environment().put("SHELL", "/bin/sh"); // script runs $SHELL -c
        pb.environment().putIfAbsent("TERM", GuestLink.TERM);
        pb.redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(what + ": cannot start " + script + ": " + e.getMessage(), e);
        }
        CommandLink link = new CommandLink(p, what);
        link.group = link.findGroup();
        link.pump.start();
        return link;
    }

    private long findGroup() {
        long until = System.nanoTime() + APPEAR.toNanos();
        while (script.isAlive() && System.nanoTime() < until) {
            var child = script.children().findFirst();
            if (child.isPresent()) return child.get().pid();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return 0;
    }

    private void pump() {
        byte[] buffer = new byte[8192];
        try (InputStream out = script.getInputStream()) {
            int n;
            while ((n = out.read(buffer)) > 0) inbox.put(buffer, 0, n);
            script.waitFor();
            inbox.end(new IOException(what + ": the command ended with exit status " + script.exitValue()));
        } catch (IOException e) {
            inbox.end(new IOException(what + ": its output could not be read: " + e.getMessage(), e));
        } catch (InterruptedException e) {
            inbox.end(new IOException(what + ": closed"));
        }
    }

    /** The command's process group (its shell's pid); 0 when it was never seen. */
    long group() { return group; }

    @Override
    public void await(long millis) throws InterruptedException { inbox.await(millis); }

    @Override
    public byte[] read() throws IOException { return inbox.take(); }

    @Override
    public void write(byte[] data, int length) throws IOException {
        synchronized (input) {
            try {
                input.write(data, 0, length);
                input.flush();
            } catch (IOException e) {
                throw new IOException(what + ": the command no longer takes input (" + e.getMessage() + ")", e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (group > 0) signalGroup("HUP");
            if (!script.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) script.destroy();
            // what ignored the hang-up (nohup, a trap) or was started beside the shell goes too
            if (group > 0) signalGroup("KILL");
            if (!script.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                script.destroyForcibly();
                script.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            pump.join(GRACE.toMillis());
        } catch (InterruptedException e) {
            script.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            input.close();
        } catch (IOException e) {
            // the command is gone
        }
    }

    /** kill(1) with a negative pid signals the whole group; Java can only signal one process. */
    private void signalGroup(String signal) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder(program("kill", "procps", what), "-s", signal, "--", "-" + group)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) kill.destroyForcibly().waitFor();
        } catch (IOException e) {
            // the group is ended by script's own end below, as far as it can be
        }
    }

    /** The program's absolute path on PATH or in the system directories. */
    static String program(String name, String debianPackage, String what) throws IOException {
        List<String> dirs = new java.util.ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
        }
        throw new IOException(what + ": " + name + " is not installed (Debian package " + debianPackage + ")");
    }
}
