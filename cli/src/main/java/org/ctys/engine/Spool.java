package org.ctys.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a run keeps the gathered output that does not stay in memory: one temporary file, made
 * only when some output needs it, readable by the user alone, and unlinked as soon as it is open,
 * so nothing is left behind however ctys ends. Memory then holds a few KiB per target whatever
 * the hosts print; the disk holds at most {@code --max-output} per target.
 */
final class Spool {
    private final AtomicLong end = new AtomicLong();
    private FileChannel file; // guarded by this

    /** Appends bytes and returns where they start. */
    long append(byte[] b, int off, int len) throws IOException {
        FileChannel f = file();
        long at = end.getAndAdd(len);
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        for (long pos = at; buf.hasRemaining(); ) pos += f.write(buf, pos);
        return at;
    }

    /** Reads {@code len} bytes that were appended at {@code at}. */
    void read(long at, byte[] into, int off, int len) throws IOException {
        FileChannel f = file();
        ByteBuffer buf = ByteBuffer.wrap(into, off, len);
        for (long pos = at; buf.hasRemaining(); ) {
            int n = f.read(buf, pos);
            if (n < 0) throw new IOException("the output spool ended early");
            pos += n;
        }
    }

    private synchronized FileChannel file() throws IOException {
        if (file == null) {
            Path p = Files.createTempFile("ctys-output-", ".spool",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                file = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } finally {
                Files.deleteIfExists(p);
            }
        }
        return file;
    }
}
