package org.ctys.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlCharsTest {

    @Test
    void everyControlCharacterIsMadeVisible() {
        assertThat(ControlChars.escape("\u001b]0;TITLE\u0007\u001b[31m")).isEqualTo("\\e]0;TITLE\\a\\e[31m");
        assertThat(ControlChars.escape("a\tb\r\nc\b\f\u000b")).isEqualTo("a\\tb\\r\\nc\\b\\f\\v");
        assertThat(ControlChars.escape("\u0000\u0001\u007f\u0080\u009b\u009f")).isEqualTo("\\x00\\x01\\x7f\\x80\\x9b\\x9f");
        // printable text, including non-ASCII and the backslash, stays as it is
        assertThat(ControlChars.escape("héllo \\e ☃ \u00a0")).isEqualTo("héllo \\e ☃ \u00a0");
    }

    @Test
    void invisibleFormatCharactersAndUnicodeLineSeparatorsAreMadeVisible() {
        // a right-to-left override shows "ok" for "ko" (and reverses the rest of the row); U+2028 is a line break to some -X readers
        assertThat(ControlChars.escape("web1\u202e ko\u202c")).isEqualTo("web1\\u202e ko\\u202c");
        assertThat(ControlChars.escape("a\u2066b\u2069c\u200fd\u061ce")).isEqualTo("a\\u2066b\\u2069c\\u200fd\\u061ce");
        assertThat(ControlChars.escape("one\u2028two\u2029")).isEqualTo("one\\u2028two\\u2029");
        assertThat(ControlChars.escape("soft\u00adhyphen")).isEqualTo("soft\\xadhyphen");
        // tag characters (invisible "ASCII smuggling") lie above U+FFFF: a pair of surrogates, escaped as one
        assertThat(ControlChars.escape("ok" + new String(Character.toChars(0xE0041)) + "\uD83D\uDE00"))
                .isEqualTo("ok\\U000e0041\uD83D\uDE00");
    }

    @Test
    void lineBreaksStayWhereTheyAreMeant() {
        assertThat(ControlChars.escapeKeepingLines("one\u001b[2J\ntwo\r")).isEqualTo("one\\e[2J\ntwo\\r");
    }
}
