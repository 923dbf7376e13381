package org.ctys.transport.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A local serial line, open: non-blocking reads, writes, a break, close. Opening it checks what
 * can be checked before the device is touched (it exists, it is a character device), so each way
 * of failing has its own one-line message naming the device.
 *
 * <p>jSerialComm drives a pseudo-terminal (socat's {@code pty} pairs, which the tests use) like a
 * serial port, with these differences: speed, stop bits and flow control are kept as asked, but
 * Linux's pty driver silently keeps 8 data bits and no parity (it clears PARENB and CSIZE; the input
 * flags that go with them, INPCK, ISTRIP and PARODD, do stay); a break is accepted and goes nowhere
 * (the driver has none); and there are no modem lines (DTR, RTS, CD: TIOCMGET and TIOCMBIS fail,
 * which jSerialComm ignores when it raises DTR and RTS at open; ctys reads none).
 */
public final class SerialLine implements AutoCloseable {
    /** How long a break holds the line low: the 0.25 s of tcsendbreak(fd, 0), enough for SysRq. */
    static final long BREAK_NANOS = 250_000_000L;
    /** termios's read timer (VTIME) counts tenths of a second in one byte: 0.1 s to 25.5 s. */
    static final int WAIT_STEP_MILLIS = 100;
    static final int LONGEST_WAIT_MILLIS = 25_500;

    private final String device;
    private final Port port;
    private final byte[] buffer = new byte[4096];
    /** What {@link #await} read, given out by the next {@link #read()}; null: nothing. */
    private byte[] waited;
    /** The read timer in force (VTIME): a tenth from the open, then what the last {@link #await} asked. */
    private int waitMillis;
    private boolean closed;
    /** A chunk that has not gone after this long: the line takes no input. */
    static final java.time.Duration STALL = java.time.Duration.ofSeconds(5);
    /** Bytes a write hands the writing thread at once: about a second of the line (10 bits a byte), 16 to 256. */
    private final int chunk;
    private final Object writing = new Object();
    private java.util.concurrent.ExecutorService writer; // made at the first write; guarded by this
    private volatile java.util.concurrent.Future<?> stalled; // set under writing

    private SerialLine(String device, Port port, int speed) {
        this.device = device;
        this.port = port;
        this.chunk = Math.max(16, Math.min(256, speed / 10));
    }

    /** Opens {@code device} through jSerialComm. */
    public static SerialLine open(String device, LineSettings settings) throws SerialException {
        checkDevice(device);
        return open(device, settings, new JSerialCommPort(device));
    }

    /** Opens through {@code port} (a test's double, or the real one); the device is not checked again. */
    static SerialLine open(String device, LineSettings settings, Port port) throws SerialException {
        if (!port.open(settings)) throw new SerialException(openFailure(device, settings, port.lastError()));
        SerialLine line = new SerialLine(device, port, settings.speed());
        // Reads that wait (VTIME) keep the descriptor blocking, and so writes too: a write the line
        // cannot take sleeps in the kernel, where with O_NONBLOCK jSerialComm retried it without pause.
        // read() still never waits: it reads only what FIONREAD says is there. jSerialComm applies the
        // whole framing again for the change; a driver that then refuses it (a pty asked for parity or
        // 7 bits, which it silently drops) keeps the line non-blocking as opened: a held write there
        // still fails after STALL, and its thread retries until the line is closed.
        if (port.waitingReads(WAIT_STEP_MILLIS)) line.waitMillis = WAIT_STEP_MILLIS;
        return line;
    }

    public String device() { return device; }

    /** What arrived since the last call; empty when nothing did. Never waits. */
    public byte[] read() throws SerialException {
        if (waited != null) {
            byte[] data = waited;
            waited = null;
            return data;
        }
        if (waitMillis > 0) {
            // reads wait now: only read what is there (a hung-up line fails FIONREAD)
            int ready = port.available();
            if (ready < 0) throw lost(port.lastError());
            if (ready == 0) return new byte[0];
        }
        int n = port.read(buffer);
        if (n < 0) throw lost(port.lastError());
        return n == 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, n);
    }

    /**
     * Waits at most {@code millis} for data, asleep in the kernel's read(2) of the line (its VTIME
     * read timer, so an idle line costs one wake-up per wait and nothing between), and keeps what
     * came for the next {@link #read()}. Waits are whole tenths of a second, rounded down, at most
     * 25.5 s; a wait shorter than a tenth sleeps instead (the line is read after it). The line is
     * opened with reads that wait a tenth (so that writes block rather than spin, see {@link #write});
     * the timer changes only when a wait asks for another. One thread waits and reads; writes may
     * come from another.
     *
     * <p>Measured against jSerialComm's data-available listener (its own thread per line polling
     * every 0.5 s, then a hand-over to the reader): see {@code SerialWaitBench}.
     *
     * @throws SerialException the line was lost while waiting
     */
    public void await(long millis) throws SerialException {
        if (waited != null) return;
        if (millis < WAIT_STEP_MILLIS) {
            LockSupport.parkNanos(Math.max(0, millis) * 1_000_000L);
            return;
        }
        int timer = (int) Math.min(LONGEST_WAIT_MILLIS, millis / WAIT_STEP_MILLIS * WAIT_STEP_MILLIS);
        if (timer != waitMillis) {
            if (!port.waitingReads(timer)) {
                throw new SerialException("serial line " + device + ": the driver refused a read timer of " + timer + " ms ("
                        + Errno.describe(port.lastError()) + ")");
            }
            waitMillis = timer;
        }
        int n = port.read(buffer);
        if (n < 0) throw lost(port.lastError());
        if (n > 0) waited = java.util.Arrays.copyOf(buffer, n);
    }

    /**
     * Writes all of {@code data[0..length)}, a chunk of about a second of the line's speed at a time,
     * on a thread of the line's own; a chunk that has not gone after {@link #STALL} means the line
     * takes no input (flow control holds it: the machine sent XOFF, or CTS is low) and fails the
     * write, which leaves the caller free (the console's {@code ~.} is read by the thread that
     * types). The stalled chunk sleeps in the kernel's write (the descriptor is blocking) and goes
     * when the line takes input again; until then every write fails at once. Closing the line
     * discards what the line holds (so that close(2) does not wait for it) and ends the stalled one.
     */
    public void write(byte[] data, int length) throws SerialException {
        synchronized (writing) {
            if (stalled != null && !stalled.isDone()) throw stall();
            for (int from = 0; from < length; from += chunk) {
                byte[] part = java.util.Arrays.copyOfRange(data, from, Math.min(length, from + chunk));
                java.util.concurrent.Future<?> f = writer().submit(() -> {
                    writeAll(part);
                    return null;
                });
                try {
                    f.get(STALL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    stalled = f;
                    throw stall();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof SerialException se) throw se;
                    throw new SerialException("serial line " + device + ": writing failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SerialException("serial line " + device + ": interrupted while writing");
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    throw new SerialException("serial line " + device + " is closed");
                }
            }
        }
    }

    private void writeAll(byte[] data) throws SerialException {
        int done = 0;
        while (done < data.length) {
            byte[] rest = done == 0 ? data : java.util.Arrays.copyOfRange(data, done, data.length);
            int n = port.write(rest, data.length - done);
            if (n < 0) throw lost(port.lastError());
            done += n;
        }
    }

    private SerialException stall() {
        return new SerialException("serial line " + device + " took no input for " + STALL.toSeconds()
                + " s: flow control holds it (the machine sent XOFF, or CTS is low)");
    }

    private synchronized java.util.concurrent.ExecutorService writer() throws SerialException {
        if (closed) throw new SerialException("serial line " + device + " is closed");
        if (writer == null) {
            writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "ctys-serial-write");
                t.setDaemon(true);
                return t;
            });
        }
        return writer;
    }

    /**
     * Holds the line in BREAK for a quarter of a second. False when the driver has no break (the
     * line is otherwise fine); an error ending the break means the line is gone.
     */
    public boolean sendBreak() throws SerialException {
        if (!port.setBreak()) {
            int errno = port.lastError();
            if (errno == Errno.EIO || errno == Errno.ENXIO || errno == Errno.ENODEV) throw lost(errno);
            return false;
        }
        LockSupport.parkNanos(BREAK_NANOS);
        if (!port.clearBreak()) throw new SerialException("serial line " + device + ": the break could not be ended ("
                + Errno.describe(port.lastError()) + ")");
        return true;
    }

    @Override
    public void close() {
        java.util.concurrent.ExecutorService w;
        synchronized (this) {
            if (closed) return;
            closed = true;
            w = writer;
        }
        java.util.concurrent.Future<?> s = stalled;
        if (s != null && !s.isDone()) {
            // the held output is discarded: the stalled chunk then goes into the room made, and that is
            // discarded too, so that close(2) does not wait (up to 30 s on a UART) for output XOFF holds
            port.flushOutput();
            try {
                s.get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // ended otherwise, or still held: closing ends it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            port.flushOutput();
        }
        port.close();
        if (w != null) w.shutdownNow();
    }

    private SerialException lost(int errno) {
        return new SerialException("serial line " + device + " was lost (" + Errno.describe(errno) + ")");
    }

    /** Exists, and is a character device: checked here so the messages can say which. */
    static void checkDevice(String device) throws SerialException {
        Path p = Path.of(device);
        if (!Files.exists(p)) throw new SerialException("serial line " + device + ": no such device");
        org.ctys.os.UnixFiles.Stat stat;
        try {
            stat = org.ctys.os.UnixFiles.stat(p);
        } catch (IOException e) {
            throw new SerialException("serial line " + device + ": cannot be examined (" + e.getMessage() + ")");
        }
        if (stat.type() != org.ctys.os.UnixFiles.CHARACTER_DEVICE) {
            throw new SerialException("serial line " + device + ": not a character device (a serial line is one, such as"
                    + " /dev/ttyS0 or /dev/ttyUSB0)");
        }
        if (!Files.isReadable(p) || !Files.isWritable(p)) {
            throw new SerialException("serial line " + device + ": permission denied (the user needs read and write access;"
                    + " serial devices usually belong to the group dialout)");
        }
    }

    static String openFailure(String device, LineSettings settings, int errno) {
        String head = "serial line " + device + ": ";
        return head + switch (errno) {
            case Errno.EAGAIN, Errno.EBUSY -> "in use by another program (it holds the line's lock)";
            case Errno.EACCES, Errno.EPERM -> "permission denied (serial devices usually belong to the group dialout)";
            case Errno.ENOENT, Errno.ENXIO, Errno.ENODEV -> "no such device";
            case Errno.ENOTTY -> "not a terminal device, so not a serial line";
            case Errno.EINVAL -> "the device refused " + settings + " (invalid argument)";
            default -> "could not be opened (" + Errno.describe(errno) + ")";
        };
    }
}
