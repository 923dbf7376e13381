package org.ctys.inventory;


/**
 * Checks the bytes of an inventory before YAML sees them: they are UTF-8, and no line is longer
 * than {@link Limits#LINE_BYTES}. Jackson reports bad UTF-8 as a {@code CharConversionException}
 * at "byte #-1"; this names the line and the byte instead. One pass, no copy.
 */
final class InventoryText {

    private InventoryText() {}

    static void check(byte[] b, Source source) {
        int n = b.length;
        if (n >= 2 && (b[0] == (byte) 0xFE && b[1] == (byte) 0xFF || b[0] == (byte) 0xFF && b[1] == (byte) 0xFE)) {
            throw source.error(1, "not valid UTF-8: the file starts with a UTF-16 byte order mark; save it as UTF-8");
        }
        int line = 1;
        int lineStart = 0;
        int i = n >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF ? 3 : 0;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                if (c == '\n' || c == '\r') {
                    if (c == '\r' && i < n && b[i] == '\n') i++;
                    line++;
                    lineStart = i;
                }
            } else {
                int len = sequenceLength(b, i);
                if (len == 0) {
                    throw source.error(line, String.format("not valid UTF-8: byte 0x%02X at byte offset %d (column %d)"
                            + " does not start or continue a UTF-8 character; an inventory is UTF-8 text",
                            c, i, i - lineStart + 1));
                }
                i += len;
            }
            if (i - lineStart > Limits.LINE_BYTES) {
                throw source.error(line, "the line is longer than " + Limits.LINE_TEXT + ", the limit for one line"
                        + " of an inventory; write a long list one entry per line");
            }
        }
    }

    /** The length of the well-formed UTF-8 sequence at {@code i} (RFC 3629: no overlong forms, no surrogates), or 0. */
    private static int sequenceLength(byte[] b, int i) {
        int c = b[i] & 0xFF;
        int len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (len == 0 || i + len > b.length) return 0;
        for (int k = 1; k < len; k++) {
            if ((b[i + k] & 0xC0) != 0x80) return 0;
        }
        int second = b[i + 1] & 0xFF;
        if (c == 0xE0 && second < 0xA0 || c == 0xED && second > 0x9F
                || c == 0xF0 && second < 0x90 || c == 0xF4 && second > 0x8F) {
            return 0;
        }
        return len;
    }
}
