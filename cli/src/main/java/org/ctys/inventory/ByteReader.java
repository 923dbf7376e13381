package org.ctys.inventory;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link java.io.DataOutputStream} wrote, from a byte array, without the lock that
 * every single-byte read of a stream takes: the inventory copy is read field by field.
 */
final class ByteReader {
    private final byte[] b;
    /** Where the records end: the copy of the inventory ends with the YAML it was made from. */
    private final int end;
    private int pos;

    ByteReader(byte[] b) { this(b, b.length); }

    ByteReader(byte[] b, int end) {
        this.b = b;
        this.end = end;
    }

    private void need(int n) throws EOFException {
        if (pos + n > end) throw new EOFException("inventory copy ends early");
    }

    boolean readBoolean() throws IOException { return readByte() != 0; }

    byte readByte() throws IOException {
        need(1);
        return b[pos++];
    }

    short readShort() throws IOException {
        need(2);
        short v = (short) (((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF));
        pos += 2;
        return v;
    }

    int readInt() throws IOException {
        need(4);
        int v = ((b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    void readFully(byte[] dst) throws IOException {
        need(dst.length);
        System.arraycopy(b, pos, dst, 0, dst.length);
        pos += dst.length;
    }

    byte[] readNBytes(int n) throws IOException {
        byte[] dst = new byte[n];
        readFully(dst);
        return dst;
    }

    /** Modified UTF-8 as writeUTF writes it; plain ASCII, the usual case, is copied directly. */
    String readUTF() throws IOException {
        int start = pos;
        int len = readShort() & 0xFFFF;
        need(len);
        boolean ascii = true;
        for (int i = pos; i < pos + len && ascii; i++) ascii = b[i] >= 0;
        String s = ascii ? new String(b, pos, len, StandardCharsets.ISO_8859_1)
                : new DataInputStream(new ByteArrayInputStream(b, start, len + 2)).readUTF();
        pos += len;
        return s;
    }

    boolean atEnd() { return pos == end; }
}
