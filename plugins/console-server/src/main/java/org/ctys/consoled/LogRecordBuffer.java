package org.ctys.consoled;

import java.util.Arrays;

/**
 * The bytes of one write of a console log, composed before the one write(2) that puts them in the
 * file. Kept between writes while small (a log's chunks are mostly small: 500 consoles, 500 of
 * these); a buffer grown for one large chunk is let go after it.
 */
final class LogRecordBuffer {
    private static final int KEPT = 8 * 1024;

    private byte[] bytes = new byte[512];
    private int length;

    /** Empties the buffer, making room for {@code capacity} bytes. */
    void reset(int capacity) {
        if (bytes.length < capacity) bytes = new byte[Math.max(capacity, Math.min(bytes.length * 2, KEPT))];
        length = 0;
    }

    /** Reserves {@code n} bytes at the end; their position. */
    int reserve(int n) {
        grow(n);
        int p = length;
        length += n;
        return p;
    }

    void put(byte b) {
        grow(1);
        bytes[length++] = b;
    }

    void put(byte[] b, int offset, int n) {
        grow(n);
        System.arraycopy(b, offset, bytes, length, n);
        length += n;
    }

    byte[] array() { return bytes; }

    int length() { return length; }

    /** After a write: a buffer grown past what is kept is let go. */
    void release() {
        length = 0;
        if (bytes.length > KEPT) bytes = new byte[KEPT];
    }

    private void grow(int n) {
        if (length + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
    }
}
