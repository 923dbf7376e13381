package org.ctys.engine.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Whether this process's standard error is a terminal, which decides whether progress is
 * animated. Not {@code System.console()}: that asks about standard input and output, so
 * {@code ctys … 2>log} on a terminal wrote carriage-return frames into the log. Java cannot call
 * isatty(2); Linux names what descriptor 2 is open on in /proc/self/fd/2, and a terminal is a
 * pseudo terminal (/dev/pts/N), a console or serial line (/dev/ttyX, /dev/console) or the
 * controlling terminal (/dev/tty). Anything else (a file, a pipe, a socket, /dev/null), or no
 * /proc, means plain lines, which are right everywhere.
 */
final class StandardError {
    private static final Path FD2 = Path.of("/proc/self/fd/2");
    private static final Pattern TERMINAL = Pattern.compile("/dev/(pts/\\d+|tty\\w*|console)");

    private StandardError() {}

    static boolean isTerminal() {
        return isTerminal(FD2);
    }

    static boolean isTerminal(Path descriptorLink) {
        try {
            return isTerminalDevice(Files.readSymbolicLink(descriptorLink).toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the file a descriptor is open on, as /proc/self/fd names it, is a terminal. */
    static boolean isTerminalDevice(String file) {
        return TERMINAL.matcher(file).matches();
    }
}
