package org.ctys.consoled;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The records of a log file from its end towards its start, reading only what is asked for: the
 * last 20 lines of a 1 GB file cost a block or two. Every {@code \n} in a log file ends a record,
 * so a record's start is found by looking back for the previous one. Garbage (a partial record, a
 * corrupt line) is passed over.
 */
final class BackwardRecords {
    private static final int BLOCK = 64 * 1024;

    private final FileChannel file;
    /** Where the records not yet returned end: the start of the last one returned. */
    private long end;
    // one block of the file, the one the search for line starts is in
    private final byte[] block = new byte[BLOCK];
    private long blockStart = -1;
    private int blockLength;

    BackwardRecords(FileChannel file) throws IOException {
        this.file = file;
        this.end = file.size();
    }

    /** The record before the last one returned, keeping the last {@code maxText} bytes of its text; null at the file's start. */
    LogRecord previous(int maxText) throws IOException {
        while (end > 0) {
            long recordEnd = end;
            boolean ended = byteAt(end - 1) == '\n';
            if (ended) recordEnd--;
            long start = lastNewlineBefore(recordEnd) + 1;
            end = start;
            LogRecord r = read(start, recordEnd, ended, maxText);
            if (r != null) return r;
        }
        return null;
    }

    /** The position of the last {@code \n} before {@code limit}, or -1. */
    private long lastNewlineBefore(long limit) throws IOException {
        long p = limit - 1;
        while (p >= 0) {
            load(p);
            int i = (int) (p - blockStart);
            while (i >= 0 && block[i] != '\n') i--;
            if (i >= 0) return blockStart + i;
            p = blockStart - 1;
        }
        return -1;
    }

    private byte byteAt(long p) throws IOException {
        load(p);
        return block[(int) (p - blockStart)];
    }

    /** Makes the block hold {@code p}: the block that ends just after it, as the search goes backwards. */
    private void load(long p) throws IOException {
        if (blockStart >= 0 && p >= blockStart && p < blockStart + blockLength) return;
        blockStart = Math.max(0, p + 1 - BLOCK);
        blockLength = (int) (p + 1 - blockStart);
        readFully(blockStart, block, 0, blockLength);
    }

    private LogRecord read(long start, long recordEnd, boolean ended, int maxText) throws IOException {
        if (recordEnd - start < LogStamp.HEADER) return null;
        byte[] header = new byte[LogStamp.HEADER];
        readFully(start, header, 0, header.length);
        byte tag = LogRecord.tagOf(header);
        if (tag == 0) return null;
        long textFrom = Math.max(start + LogStamp.HEADER, recordEnd - maxText);
        byte[] text = new byte[(int) (recordEnd - textFrom)];
        readFully(textFrom, text, 0, text.length);
        return new LogRecord(LogStamp.parse(header, 0), tag, text, ended);
    }

    /** Reads {@code length} bytes at {@code position}; a file cut shorter in between reads as zeros (garbage, passed over). */
    private void readFully(long position, byte[] into, int offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(into, offset, length);
        while (b.hasRemaining()) {
            int n = file.read(b, position + b.position() - offset);
            if (n < 0) {
                while (b.hasRemaining()) b.put((byte) 0);
                return;
            }
        }
    }
}
