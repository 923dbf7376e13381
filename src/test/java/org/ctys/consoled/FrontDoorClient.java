package org.ctys.consoled;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.ctys.testkit.Proc;

/**
 * A user of the console server through a real SSH client we did not write: OpenSSH's {@code ssh}
 * (a process with a pseudo terminal forced on the far side, escapes off) or JSch (an exec channel
 * with a pty). What the daemon sends is collected; what the test types is sent.
 */
abstract class FrontDoorClient implements AutoCloseable {
    private final StringBuffer screen = new StringBuffer();
    final String who;

    FrontDoorClient(String who) { this.who = who; }

    abstract void type(String text);

    /** The session's exit status once it ended (bounded). */
    abstract int exitStatus();

    abstract boolean ended();

    String screen() { return screen.toString(); }

    void reading(InputStream in, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) screen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            } catch (IOException ended) {
                // the session is over
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    String await(String text) { return await(text, 1); }

    /** Waits until the screen shows {@code text} {@code times} times. */
    String await(String text, int times) {
        if (!Proc.await(() -> screen().split(Pattern.quote(text), -1).length > times, Duration.ofSeconds(30))) {
            String s = screen();
            throw new AssertionError(who + " never saw '" + text + "' " + times + "x; the screen ends:\n"
                    + s.substring(Math.max(0, s.length() - 3000)));
        }
        return screen();
    }

    // ---- OpenSSH ----

    static FrontDoorClient ssh(String who, Path key, Path knownHosts, String user, int port, String command) {
        return new OpenSsh(who, key, knownHosts, user, port, command);
    }

    static List<String> sshCommand(Path key, Path knownHosts, String user, int port, boolean pty, String command) {
        List<String> cmd = new ArrayList<>(List.of(Proc.require("ssh", "openssh-client"), "-F", "/dev/null", "-p", Integer.toString(port),
                "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "IdentityAgent=none",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=10", "-e", "none", pty ? "-tt" : "-T",
                user + "@127.0.0.1"));
        if (!command.isEmpty()) cmd.add(command);
        return cmd;
    }

    private static final class OpenSsh extends FrontDoorClient {
        private final Process p;
        private final OutputStream in;

        OpenSsh(String who, Path key, Path knownHosts, String user, int port, String command) {
            super(who);
            try {
                p = new ProcessBuilder(sshCommand(key, knownHosts, user, port, true, command)).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("cannot run ssh: " + e.getMessage(), e);
            }
            in = p.getOutputStream();
            reading(p.getInputStream(), "ssh-" + who);
        }

        @Override
        void type(String text) {
            try {
                in.write(text.getBytes(StandardCharsets.ISO_8859_1));
                in.flush();
            } catch (IOException e) {
                throw new AssertionError(who + "'s ssh does not take input any more: " + e.getMessage() + "\n" + screen(), e);
            }
        }

        @Override
        int exitStatus() {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError(who + "'s ssh did not end; screen:\n" + screen());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return p.exitValue();
        }

        @Override
        boolean ended() { return !p.isAlive(); }

        @Override
        public void close() { Proc.stop(p); }
    }

    // ---- JSch ----

    static FrontDoorClient jsch(String who, Path key, String user, int port, String command) {
        return new Jsch(who, key, user, port, command);
    }

    /** Only logs in (no channel): for a refused key. */
    static void jschLogin(Path key, String user, int port) throws JSchException {
        JSch jsch = new JSch();
        jsch.addIdentity(key.toString());
        Session s = jsch.getSession(user, "127.0.0.1", port);
        s.setConfig("StrictHostKeyChecking", "no");
        s.setConfig("PreferredAuthentications", "publickey");
        try {
            s.connect(10_000);
        } finally {
            s.disconnect();
        }
    }

    private static final class Jsch extends FrontDoorClient {
        private final Session session;
        private final ChannelExec channel;
        private final OutputStream in;

        Jsch(String who, Path key, String user, int port, String command) {
            super(who);
            try {
                JSch jsch = new JSch();
                jsch.addIdentity(key.toString());
                session = jsch.getSession(user, "127.0.0.1", port);
                session.setConfig("StrictHostKeyChecking", "no");
                session.setConfig("PreferredAuthentications", "publickey");
                session.connect(10_000);
                channel = (ChannelExec) session.openChannel("exec");
                channel.setCommand(command);
                channel.setPty(true);
                InputStream out = channel.getInputStream();
                in = channel.getOutputStream();
                channel.connect(10_000);
                reading(out, "jsch-" + who);
            } catch (JSchException | IOException e) {
                throw new AssertionError(who + " could not attach with JSch: " + e.getMessage(), e);
            }
        }

        @Override
        void type(String text) {
            try {
                in.write(text.getBytes(StandardCharsets.ISO_8859_1));
                in.flush();
            } catch (IOException e) {
                throw new AssertionError(who + "'s JSch channel does not take input any more: " + e.getMessage(), e);
            }
        }

        @Override
        int exitStatus() {
            if (!Proc.await(channel::isClosed, Duration.ofSeconds(30))) {
                throw new AssertionError(who + "'s JSch channel did not close; screen:\n" + screen());
            }
            return channel.getExitStatus();
        }

        @Override
        boolean ended() { return channel.isClosed(); }

        @Override
        public void close() {
            channel.disconnect();
            session.disconnect();
        }
    }
}
