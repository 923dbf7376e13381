package org.ctys.testkit;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A serial line made of a pseudo-terminal pair: {@code socat pty,raw,echo=0 pty,raw,echo=0}. What is
 * written to one end comes out of the other, as on a null-modem cable. {@link #line()} is the end
 * ctys opens; {@link #far()} is the machine's side, which the test reads and writes. Started and
 * awaited (socat says "starting data transfer loop" once both ptys exist); {@link #vanish()} kills
 * socat as a pulled USB adapter would take the line away; {@link #close()} stops it and waits.
 */
public final class SocatPty implements AutoCloseable {
    private final Process socat;
    private final Path line;
    private final Path far;
    private final StringBuffer farRead = new StringBuffer();
    private InputStream farIn;
    private Thread reader;

    private SocatPty(Process socat, Path line, Path far) {
        this.socat = socat;
        this.line = line;
        this.far = far;
    }

    /** Two ptys linked as {@code dir/line} and {@code dir/far}. */
    public static SocatPty start(Path dir) {
        String socat = Proc.require("socat", "socat");
        Path line = dir.resolve("line");
        Path far = dir.resolve("far");
        StringBuffer stderr = new StringBuffer();
        Process p = Proc.startAwaiting("starting data transfer loop", stderr, List.of(Proc.require("timeout", "coreutils"),
                "600", socat, "-d", "-d", "pty,raw,echo=0,link=" + line, "pty,raw,echo=0,link=" + far));
        return new SocatPty(p, line, far);
    }

    /** The end ctys opens (a symbolic link to /dev/pts/N, as udev's /dev/serial/by-id names are). */
    public Path line() { return line; }

    /** The machine's end. */
    public Path far() { return far; }

    /** The /dev/pts device the line's link points to. */
    public Path lineDevice() {
        try {
            return line.toRealPath();
        } catch (IOException e) {
            throw new AssertionError("the pty link " + line + " is gone: " + e.getMessage(), e);
        }
    }

    /** Writes to the machine's end, as the machine would print. */
    public void farWrite(String text) {
        try (OutputStream out = new FileOutputStream(far.toFile())) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot write to " + far + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until what arrived at the machine's end (since the first call) satisfies {@code done};
     * fails after {@code limit}, showing what did arrive.
     */
    public synchronized String farAwait(Predicate<String> done, Duration limit) {
        if (reader == null) startReading();
        if (!Proc.await(() -> done.test(farRead.toString()), limit)) {
            throw new AssertionError("the far end of the line did not get what was expected within " + limit.toSeconds()
                    + " s; it got: '" + farRead + "'");
        }
        return farRead.toString();
    }

    private void startReading() {
        try {
            farIn = new FileInputStream(far.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot open " + far + ": " + e.getMessage(), e);
        }
        // a read of a pty ends with an error once socat is gone: close() stops socat, so this thread ends
        reader = new Thread(() -> {
            byte[] buf = new byte[1024];
            try {
                int n;
                while ((n = farIn.read(buf)) > 0) farRead.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            } catch (IOException ended) {
                // socat went away
            }
        }, "far-end-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code stty -a} of the line's end: the termios the kernel keeps for it. */
    public String lineStty() {
        return Proc.run(Duration.ofSeconds(10), List.of(Proc.require("stty", "coreutils"), "-F", line.toString(), "-a")).out();
    }

    /** Kills socat (SIGKILL): both ptys go away under whoever has them open. */
    public void vanish() {
        Proc.kill(socat);
    }

    public boolean alive() { return socat.isAlive(); }

    @Override
    public void close() throws InterruptedException {
        Proc.stop(socat);
        if (reader != null) reader.join(Proc.STOP_LIMIT.toMillis());
        try {
            if (farIn != null) farIn.close();
        } catch (IOException ignored) {
            // closed already with the pty
        }
    }
}
