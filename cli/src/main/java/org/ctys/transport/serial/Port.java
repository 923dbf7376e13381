package org.ctys.transport.serial;

/**
 * What {@link SerialLine} asks of jSerialComm's {@code SerialPort}: the seam between ctys's line and
 * the library. {@link JSerialCommPort} is the real one; tests put a recording double here for what no
 * pseudo-terminal can show (a break, a driver that refuses one), since no serial hardware exists
 * where they run.
 */
interface Port {
    /** Applies the framing and opens the device; false when it could not ({@link #lastError()} says why). */
    boolean open(LineSettings settings);

    /** The errno of the last call that failed (or jSerialComm's own small codes 1 and 2). */
    int lastError();

    /** Reads what has arrived, without waiting: the count, 0 when nothing, -1 on an error. */
    int read(byte[] buffer);

    /**
     * From now on, {@link #read} waits in the kernel at most {@code millis} (a multiple of 100, at
     * most 25 500: termios's VTIME counts tenths of a second in one byte) for the first byte, and
     * returns as soon as one has arrived. False when the driver refused the change.
     */
    boolean waitingReads(int millis);

    /** How many bytes can be read at once without waiting; -1 on an error (a line that hung up). */
    int available();

    /** Writes {@code length} bytes; the count written, -1 on an error. */
    int write(byte[] data, int length);

    /** Discards what was written and not yet sent, and what was not yet read (jSerialComm has TCIOFLUSH only); for closing. */
    boolean flushOutput();

    /** Starts the BREAK condition (TIOCSBRK). */
    boolean setBreak();

    /** Ends it (TIOCCBRK). */
    boolean clearBreak();

    void close();
}
