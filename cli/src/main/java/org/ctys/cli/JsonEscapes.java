package org.ctys.cli;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON escapes for {@code --output json}: Jackson's own (quote, backslash, U+0000..U+001F as
 * {@code \n}, {@code \u001b} ...), and also DEL and the C1 controls U+0080..U+009F, which JSON
 * allows raw but which a terminal showing the document would obey. The document means the same.
 */
final class JsonEscapes extends CharacterEscapes {
    static final JsonEscapes INSTANCE = new JsonEscapes();

    private final int[] ascii;

    private JsonEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return ch >= 0x80 && ch <= 0x9f ? new SerializedString(String.format("\\u%04X", ch)) : null;
    }
}
