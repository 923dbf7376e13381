package org.ctys.consoled;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The records of a log file from a record boundary on, in order. Garbage (a partial record, a
 * corrupt line) is passed over. The file is read up to the length it had when it was opened: a
 * writer appending meanwhile adds nothing half-read.
 *
 * <p>A record's text is cut to its last {@code maxText} bytes while it is read, not after: a
 * console can send gigabytes without a newline, and memory holds at most the header, twice
 * {@code maxText} and a block of any record, however long it is.
 */
final class ForwardRecords implements Closeable {
    private static final int BLOCK = 64 * 1024;
    /** The most text a record keeps whatever {@code maxText} asks: twice it, a header and a block still fit an array. */
    private static final int MOST_KEPT = (Integer.MAX_VALUE - 8 - LogStamp.HEADER - BLOCK) / 2;

    private final FileChannel file;
    private final long limit;
    private long position;
    private final int maxText;
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK);
    /** The record being read: its header, then the last of its text (at most twice maxText before the older half goes). */
    private byte[] record = new byte[256];
    private int recordLength;
    /** Where the record last returned begins. */
    private long recordStart;

    /** @param maxText at most this many bytes of a record's text are kept (its last ones) */
    ForwardRecords(Path path, long from, int maxText) throws IOException {
        if (maxText < 0) throw new IllegalArgumentException("a record's text cannot keep fewer than 0 bytes: " + maxText);
        this.file = FileChannel.open(path, LogFiles.READ);
        this.limit = file.size();
        this.position = from;
        this.maxText = Math.min(maxText, MOST_KEPT);
        block.limit(0);
    }

    /** The next record, or null at the end. */
    LogRecord next() throws IOException {
        while (true) {
            recordLength = 0;
            recordStart = offset();
            boolean ended = false;
            boolean any = false;
            while (true) {
                if (!block.hasRemaining() && !fill()) break;
                any = true;
                byte[] b = block.array();
                int from = block.position();
                int to = block.limit();
                int i = from;
                while (i < to && b[i] != '\n') i++;
                append(b, from, i - from);
                if (i < to) {
                    block.position(i + 1);
                    ended = true;
                    break;
                }
                block.position(to);
            }
            if (!any) return null;
            LogRecord r = LogRecord.parse(record, 0, recordLength, ended, maxText);
            if (r != null) return r;
            if (!ended) return null;
        }
    }

    /** Where the record last returned begins in the file. */
    long start() {
        return recordStart;
    }

    /** The place in the file of the next byte to look at. */
    private long offset() {
        return position - block.limit() + block.position();
    }

    private boolean fill() throws IOException {
        if (position >= limit) return false;
        block.clear();
        block.limit((int) Math.min(BLOCK, limit - position));
        int n = file.read(block, position);
        if (n <= 0) return false; // cut shorter meanwhile
        position += n;
        block.flip();
        return true;
    }

    /**
     * Adds {@code b[from, from + length)} (at most a block) to the record. Once the text kept would
     * pass twice {@code maxText}, only its last {@code maxText} bytes stay: each byte is moved at
     * most once more than it is read, and a record of any length holds a bounded array.
     */
    private void append(byte[] b, int from, int length) {
        if (recordLength >= LogStamp.HEADER && (long) recordLength + length > LogStamp.HEADER + 2L * maxText) {
            int text = recordLength - LogStamp.HEADER;
            int older = Math.min(text, Math.max(0, maxText - length)); // of the text before, what stays among the last
            System.arraycopy(record, recordLength - older, record, LogStamp.HEADER, older);
            recordLength = LogStamp.HEADER + older;
            if (length > maxText) {
                from += length - maxText;
                length = maxText;
            }
        }
        if (recordLength + length > record.length) {
            long wanted = Math.max((long) recordLength + length, 2L * record.length);
            record = java.util.Arrays.copyOf(record, (int) Math.min(wanted, (long) LogStamp.HEADER + 2L * maxText + BLOCK));
        }
        System.arraycopy(b, from, record, recordLength, length);
        recordLength += length;
    }

    /** How many bytes the record being read holds at most now (tests check the bound). */
    int held() {
        return record.length;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
