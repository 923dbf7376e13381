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
 */
final class ForwardRecords implements Closeable {
    private static final int BLOCK = 64 * 1024;

    private final FileChannel file;
    private final long limit;
    private long position;
    private final int maxText;
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK);
    private byte[] record = new byte[256];
    private int recordLength;

    /** @param maxText at most this many bytes of a record's text are kept (its last ones) */
    ForwardRecords(Path path, long from, int maxText) throws IOException {
        this.file = FileChannel.open(path, LogFiles.READ);
        this.limit = file.size();
        this.position = from;
        this.maxText = maxText;
        block.limit(0);
    }

    /** The next record, or null at the end. */
    LogRecord next() throws IOException {
        while (true) {
            recordLength = 0;
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

    private void append(byte[] b, int from, int length) {
        if (recordLength + length > record.length) {
            record = java.util.Arrays.copyOf(record, Math.max(recordLength + length, record.length * 2));
        }
        System.arraycopy(b, from, record, recordLength, length);
        recordLength += length;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
