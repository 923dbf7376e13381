package org.ctys.consoled;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.ctys.exit.CtysException;
import org.ctys.transport.ssh.server.SshFrontDoor;
import sun.misc.Signal;

/**
 * The running daemon: the front door listening, every console open, the pid file written; SIGHUP
 * rereads the configuration (an invalid one is reported and the running one kept), SIGTERM and
 * SIGINT stop it cleanly ("daemon stopping" marked in every log, every user told).
 */
final class Daemon {
    /** How long a stopping daemon waits for its sessions' last words (the reason, their exit status) to go out. */
    static final long GOODBYE_MILLIS = 10_000;


    private enum Event { RELOAD, STOP }

    private Daemon() {}

    static int run(DaemonConfig config, Logins logins, Supplier<DaemonConfig> reread, Say say) {
        // guest consoles look their hosts up in the inventory of the configuration in force
        AtomicReference<DaemonConfig> current = new AtomicReference<>(config);
        try (Openers openers = new Openers(() -> current.get().inventory(), Openers.sshOptions(say::line))) {
            return run(config, logins, reread, openers, current, say);
        }
    }

    private static int run(DaemonConfig config, Logins logins, Supplier<DaemonConfig> reread, EndpointOpener opener,
                           AtomicReference<DaemonConfig> current, Say say) {
        Clock clock = Clock.systemUTC();
        try {
            LogFiles.makeDirectory(config.logDir());
        } catch (IOException e) {
            say.line("cannot use the log directory " + config.logDir() + ": " + e.getMessage());
            return Consoled.CONFIG;
        }
        Hub hub = new Hub(opener, (cfg, name) -> DiskJournal.open(cfg, name, clock), say, clock, Pause::real);
        Commands commands = new Commands(hub, say, clock, Commands.QUEUE_LIMIT);
        String where = (config.listenHost().contains(":") ? "[" + config.listenHost() + "]" : config.listenHost()) + ":"
                + config.listenPort();
        SshFrontDoor door;
        try {
            door = SshFrontDoor.start(new InetSocketAddress(config.listenHost(), config.listenPort()), config.hostKey(), logins,
                    commands, new SshFrontDoor.Settings(SshFrontDoor.Settings.DEFAULT.stallLimit(), say::line));
        } catch (IOException | RuntimeException e) {
            say.line("cannot listen on " + where + ": " + e.getMessage());
            return Consoled.CONFIG;
        }
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try {
            hub.start(config);
        } catch (IOException e) {
            door.close();
            say.line("cannot open a console's log in " + config.logDir() + ": " + e.getMessage());
            return Consoled.CONFIG;
        }
        // SIGWINCH too: bin/ctys-consoled passes SIGHUP on as SIGWINCH, since jSerialComm makes the
        // whole process ignore SIGHUP once it loads, and a JVM cannot handle an ignored signal
        handle("HUP", () -> events.add(Event.RELOAD), say);
        handle("WINCH", () -> events.add(Event.RELOAD), say);
        handle("TERM", () -> events.add(Event.STOP), say);
        handle("INT", () -> events.add(Event.STOP), null);
        writePid(config.pidFile(), say);
        say.line("listening on " + (config.listenHost().contains(":") ? "[" + config.listenHost() + "]" : config.listenHost())
                + ":" + door.port() + " (host key " + door.hostKeyFingerprint() + "), " + config.consoles().size()
                + (config.consoles().size() == 1 ? " console" : " consoles") + ", logs in " + config.logDir());
        DaemonConfig running = config;
        while (true) {
            Event e;
            try {
                e = events.take();
            } catch (InterruptedException ie) {
                e = Event.STOP;
            }
            if (e == Event.STOP) break;
            running = reload(running, reread, hub, logins, door, current, say);
        }
        say.line("stopping");
        hub.close("daemon stopping");
        commands.awaitSessions(GOODBYE_MILLIS);
        door.close();
        try {
            Files.deleteIfExists(config.pidFile());
        } catch (IOException ignored) {
            // a stale pid file names a process that is gone; --reload says so
        }
        say.line("stopped");
        return Consoled.OK;
    }

    private static DaemonConfig reload(DaemonConfig running, Supplier<DaemonConfig> reread, Hub hub, Logins logins,
                                       SshFrontDoor door, AtomicReference<DaemonConfig> current, Say say) {
        DaemonConfig next;
        Logins keys;
        try {
            next = reread.get();
            keys = Logins.read(next);
        } catch (CtysException e) {
            say.line("reload refused, the running configuration stays: " + e.getMessage());
            return running;
        }
        for (String unchanged : restartOnly(running, next)) say.line(unchanged + " changed: it takes effect when the daemon restarts");
        logins.replace(keys);
        current.set(next); // before the new consoles open: a new guest console's host is in the new inventory
        say.line(hub.reload(next).summary());
        // a key taken away takes its connections with it, and the consoles they are attached to
        int dropped = door.dropRevoked();
        if (dropped > 0) say.line(dropped + (dropped == 1 ? " connection" : " connections") + " closed: their keys are no longer accepted");
        return next;
    }

    /** What a reload cannot change under a running daemon. */
    private static java.util.List<String> restartOnly(DaemonConfig a, DaemonConfig b) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (!a.listenHost().equals(b.listenHost()) || a.listenPort() != b.listenPort()) out.add("listen");
        if (!a.hostKey().equals(b.hostKey())) out.add("host-key");
        if (!a.pidFile().equals(b.pidFile())) out.add("pid-file");
        if (!a.logDir().equals(b.logDir())) out.add("log-dir (consoles added from now on log to the new one)");
        return out;
    }

    private static void handle(String signal, Runnable action, Say say) {
        try {
            Signal.handle(new Signal(signal), s -> action.run());
        } catch (IllegalArgumentException e) {
            // the JVM leaves a signal alone that was ignored when it started (nohup, a background job's SIGINT), or with -Xrs
            if (say != null) say.line("SIG" + signal + " cannot be handled (" + e.getMessage() + "; was it ignored by whoever started the daemon?)");
        }
    }

    /**
     * The process that --reload and systemd signal: bin/ctys-consoled, the JVM's parent, when it
     * started the daemon (it passes the signals on); else the JVM itself.
     */
    private static long signalled() {
        String launcher = System.getenv("CTYS_CONSOLED_LAUNCHER");
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        if (launcher != null && launcher.equals(Long.toString(parent))) return parent;
        return ProcessHandle.current().pid();
    }

    /** Written aside and renamed into place: --reload never reads half a pid. */
    private static void writePid(Path file, Say say) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, signalled() + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            say.line("cannot write the pid file " + file + " (--reload will not find this daemon): " + e.getMessage());
        }
    }
}
