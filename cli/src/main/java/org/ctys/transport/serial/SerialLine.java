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

    private final String device;
    private final Port port;
    private final byte[] buffer = new byte[4096];
    private boolean closed;

    private SerialLine(String device, Port port) {
        this.device = device;
        this.port = port;
    }

    /** Opens {@code device} through jSerialComm. */
    public static SerialLine open(String device, LineSettings settings) throws SerialException {
        checkDevice(device);
        return open(device, settings, new JSerialCommPort(device));
    }

    /** Opens through {@code port} (a test's double, or the real one); the device is not checked again. */
    static SerialLine open(String device, LineSettings settings, Port port) throws SerialException {
        if (!port.open(settings)) throw new SerialException(openFailure(device, settings, port.lastError()));
        return new SerialLine(device, port);
    }

    public String device() { return device; }

    /** What arrived since the last call; empty when nothing did. Never waits. */
    public byte[] read() throws SerialException {
        int n = port.read(buffer);
        if (n < 0) throw lost(port.lastError());
        return n == 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, n);
    }

    /** Writes all of {@code data[0..length)}. */
    public void write(byte[] data, int length) throws SerialException {
        int done = 0;
        while (done < length) {
            byte[] rest = done == 0 ? data : java.util.Arrays.copyOfRange(data, done, length);
            int n = port.write(rest, length - done);
            if (n < 0) throw lost(port.lastError());
            done += n;
        }
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
    public synchronized void close() {
        if (closed) return;
        closed = true;
        port.close();
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
