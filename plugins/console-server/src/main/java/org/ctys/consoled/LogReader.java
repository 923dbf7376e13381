package org.ctys.consoled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.ctys.consoled.ConsoleLog.Line;

/**
 * Reads a console's log back from disk, across its rotated files, whether a daemon writes it or
 * not. Lines are records as the file has them, except that a line a rotation split (a
 * {@code +} record right after a data record) is one line again, and a continuation that never
 * received a byte is no line. A line's text keeps at most its last {@link #MAX_TEXT} bytes: a
 * replay is for a terminal, and a console can send megabytes without a newline.
 */
final class LogReader {
    static final int MAX_TEXT = 1024 * 1024;
    /** Records whose start is looked for before a binary search gives up narrowing and reads on. */
    private static final int NARROW_ENOUGH = 64 * 1024;

    private LogReader() {}

    /** The last {@code count} lines, read from the end of the newest file backwards; at most {@link #MAX_REPLAY} bytes. */
    static List<Line> last(LogFiles files, int count) throws IOException {
        return last(files, count, MAX_REPLAY);
    }

    static List<Line> last(LogFiles files, int count, long maxBytes) throws IOException {
        if (count <= 0) return List.of();
        List<Path> paths = files.oldestFirst();
        Deque<LogRecord> got = new ArrayDeque<>();
        int lines = 0; // lines known to start within `got`, the first record's own not yet known
        long bytes = 0;
        boolean cut = false;
        for (int i = paths.size() - 1; i >= 0 && lines < count && !cut; i--) {
            try (FileChannel ch = FileChannel.open(paths.get(i), LogFiles.READ)) {
                BackwardRecords records = new BackwardRecords(ch);
                LogRecord r;
                while (lines < count && (r = records.previous(MAX_TEXT)) != null) {
                    if (r.emptyContinuation()) continue;
                    bytes += LogStamp.HEADER + r.text().length + 1; // and its \n
                    // the newest record always (its text is cut to MAX_TEXT): a bound never replays nothing
                    if (bytes > maxBytes && !got.isEmpty()) {
                        cut = true;
                        break;
                    }
                    LogRecord after = got.peekFirst();
                    // a continuation starts a line of its own unless a data record is right before it
                    if (after != null && after.tag() == LogRecord.CONTINUATION && r.mark()) lines++;
                    if (r.tag() != LogRecord.CONTINUATION) lines++;
                    got.addFirst(r);
                }
            } catch (NoSuchFileException e) {
                // rotated away or removed in between: the history goes on with the next file
            }
        }
        List<Line> all = lines(got);
        List<Line> wanted = all.subList(Math.max(0, all.size() - count), all.size());
        return cut ? cutAt(wanted, maxBytes, Instant.now()) : wanted;
    }

    /**
     * At most this many bytes of a log are read for one replay, the newest ones: the replay is read
     * while the console's output waits (nothing is lost or doubled between replay and live output),
     * so a replay of a long history must not hold the console, nor the daemon's memory.
     */
    static final long MAX_REPLAY = 8L * 1024 * 1024;

    /** The lines with a mark first that says older ones were left out; {@code at} stamps it when there is no line. */
    private static List<Line> cutAt(List<Line> lines, long maxBytes, Instant at0) {
        List<Line> out = new ArrayList<>(lines.size() + 1);
        Instant at = lines.isEmpty() ? at0 : lines.get(0).at();
        String bound = maxBytes % (1024 * 1024) == 0 ? maxBytes / (1024 * 1024) + " MiB" : maxBytes + " bytes";
        out.add(new Line(at, true, ("older lines not replayed: a replay reads at most " + bound
                + " of the log; the rest is in its files").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        out.addAll(lines);
        return out;
    }

    /**
     * The lines from the first record stamped at or after {@code from} on, whatever the stamps of
     * later records (a clock set back does not hide them), at most the last {@link #MAX_REPLAY}
     * bytes of them.
     *
     * <p>That first record is in the oldest file whose latest stamp is that late ({@link FileStamps}
     * knows each file's latest stamp and whether its stamps are in order). In a file whose stamps are
     * in order, a binary search comes near it and the stamps after decide; a file with a stamp earlier
     * than one before it (the clock was set back while it was written) is read from its start, as any
     * record in it may be the first. Files are never taken to be in order among themselves, nor by
     * their first stamps: with the clock set back, a newer file can begin earlier. So the result is
     * the same for a log of any size, and costs a binary search once each file's stamps are known.
     */
    static List<Line> since(LogFiles files, Instant from) throws IOException {
        return since(files, from, MAX_REPLAY);
    }

    /** Reads the stamps of every file of the log into {@link FileStamps}; a file that cannot be read is left to {@link #since}. */
    static void learnStamps(LogFiles files) {
        try {
            for (Path p : files.oldestFirst()) {
                try {
                    FileStamps.of(p);
                } catch (IOException e) {
                    // since() meets it again and says why
                }
            }
        } catch (IOException e) {
            // as above
        }
    }

    /** {@link #since(LogFiles, Instant)}, of at most the last {@code maxBytes} of the log. */
    static List<Line> since(LogFiles files, Instant from, long maxBytes) throws IOException {
        List<Path> paths = files.oldestFirst();
        int first = -1;
        long start = 0;
        for (int i = 0; i < paths.size() && first < 0; i++) {
            FileStamps.Summary stamps = FileStamps.of(paths.get(i));
            if (stamps.latest() == null || stamps.latest().isBefore(from)) continue;
            long near = stamps.ordered() ? boundaryBefore(paths.get(i), from, stamps.length()) : 0;
            start = firstStampedFrom(paths.get(i), near, from);
            if (start >= 0) first = i;
        }
        if (first < 0) return List.of();
        // the newest maxBytes at most: where they begin, if that is later than the first record wanted
        long[] sizes = new long[paths.size()];
        for (int i = 0; i < paths.size(); i++) sizes[i] = size(paths.get(i));
        long left = maxBytes;
        int cutFile = -1;
        long cutAt = 0;
        for (int i = paths.size() - 1; i >= first; i--) {
            long from0 = i == first ? start : 0;
            if (sizes[i] - from0 <= left) {
                left -= sizes[i] - from0;
                continue;
            }
            cutFile = i;
            cutAt = recordAfter(paths.get(i), sizes[i] - left, sizes[i], i == paths.size() - 1);
            break;
        }
        boolean cut = cutFile >= 0;
        if (cut) {
            first = cutFile;
            start = cutAt;
        }
        // from the first record wanted (or the cut after it) on, every record is
        List<LogRecord> got = new ArrayList<>();
        for (int i = first; i < paths.size(); i++) {
            try (ForwardRecords records = new ForwardRecords(paths.get(i), i == first ? start : 0, MAX_TEXT)) {
                LogRecord r;
                while ((r = records.next()) != null) got.add(r);
            } catch (NoSuchFileException e) {
                // rotated away in between
            }
        }
        return cut ? cutAt(lines(got), maxBytes, from) : lines(got);
    }

    /** Where the first record at or after {@code near} stamped at or after {@code from} begins; -1 if none does. */
    private static long firstStampedFrom(Path path, long near, Instant from) throws IOException {
        try (ForwardRecords records = new ForwardRecords(path, near, 0)) {
            LogRecord r;
            while ((r = records.next()) != null) {
                if (!r.at().isBefore(from)) return records.start();
            }
            return -1;
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    private static long size(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, LogFiles.READ)) {
            return ch.size();
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /**
     * The first record start at or after {@code p} in the file, or its end when none follows; in the
     * newest file, where that would replay nothing at all (its last record is longer than the bound:
     * a console that printed megabytes without a newline), that record's own start instead, whose
     * last {@link #MAX_TEXT} bytes the reading keeps.
     */
    private static long recordAfter(Path path, long p, long end, boolean newest) throws IOException {
        try (FileChannel ch = FileChannel.open(path, LogFiles.READ)) {
            long b = nextBoundary(ch, Math.max(1, p), end);
            return b >= 0 ? b : newest ? recordStartBefore(ch, p) : end;
        } catch (NoSuchFileException e) {
            return end;
        }
    }

    /** The start of the record {@code p} is in: just after the last {@code \n} before it, or 0. */
    private static long recordStartBefore(FileChannel ch, long p) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8192);
        long to = p;
        while (to > 0) {
            long from = Math.max(0, to - b.capacity());
            b.clear();
            b.limit((int) (to - from));
            int n = ch.read(b, from);
            if (n <= 0) return 0;
            for (int i = n - 1; i >= 0; i--) {
                if (b.get(i) == '\n') return from + i + 1;
            }
            to = from;
        }
        return 0;
    }

    /**
     * Every byte the console sent, in order: the data records' texts, each with its {@code \n}
     * unless the next data record is a continuation (then the {@code \n} only made room for a mark
     * or ended a file at a rotation).
     */
    static byte[] consoleBytes(LogFiles files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean newlineOwed = false;
        for (Path p : files.oldestFirst()) {
            try (ForwardRecords records = new ForwardRecords(p, 0, Integer.MAX_VALUE)) {
                LogRecord r;
                while ((r = records.next()) != null) {
                    if (r.mark()) continue;
                    if (newlineOwed && r.tag() == LogRecord.NEW_LINE) out.write('\n');
                    out.write(r.text(), 0, r.text().length);
                    newlineOwed = r.ended();
                }
            } catch (NoSuchFileException e) {
                // rotated away in between
            }
        }
        if (newlineOwed) out.write('\n');
        return out.toByteArray();
    }

    /** Records to lines: a continuation right after a data record joins its line; an empty continuation is none. */
    static List<Line> lines(Iterable<LogRecord> records) {
        List<Line> lines = new ArrayList<>();
        ByteArrayOutputStream joined = null;
        Instant joinedAt = null;
        boolean afterData = false;
        for (LogRecord r : records) {
            if (r.emptyContinuation()) continue;
            if (r.tag() == LogRecord.CONTINUATION && afterData) {
                if (joined == null) {
                    Line head = lines.remove(lines.size() - 1);
                    joined = new ByteArrayOutputStream();
                    joined.writeBytes(head.text());
                    joinedAt = head.at();
                }
                joined.writeBytes(r.text());
                continue;
            }
            if (joined != null) {
                lines.add(joinedLine(joinedAt, joined));
                joined = null;
            }
            lines.add(new Line(r.at(), r.mark(), r.text()));
            afterData = r.data();
        }
        if (joined != null) lines.add(joinedLine(joinedAt, joined));
        return lines;
    }

    private static Line joinedLine(Instant at, ByteArrayOutputStream text) {
        byte[] b = text.toByteArray();
        if (b.length > MAX_TEXT) b = java.util.Arrays.copyOfRange(b, b.length - MAX_TEXT, b.length);
        return new Line(at, false, b);
    }

    /** The stamp of a file's first record (garbage before it passed over); null when it has none near its start. */
    static Instant firstStamp(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, LogFiles.READ)) {
            long size = ch.size();
            long p = 0;
            for (int tries = 0; tries < 16 && p >= 0 && p < size; tries++) {
                Instant at = stampAt(ch, p);
                if (at != null) return at;
                p = nextBoundary(ch, p + 1, Math.min(size, p + NARROW_ENOUGH));
            }
            return null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * A record boundary before the first record stamped at or after {@code from}, found by halving
     * the file's first {@code length} bytes, whose stamps must be in order: a stamp there before
     * {@code from} then says that every record ahead of it is too.
     */
    private static long boundaryBefore(Path path, Instant from, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(path, LogFiles.READ)) {
            long lo = 0; // a boundary with only records stamped before `from` ahead of it
            long hi = Math.min(length, ch.size());
            while (hi - lo > NARROW_ENOUGH) {
                long mid = lo + (hi - lo) / 2;
                long b = nextBoundary(ch, mid, hi);
                Instant at = b < 0 ? null : stampAt(ch, b);
                if (at != null && at.isBefore(from)) lo = b;
                else hi = mid; // garbage there counts as late: reading starts earlier, never later
            }
            return lo;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** The first record start at or after {@code p} (just after a {@code \n}), before {@code limit}; -1 if none. */
    private static long nextBoundary(FileChannel ch, long p, long limit) throws IOException {
        if (p == 0) return 0;
        ByteBuffer b = ByteBuffer.allocate(8192);
        long at = p - 1;
        while (at < limit) {
            b.clear();
            b.limit((int) Math.min(b.capacity(), limit - at));
            int n = ch.read(b, at);
            if (n <= 0) return -1;
            for (int i = 0; i < n; i++) {
                if (b.get(i) == '\n') return at + i + 1 < limit ? at + i + 1 : -1;
            }
            at += n;
        }
        return -1;
    }

    private static Instant stampAt(FileChannel ch, long p) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(LogStamp.HEADER);
        while (b.hasRemaining()) {
            if (ch.read(b, p + b.position()) < 0) return null;
        }
        return LogRecord.tagOf(b.array()) == 0 ? null : LogStamp.parse(b.array(), 0);
    }
}
