package org.ctys.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A console session recorded with --log: what the machine printed, line by line, each line
 * prefixed with the UTC time (ISO-8601, milliseconds) its first byte arrived, and a mark line
 * ({@code -- ctys: ...}) when the session starts and when it ends and how. What the user typed is
 * never written (it may be a password); a far end that echoes it prints it, as on the screen.
 *
 * <p>Bytes are kept as they came (escape sequences included: {@code less -R} shows them), except
 * the line ends: LF, CR LF and a CR alone each end a line, so every line of the file starts with
 * its time (a CR alone would put the next text over the stamp; a progress bar's steps become
 * stamped lines). A line of the machine's that begins like a mark ({@code -- ctys: }), escape
 * sequences before it left out, is written with a backslash before it, so that a machine cannot forge the session's start or end in the
 * record. The file is appended to, created readable by its owner only
 * (a console shows what its machine says), and written through at each line, so {@code tail -f}
 * follows it.
 */
public final class SessionLog implements AutoCloseable {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** The start of a mark line: no line the machine printed is written with it after the stamp. */
    public static final String MARK = "-- ctys: ";

    private final OutputStream file;
    private final Clock clock;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private Instant lineStarted;
    private boolean afterCr;
    private boolean closed;

    SessionLog(OutputStream file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** Opens {@code path} for appending, creating it (mode 0600) when it does not exist. */
    public static SessionLog append(Path path) throws IOException {
        if (!Files.exists(path)) {
            try {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made in between: appended to as it is
            }
        }
        return new SessionLog(Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND), Clock.systemUTC());
    }

    /**
     * Whether {@code path} can be opened for appending, without creating it: null when it can,
     * else why not. Asked before anything is started.
     */
    public static String whyNot(Path path) {
        Path p = path.toAbsolutePath();
        if (Files.isDirectory(p)) return "is a directory";
        if (Files.exists(p)) return Files.isRegularFile(p) && Files.isWritable(p) ? null : "cannot be written";
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir)) return "is in a directory that does not exist";
        return Files.isWritable(dir) ? null : "cannot be created in " + dir;
    }

    /** The session began. */
    public synchronized void started(String what) { mark("attached to " + what); }

    /** What the machine printed. */
    public synchronized void output(byte[] data, int length) {
        if (closed) return;
        for (int i = 0; i < length; i++) {
            byte b = data[i];
            boolean lf = b == '\n';
            if (lf && afterCr) {
                afterCr = false; // CR LF: the CR has ended the line
                continue;
            }
            afterCr = b == '\r';
            if (lineStarted == null) lineStarted = clock.instant();
            if (lf || afterCr) endLine();
            else line.write(b);
        }
    }

    /** The session ended, and how; a line the machine left unfinished is written first. */
    public synchronized void ended(String how) {
        if (lineStarted != null) endLine();
        mark("ended: " + how);
    }

    private void mark(String text) {
        if (closed) return;
        if (lineStarted != null) endLine();
        write(STAMP.format(clock.instant()) + " " + MARK + text.replace('\n', ' ').replace('\r', ' ') + "\n");
    }

    private void endLine() {
        byte[] bytes = line.toByteArray();
        ByteArrayOutputStream whole = new ByteArrayOutputStream(bytes.length + 26);
        whole.writeBytes((STAMP.format(lineStarted) + " ").getBytes(StandardCharsets.US_ASCII));
        if (looksLikeAMark(bytes)) whole.write('\\');
        whole.write(bytes, 0, bytes.length);
        whole.write('\n');
        line.reset();
        lineStarted = null;
        try {
            file.write(whole.toByteArray());
            file.flush();
        } catch (IOException e) {
            closed = true; // a full disk must not end the console; the session's end says nothing more
        }
    }

    private static final byte[] MARK_BYTES = MARK.getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether a line shows as a mark: it begins with {@link #MARK} once the escape sequences and control
     * bytes before it are left out ({@code less -R} shows {@code ESC[0m-- ctys: …} as the mark itself).
     */
    static boolean looksLikeAMark(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c == 0x1b && i + 1 < b.length && b[i + 1] == '[') {
                i += 2; // CSI: parameters up to the final byte
                while (i < b.length && ((b[i] & 0xff) < 0x40 || (b[i] & 0xff) > 0x7e)) i++;
                i++;
            } else if (c == 0x1b && i + 1 < b.length && b[i + 1] == ']') {
                i += 2; // OSC: up to BEL or ESC \
                while (i < b.length && b[i] != 0x07 && !(b[i] == 0x1b && i + 1 < b.length && b[i + 1] == '\\')) i++;
                i += i < b.length && b[i] == 0x1b ? 2 : 1;
            } else if (c == 0x1b) {
                i += 2;
            } else if (c < 0x20 || c == 0x7f) {
                i++;
            } else {
                break;
            }
        }
        return b.length - Math.min(i, b.length) >= MARK_BYTES.length
                && java.util.Arrays.equals(b, i, i + MARK_BYTES.length, MARK_BYTES, 0, MARK_BYTES.length);
    }

    private void write(String text) {
        try {
            file.write(text.getBytes(StandardCharsets.UTF_8));
            file.flush();
        } catch (IOException e) {
            closed = true;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            file.close();
        } catch (IOException e) {
            // nothing more can be written to it anyway
        }
    }
}
