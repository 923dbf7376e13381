package org.ctys.consoled;

import java.io.IOException;
import org.ctys.console.ConsoleLink;
import org.ctys.engine.SerialLineLink;
import org.ctys.transport.serial.SerialException;
import org.ctys.transport.serial.SerialLine;

/**
 * A local serial line as a console: reading, writing and the break are {@code -t serial}'s
 * ({@link SerialLineLink}); what the daemon adds is the wait asleep in the kernel's read of the line.
 */
final class SerialLink implements OpenLink {
    private final SerialLine line;
    private final ConsoleLink far;
    /** Why the line was lost while {@link #await} waited: thrown by the next {@link #read()}. */
    private IOException lost;

    private SerialLink(SerialLine line) {
        this.line = line;
        this.far = new SerialLineLink(line);
    }

    /** Opens the line with its framing; the message of a failure names the device (the transport's own words). */
    static SerialLink open(Endpoint.Serial serial) throws IOException {
        try {
            return new SerialLink(SerialLineLink.open(serial.line()));
        } catch (SerialException e) {
            throw SerialLineLink.gone(e);
        }
    }

    @Override
    public void await(long millis) {
        if (lost != null) return;
        try {
            line.await(millis);
        } catch (SerialException e) {
            lost = SerialLineLink.gone(e);
        }
    }

    @Override
    public byte[] read() throws IOException {
        if (lost != null) throw lost;
        return far.read();
    }

    @Override
    public void write(byte[] data, int length) throws IOException { far.write(data, length); }

    @Override
    public boolean sendBreak() throws IOException { return far.sendBreak(); }

    @Override
    public void close() { line.close(); }
}
