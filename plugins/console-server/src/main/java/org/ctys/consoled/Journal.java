package org.ctys.consoled;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a console's bytes are kept before anyone sees them: on disk ({@link DiskJournal}, the
 * console's {@code ConsoleLog}). The hub writes every chunk here first, then hands it to the
 * attached users; replay reads it back, rendered for a terminal.
 */
interface Journal extends AutoCloseable {

    /** In the file when this returns. */
    void data(byte[] bytes, int offset, int length) throws IOException;

    /** A mark line of its own ("lab07 up (serial /dev/ttyS0 115200)"). */
    void mark(String text) throws IOException;

    /** About once a second: periodic marks after {@code quiet} without output, rotation by age. */
    void tick(Instant now, Duration quiet) throws IOException;

    /** The size of all the console's log files. */
    long bytes();

    /** The last {@code lines} lines, ready for a terminal (CR LF line ends, marks in brackets). */
    byte[] last(int lines) throws IOException;

    /** Every line since {@code from}, ready for a terminal. */
    byte[] since(Instant from) throws IOException;

    /**
     * Learns, ahead of a {@link #since} and without the console's lock, what it can of the files'
     * stamps (reading a large log whole the first time), so that {@link #since} under the lock only
     * reads what was written in between.
     */
    default void prepareSince() {}

    @Override
    void close();
}
