package org.ctys.consoled;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** How a log file ends, which is all a restarted log needs to know to continue it. */
enum LogTail {
    /** Empty, or its last record has its {@code \n}: the console's line is closed. */
    CLOSED,
    /** Inside a data record: the console's line is open, its next bytes continue it. */
    OPEN_LINE,
    /** Inside something that is no data record (a write cut short): to be ended before anything is added. */
    GARBAGE;

    static LogTail of(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, LogFiles.READ)) {
            long size = ch.size();
            if (size == 0) return CLOSED;
            ByteBuffer last = ByteBuffer.allocate(1);
            if (ch.read(last, size - 1) != 1) return GARBAGE;
            if (last.get(0) == '\n') return CLOSED;
            LogRecord r = new BackwardRecords(ch).previous(0);
            // previous() passes over garbage: an unended record it returns is the file's last
            return r != null && !r.ended() && r.data() ? OPEN_LINE : GARBAGE;
        }
    }
}
