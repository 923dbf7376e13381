package org.ctys.transport.serial;

/** A serial line that could not be opened, or that went away: the message is one line naming the device. */
public final class SerialException extends Exception {
    private static final long serialVersionUID = 1L;

    public SerialException(String message) { super(message); }

    public SerialException(String message, Throwable cause) { super(message, cause); }
}
