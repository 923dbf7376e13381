package org.ctys.consoled;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the stamps of a log file are: the latest, and whether they are in order (none earlier than
 * one before it). A clock set back while the file was written leaves them out of order, and then
 * no halving search can find a time in it. Telling needs every record's stamp, so a file is read
 * whole once (only its records' stamps are looked at: some hundred megabytes a second); afterwards
 * only what was appended since, as long as it is the same file (the same file key, and its first
 * bytes and those before where the reading stopped unchanged): a rotated file never changes again,
 * even renamed, and the file being written only grows. What was read is remembered, in memory, for
 * the {@value #REMEMBERED} files looked at last.
 */
final class FileStamps {
    /** Files whose reading is remembered: the ten rotated files and the current one of a few hundred consoles. */
    static final int REMEMBERED = 4096;
    /** Bytes compared at the start of a file and before where its reading stopped, to tell it is the same file. */
    private static final int SAMPLE = 64;
    private static final int BLOCK = 64 * 1024;

    /**
     * @param latest  the latest stamp of the file's first {@code length} bytes; null when they hold no record
     * @param ordered whether no record there is stamped earlier than one before it
     * @param length  how much of the file this tells of (it may have grown since)
     */
    record Summary(Instant latest, boolean ordered, long length) {}

    /**
     * A reading to go on with: where it stopped (the start of a record not ended yet, or the end),
     * the stamps it found ({@code last}: of the last record read, which the next reading compares
     * with), how far it read, and the samples that recognise the file.
     */
    private record Reading(long stoppedAt, Instant latest, Instant last, boolean ordered, long length, byte[] head, byte[] tail) {}

    private static final Map<Object, Reading> READ = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Reading> eldest) {
            return size() > REMEMBERED;
        }
    };

    private FileStamps() {}

    /** The file's stamps as far as it goes now; a file that is not there has none. */
    static Summary of(Path path) throws IOException {
        Object key = key(path);
        try (FileChannel ch = FileChannel.open(path, LogFiles.READ)) {
            // the file opened is the one the key is of only when no rename came in between
            boolean keyed = key != null && key.equals(key(path));
            Reading known = null;
            if (keyed) {
                synchronized (READ) {
                    known = READ.get(key);
                }
                if (known != null && !sameFile(ch, known)) known = null;
            }
            Reading now = readOn(ch, known);
            if (keyed) {
                synchronized (READ) {
                    READ.put(key, now);
                }
            }
            return new Summary(now.latest(), now.ordered(), now.length());
        } catch (NoSuchFileException e) {
            return new Summary(null, true, 0);
        }
    }

    private static Object key(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean sameFile(FileChannel ch, Reading r) throws IOException {
        return ch.size() >= r.stoppedAt() && Arrays.equals(bytes(ch, 0, r.head().length), r.head())
                && Arrays.equals(bytes(ch, r.stoppedAt() - r.tail().length, r.tail().length), r.tail());
    }

    /**
     * Reads the records after {@code known} (all of them without it) and adds their stamps to what
     * it found. Stamps are compared as they are written: fixed width, UTC, the most significant
     * digit first, so their bytes are in the order of their instants. A stamp is parsed only when
     * its second is one not seen before, to tell a date from garbage of its shape (month 13).
     */
    private static Reading readOn(FileChannel ch, Reading known) throws IOException {
        long length = ch.size();
        // the stamps' bytes; null while no record is read
        byte[] latest = known == null || known.latest() == null ? null : stamp(known.latest());
        byte[] last = known == null || known.last() == null ? null : stamp(known.last());
        boolean ordered = known == null || known.ordered();
        byte[] header = new byte[LogStamp.HEADER];
        int got = 0; // bytes of the header of the record being read; -1 once it is complete or no record
        byte[] second = new byte[19]; // the last stamp's "yyyy-MM-ddTHH:mm:ss" that parsed
        boolean secondKnown = false;
        long stoppedAt = known == null ? 0 : known.stoppedAt();
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        byte[] b = block.array();
        long at = stoppedAt;
        while (at < length) {
            block.clear();
            block.limit((int) Math.min(BLOCK, length - at));
            int n = ch.read(block, at);
            if (n <= 0) break; // cut shorter meanwhile
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n') {
                    got = 0;
                    stoppedAt = at + i + 1;
                    continue;
                }
                if (got < 0) continue;
                header[got++] = b[i];
                if (got < LogStamp.HEADER) continue;
                got = -1;
                if (!shaped(header)) continue;
                if (!secondKnown || !Arrays.equals(header, 0, second.length, second, 0, second.length)) {
                    if (LogStamp.parse(header, 0) == null) continue;
                    System.arraycopy(header, 0, second, 0, second.length);
                    secondKnown = true;
                }
                if (last == null) {
                    last = new byte[LogStamp.LENGTH];
                    latest = new byte[LogStamp.LENGTH];
                    System.arraycopy(header, 0, latest, 0, LogStamp.LENGTH);
                } else if (Arrays.compare(header, 0, LogStamp.LENGTH, last, 0, LogStamp.LENGTH) < 0) {
                    ordered = false;
                } else if (Arrays.compare(header, 0, LogStamp.LENGTH, latest, 0, LogStamp.LENGTH) > 0) {
                    System.arraycopy(header, 0, latest, 0, LogStamp.LENGTH);
                }
                System.arraycopy(header, 0, last, 0, LogStamp.LENGTH);
            }
            at += n;
        }
        int head = (int) Math.min(SAMPLE, stoppedAt);
        int tail = (int) Math.min(SAMPLE, stoppedAt);
        return new Reading(stoppedAt, latest == null ? null : LogStamp.parse(latest, 0), last == null ? null : LogStamp.parse(last, 0),
                ordered, at, bytes(ch, 0, head), bytes(ch, stoppedAt - tail, tail));
    }

    /** A stamp's shape, a space and a tag: a record's header, if the stamp is a date. */
    private static boolean shaped(byte[] header) {
        byte tag = header[LogStamp.LENGTH + 1];
        return LogStamp.shaped(header, 0) && header[LogStamp.LENGTH] == ' '
                && (tag == LogRecord.NEW_LINE || tag == LogRecord.CONTINUATION || tag == LogRecord.MARK);
    }

    private static byte[] stamp(Instant at) {
        byte[] b = new byte[LogStamp.LENGTH];
        new LogStamp().write(at, b, 0);
        return b;
    }

    private static byte[] bytes(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) break;
        }
        return b.array();
    }
}
