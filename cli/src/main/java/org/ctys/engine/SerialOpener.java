package org.ctys.engine;

import org.ctys.spi.AttachSerial;
import org.ctys.spi.Verdict;
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
            SerialLine line = SerialLineLink.open(step.line());
            return Opened.link(new SerialLineLink(line), "the console of " + step.target(), "serial-lost", "the console was left",
                    line::close);
        } catch (SerialException e) {
            throw new Failure(Verdict.fail("serial-open", e.getMessage()));
        }
    }
}
