package org.ctys.engine;

import org.ctys.console.ConsoleLink;
import org.ctys.inventory.SerialSettings;
import org.ctys.spi.AttachSerial;
import org.ctys.spi.Verdict;
import org.ctys.transport.serial.LineSettings;
import org.ctys.transport.serial.SerialException;
import org.ctys.transport.serial.SerialLine;

/**
 * A local serial line as a console: opened with its framing, its break the line's BREAK
 * condition; leaving with {@code ~.} is success (exit 0). A line that could not be opened is a
 * failure ({@code serial-open}), one that went away is lost ({@code serial-lost}), exit 1.
 */
final class SerialOpener implements ConsoleOpener<AttachSerial> {

    @Override
    public String target(AttachSerial step) { return step.target(); }

    @Override
    public Opened open(AttachSerial step, Context context) throws Failure {
        try {
            SerialLine line = SerialLine.open(step.line().device(), settings(step.line()));
            return Opened.link(link(line), "the console of " + step.target(), "serial-lost", "the console was left", line::close);
        } catch (SerialException e) {
            throw new Failure(Verdict.fail("serial-open", e.getMessage()));
        }
    }

    static LineSettings settings(SerialSettings s) {
        return new LineSettings(s.speed(), LineSettings.Parity.valueOf(s.parity().name()), s.dataBits(), s.stopBits(),
                LineSettings.Flow.valueOf(s.flow().name()));
    }

    /** The line as the console's far end; a break is the line's BREAK condition. */
    static ConsoleLink link(SerialLine line) {
        return new ConsoleLink() {
            @Override
            public byte[] read() throws java.io.IOException {
                try {
                    return line.read();
                } catch (SerialException e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
            }

            @Override
            public void write(byte[] data, int length) throws java.io.IOException {
                try {
                    line.write(data, length);
                } catch (SerialException e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
            }

            @Override
            public boolean sendBreak() throws java.io.IOException {
                try {
                    return line.sendBreak();
                } catch (SerialException e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
            }
        };
    }
}
