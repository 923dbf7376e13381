package org.ctys.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A virtual X server (Xvfb, no TCP) on the first display number from :91 on that has neither a
 * lock file nor a socket, for the tests of windows and viewers. {@link #close} ends it with
 * SIGTERM, so it removes its lock file and socket and the number is free again.
 */
public final class Xvfb implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(20);

    private final Process process;
    private final int display;

    private Xvfb(Process process, int display) {
        this.process = process;
        this.display = display;
    }

    /** Starts Xvfb with a 1024x768x24 screen; its log goes to {@code log}. Returns once a client can connect. */
    public static Xvfb start(Path log) throws IOException, InterruptedException {
        String xvfb = Proc.require("Xvfb", "xvfb");
        String xwininfo = Proc.require("xwininfo", "x11-utils");
        for (int n = 91; n < 200; n++) {
            if (Files.exists(Path.of("/tmp/.X" + n + "-lock")) || Files.exists(Path.of("/tmp/.X11-unix/X" + n))) continue;
            Process p = new ProcessBuilder(xvfb, ":" + n, "-screen", "0", "1024x768x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            long until = System.nanoTime() + START_LIMIT.toNanos();
            while (System.nanoTime() < until && p.isAlive()) {
                if (Proc.quietly(xwininfo, "-display", ":" + n, "-root").exit() == 0) return new Xvfb(p, n);
                Thread.sleep(100);
            }
            Proc.kill(p);
            // another server took the number between the check and the start: try the next one
            if (!Files.readString(log).contains("already active")) {
                throw new AssertionError("Xvfb :" + n + " did not start: " + Files.readString(log));
            }
        }
        throw new AssertionError("no free X display number between :91 and :199");
    }

    /** The display number: DISPLAY is ":" + this. */
    public int display() {
        return display;
    }

    /** The window tree as {@code xwininfo -root -tree} shows it: titles in double quotes. */
    public String windows() {
        return Proc.quietly(Proc.require("xwininfo", "x11-utils"), "-display", ":" + display, "-root", "-tree").out();
    }

    @Override
    public void close() {
        Proc.stop(process);
    }
}
