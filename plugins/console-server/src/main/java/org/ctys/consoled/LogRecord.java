package org.ctys.consoled;

import java.time.Instant;

/**
 * One record of a console log file as read back: {@code <stamp> <tag><text>} and whether the file
 * had its {@code \n} (every {@code \n} in the file ends a record; console data never escapes it).
 *
 * @param tag   {@link #NEW_LINE}, {@link #CONTINUATION} or {@link #MARK}
 * @param text  the bytes after the tag, without the record's {@code \n}
 * @param ended whether the record's {@code \n} is in the file (only the last record of a file can
 *              lack it: a line still open when the writer stopped or moved to a newer file)
 */
record LogRecord(Instant at, byte tag, byte[] text, boolean ended) {
    static final byte NEW_LINE = '|';
    static final byte CONTINUATION = '+';
    static final byte MARK = '*';

    boolean mark() { return tag == MARK; }

    boolean data() { return tag != MARK; }

    /** A continuation record that has not received a byte yet (written when a mark or a rotation interrupted a line). */
    boolean emptyContinuation() { return tag == CONTINUATION && text.length == 0; }

    /**
     * The record in {@code b[from, to)} (its {@code \n} excluded), keeping at most the last
     * {@code maxText} bytes of its text; null when it is not a record (a partial write, garbage).
     */
    static LogRecord parse(byte[] b, int from, int to, boolean ended, int maxText) {
        if (to - from < LogStamp.HEADER || b[from + LogStamp.LENGTH] != ' ') return null;
        byte tag = b[from + LogStamp.LENGTH + 1];
        if (tag != NEW_LINE && tag != CONTINUATION && tag != MARK) return null;
        Instant at = LogStamp.parse(b, from);
        if (at == null) return null;
        int textFrom = Math.max(from + LogStamp.HEADER, to - maxText);
        return new LogRecord(at, tag, java.util.Arrays.copyOfRange(b, textFrom, to), ended);
    }

    /** The header alone in {@code b[0, HEADER)}: its tag, or 0 when it is not one. */
    static byte tagOf(byte[] header) {
        if (header.length < LogStamp.HEADER || header[LogStamp.LENGTH] != ' ' || LogStamp.parse(header, 0) == null) return 0;
        byte tag = header[LogStamp.LENGTH + 1];
        return tag == NEW_LINE || tag == CONTINUATION || tag == MARK ? tag : 0;
    }
}
