package org.ctys.engine;

import java.io.IOException;
import org.ctys.console.ConsoleLink;
import org.ctys.inventory.SerialSettings;
import org.ctys.transport.serial.LineSettings;
import org.ctys.transport.serial.SerialException;
import org.ctys.transport.serial.SerialLine;

/**
 * An open serial line as a console's far end, the one adapter for {@code -t serial} and the
 * console server's serial consoles: the transport's failures become IOExceptions carrying its
 * one-line message (which names the device), and a break is the line's BREAK condition. Reads
 * never wait; a reader that wants to sleep until data arrives waits on the line itself
 * ({@link SerialLine#await}), which {@code -t serial} does not.
 */
public final class SerialLineLink implements ConsoleLink {
    private final SerialLine line;

    public SerialLineLink(SerialLine line) { this.line = line; }

    /** Opens the inventory's (or the console server's) serial line with its framing. */
    public static SerialLine open(SerialSettings s) throws SerialException {
        return SerialLine.open(s.device(), framing(s));
    }

    static LineSettings framing(SerialSettings s) {
        return new LineSettings(s.speed(), LineSettings.Parity.valueOf(s.parity().name()), s.dataBits(), s.stopBits(),
                LineSettings.Flow.valueOf(s.flow().name()));
    }

    /** A failure of the line as a console link reports it: the link is gone, for the reason the transport gives. */
    public static IOException gone(SerialException e) { return new IOException(e.getMessage(), e); }

    @Override
    public byte[] read() throws IOException {
        try {
            return line.read();
        } catch (SerialException e) {
            throw gone(e);
        }
    }

    @Override
    public void write(byte[] data, int length) throws IOException {
        try {
            line.write(data, length);
        } catch (SerialException e) {
            throw gone(e);
        }
    }

    @Override
    public boolean sendBreak() throws IOException {
        try {
            return line.sendBreak();
        } catch (SerialException e) {
            throw gone(e);
        }
    }
}
