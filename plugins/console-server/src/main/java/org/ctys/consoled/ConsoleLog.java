package org.ctys.consoled;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One console's log: {@code <dir>/<console>.log}, one record per line,
 * {@code <UTC stamp, ms> <tag><content>\n}; tag {@code |} a new line of console data (stamped when
 * its first byte arrived), {@code +} the continuation of the line before (whose {@code \n} made room
 * for a mark or ended a file at a rotation, and was no console data), {@code *} a mark. Every
 * {@code \n} in the file ends a record; every other byte of a data record is the console's, as it
 * came (CR, NUL, escape sequences), so {@link #consoleBytes} gives back exactly what the console sent.
 *
 * <p>Each {@link #data} call is one write(2) on a file opened with O_APPEND, with no buffer in
 * between: when it returns the bytes are in the file (the page cache), so a daemon killed with
 * SIGKILL loses nothing it had read, and watchers are sent nothing the log does not have. It is a
 * {@link FileOutputStream}, not a FileChannel: a FileChannel closes itself for good when the thread
 * writing is interrupted, and a console's log must not end because its reader thread was.
 *
 * <p>The file alone tells a restarted daemon where the console's line stands: the newest non-empty
 * file ends without {@code \n} exactly when a line is open. So a mark that interrupts an open line
 * is followed at once by an empty {@code +} record (the line's continuation, which the next bytes
 * extend), and a rotation starts the new file with it.
 */
public final class ConsoleLog implements AutoCloseable {

    /**
     * When the current file is rotated, and how many rotated files are kept.
     *
     * @param maxBytes rotate before a chunk would take the file past this size; 0: never by size
     * @param maxAge   rotate when the file's first record is this old; zero: never by age
     * @param keep     rotated files kept ({@code .1} to {@code .keep}); 0: a rotation drops the file
     */
    public record Rotation(long maxBytes, Duration maxAge, int keep) {
        public static final Rotation DEFAULT = new Rotation(10L * 1024 * 1024, Duration.ofDays(1), 10);

        public Rotation {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxBytes < 0) throw new IllegalArgumentException("rotation size must not be negative: " + maxBytes);
            if (maxAge.isNegative()) throw new IllegalArgumentException("rotation age must not be negative: " + maxAge);
            if (keep < 0) throw new IllegalArgumentException("rotated files to keep must not be negative: " + keep);
        }
    }

    /**
     * A line of the log as read back.
     *
     * @param at   when its first byte arrived (a mark: when it was written)
     * @param mark whether it is a mark ({@code text} then UTF-8)
     * @param text the console's bytes without the line's newline (of a line longer than 1 MiB, its last 1 MiB)
     */
    public record Line(Instant at, boolean mark, byte[] text) {}

    /** The text of the periodic mark on a quiet console (conserver's). */
    public static final String QUIET_MARK = "-- MARK --";
    /** How long a failed rotation waits before it is tried again. */
    static final Duration ROTATION_RETRY = Duration.ofMinutes(1);

    private final LogFiles files;
    private final Rotation rotation;
    private final Clock clock;
    private final LogStamp stamp = new LogStamp();
    private final LogRecordBuffer buffer = new LogRecordBuffer();

    private FileOutputStream out;
    private long size;
    private volatile long total;
    private long rotatedBytes;
    /** The console's current line has not been ended by its own {@code \n}. */
    private boolean lineOpen;
    /** The current file ends inside a data record: the console's next bytes are appended as they are. */
    private boolean recordOpen;
    /** The current file holds nothing but the continuation a rotation began it with. */
    private boolean fresh;
    /** The file's end is unknown (a write failed): the next write first ends whatever is there. */
    private boolean tailUnknown;
    /** The current file's first record's stamp; null while it is empty. */
    private Instant fileStart;
    private Instant lastWrite;
    private Instant rotateNotBefore = Instant.MIN;
    private boolean closed;

    private ConsoleLog(LogFiles files, Rotation rotation, Clock clock) {
        this.files = files;
        this.rotation = rotation;
        this.clock = clock;
    }

    /** Appends to <dir>/<console>.log (made 0640, dir 0750 when missing); a restarted daemon continues the file. */
    public static ConsoleLog open(Path dir, String console, Rotation rotation, Clock clock) throws IOException {
        ConsoleLog log = new ConsoleLog(new LogFiles(dir, console), Objects.requireNonNull(rotation), Objects.requireNonNull(clock));
        log.files.makeDirectory();
        log.files.makeCurrent();
        log.out = new FileOutputStream(log.files.current().toFile(), true);
        try {
            log.continueWhereTheFileEnds();
        } catch (IOException | RuntimeException e) {
            log.out.close();
            throw e;
        }
        return log;
    }

    private void continueWhereTheFileEnds() throws IOException {
        size = Files.size(files.current());
        rotatedBytes = files.rotatedBytes();
        lastWrite = clock.instant();
        if (size > 0) {
            LogTail tail = LogTail.of(files.current());
            lineOpen = recordOpen = tail == LogTail.OPEN_LINE;
            tailUnknown = tail == LogTail.GARBAGE;
            fileStart = LogReader.firstStamp(files.current());
            if (fileStart == null) fileStart = Files.getLastModifiedTime(files.current()).toInstant();
        } else {
            fresh = true;
            List<Integer> rotated = files.rotatedNumbers();
            if (!rotated.isEmpty() && LogTail.of(files.rotated(rotated.get(0))) == LogTail.OPEN_LINE) {
                // a rotation was cut short after the rename: finish it as it would have ended
                lineOpen = true;
                Instant now = clock.instant();
                buffer.reset(LogStamp.HEADER);
                header(now, LogRecord.CONTINUATION);
                write(now);
                recordOpen = true;
                fresh = true;
                endRecord(files.rotated(rotated.get(0)));
            }
        }
        updateTotal();
    }

    /** Written with write(2) (no user-space buffer) before it returns: the bytes are in the file before any watcher sees them. */
    public synchronized void data(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen();
        if (length == 0) return;
        Instant now = clock.instant();
        if (rotation.maxBytes() > 0 && !fresh && size > 0 && size + length > rotation.maxBytes()) {
            try {
                rotate(now);
            } catch (IOException e) {
                // not rotated, or rotated without its continuation: the chunk still goes where it can, below
            }
        }
        buffer.reset(length + 2 * LogStamp.HEADER + 1); // grown for a chunk of many lines
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (!recordOpen) {
                header(now, lineOpen ? LogRecord.CONTINUATION : LogRecord.NEW_LINE);
                recordOpen = lineOpen = true;
            }
            int nl = Newlines.next(bytes, i, end);
            if (nl >= 0) {
                buffer.put(bytes, i, nl + 1 - i);
                recordOpen = lineOpen = false;
                i = nl + 1;
            } else {
                buffer.put(bytes, i, end - i);
                i = end;
            }
        }
        write(now);
    }

    /** A mark line of its own ("lab07 up (serial /dev/ttyS0)", "lab07 down: ..."). */
    public synchronized void mark(String text) throws IOException {
        ensureOpen();
        writeMark(clock.instant(), text);
    }

    /** Called about once a second: a "-- MARK --" mark after `quiet` without output (Duration.ZERO: none); rotation by age. */
    public synchronized void tick(Instant now, Duration quiet) throws IOException {
        if (closed) return;
        Duration age = rotation.maxAge();
        if (!age.isZero() && fileStart != null && !fresh && !now.isBefore(fileStart.plus(age))) rotate(now);
        if (quiet != null && quiet.compareTo(Duration.ZERO) > 0 && !now.isBefore(lastWrite.plus(quiet))) writeMark(now, QUIET_MARK);
    }

    /** All this console's files together, in bytes. */
    public long bytes() {
        return total;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            // every record was written when its call returned; nothing is left to lose
        }
    }

    /** Reading from disk, with or without a daemon running; across rotated files. */
    public static List<Line> last(Path dir, String console, int lines) throws IOException {
        return LogReader.last(new LogFiles(dir, console), lines);
    }

    /** Reading from disk, with or without a daemon running; across rotated files. */
    public static List<Line> since(Path dir, String console, Instant from) throws IOException {
        return LogReader.since(new LogFiles(dir, console), Objects.requireNonNull(from));
    }

    /** Every byte the console sent, in order, across rotated files (tests count with this). */
    public static byte[] consoleBytes(Path dir, String console) throws IOException {
        return LogReader.consoleBytes(new LogFiles(dir, console));
    }

    private void writeMark(Instant at, String text) throws IOException {
        byte[] t = text.replace('\n', ' ').replace('\r', ' ').getBytes(StandardCharsets.UTF_8);
        buffer.reset(t.length + 2 * LogStamp.HEADER + 2);
        if (recordOpen) buffer.put((byte) '\n');
        recordOpen = false;
        header(at, LogRecord.MARK);
        buffer.put(t, 0, t.length);
        buffer.put((byte) '\n');
        if (lineOpen) {
            header(at, LogRecord.CONTINUATION);
            recordOpen = true;
        }
        write(at);
    }

    private void header(Instant at, byte tag) {
        int p = buffer.reserve(LogStamp.HEADER);
        stamp.write(at, buffer.array(), p);
        buffer.array()[p + LogStamp.LENGTH] = ' ';
        buffer.array()[p + LogStamp.LENGTH + 1] = tag;
        if (fileStart == null) fileStart = at;
    }

    /** The buffer in one write(2); a failed write leaves the file's end unknown, so the next one starts a fresh record. */
    private void write(Instant at) throws IOException {
        boolean wasUnknown = tailUnknown;
        try {
            if (wasUnknown) {
                out.write('\n');
                size++;
                tailUnknown = false;
            }
            out.write(buffer.array(), 0, buffer.length());
            size += buffer.length();
            fresh = false;
            lastWrite = at;
        } catch (IOException e) {
            tailUnknown = true;
            recordOpen = false;
            lineOpen = false;
            try {
                size = Files.size(files.current());
            } catch (IOException unknown) {
                e.addSuppressed(unknown);
            }
            throw e;
        } finally {
            buffer.release();
            updateTotal();
        }
    }

    /**
     * Size or age reached: the current file becomes {@code .1} (older ones shifted, the oldest beyond
     * keep dropped) and a new one begins, with a continuation record when a line is open. The old
     * file's open record is ended only after that, so at every moment the newest non-empty file
     * tells whether a line is open. A failed rotation is marked in the log and tried again later;
     * the bytes go on into the current file.
     */
    private void rotate(Instant now) throws IOException {
        if (now.isBefore(rotateNotBefore)) return;
        long removed;
        try {
            removed = files.shift(rotation.keep());
        } catch (IOException e) {
            cannotRotate(now, e);
            return;
        }
        FileOutputStream old = out;
        try {
            files.makeCurrent();
            out = new FileOutputStream(files.current().toFile(), true);
        } catch (IOException e) {
            cannotRotate(now, e); // the bytes go on into the old file, renamed: none is lost
            return;
        }
        boolean oldRecordOpen = recordOpen;
        // counted, not listed again: with many files kept a rotation must not stat them all
        long oldSize = size + (oldRecordOpen && rotation.keep() > 0 ? 1 : 0);
        rotatedBytes += (rotation.keep() > 0 ? oldSize : 0) - removed;
        size = 0;
        fileStart = null;
        recordOpen = false;
        tailUnknown = false;
        try {
            if (lineOpen) {
                buffer.reset(LogStamp.HEADER);
                header(now, LogRecord.CONTINUATION);
                write(now);
                recordOpen = true;
            }
        } catch (IOException e) {
            // the next write tries again, ending whatever this one left
        } finally {
            fresh = true;
            try (old) {
                if (oldRecordOpen && rotation.keep() > 0) old.write('\n');
            }
        }
    }

    private void cannotRotate(Instant now, IOException e) throws IOException {
        rotateNotBefore = now.plus(ROTATION_RETRY);
        writeMark(now, "cannot rotate " + files.current() + ": " + e.getMessage() + "; trying again in "
                + ROTATION_RETRY.toMinutes() + " min");
    }

    /** Ends the open record of a rotated file (the continuation is already in the new one). */
    private void endRecord(Path rotated) throws IOException {
        try (FileOutputStream f = new FileOutputStream(rotated.toFile(), true)) {
            f.write('\n');
        }
        rotatedBytes = files.rotatedBytes();
    }

    private void updateTotal() {
        total = rotatedBytes + size;
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException("the log of " + files.console() + " is closed");
    }
}
