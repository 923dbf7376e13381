package org.ctys.consoled;

import java.io.IOException;
import org.ctys.inventory.SerialSettings;
import org.ctys.transport.serial.LineSettings;
import org.ctys.transport.serial.SerialException;
import org.ctys.transport.serial.SerialLine;

/** A local serial line as a console: its break is the line's BREAK condition. */
final class SerialLink implements OpenLink {
    private final SerialLine line;
    /** Why the line was lost while {@link #await} waited: thrown by the next {@link #read()}. */
    private SerialException lost;

    private SerialLink(SerialLine line) { this.line = line; }

    /** Opens the line with its framing; the message of a failure names the device (the transport's own words). */
    static SerialLink open(Endpoint.Serial serial) throws IOException {
        SerialSettings s = serial.line();
        LineSettings framing = new LineSettings(s.speed(), LineSettings.Parity.valueOf(s.parity().name()), s.dataBits(),
                s.stopBits(), LineSettings.Flow.valueOf(s.flow().name()));
        try {
            return new SerialLink(SerialLine.open(s.device(), framing));
        } catch (SerialException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void await(long millis) {
        if (lost != null) return;
        try {
            line.await(millis);
        } catch (SerialException e) {
            lost = e;
        }
    }

    @Override
    public byte[] read() throws IOException {
        if (lost != null) throw new IOException(lost.getMessage(), lost);
        try {
            return line.read();
        } catch (SerialException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void write(byte[] data, int length) throws IOException {
        try {
            line.write(data, length);
        } catch (SerialException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public boolean sendBreak() throws IOException {
        try {
            return line.sendBreak();
        } catch (SerialException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() { line.close(); }
}
