package org.ctys.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void plainWordsStandAndEverythingAShellWouldExpandIsQuoted() {
        assertThat(ShellWords.quote("root@lab01")).isEqualTo("root@lab01");
        assertThat(ShellWords.quote("/usr/bin/ctys")).isEqualTo("/usr/bin/ctys");
        assertThat(ShellWords.quote("pm01[vm3]")).isEqualTo("'pm01[vm3]'");
        assertThat(ShellWords.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellWords.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellWords.quote("")).isEqualTo("''");
        assertThat(ShellWords.quote("~/x*")).isEqualTo("'~/x*'");
    }

    @Test
    void controlCharactersAreWrittenAsEscapesThatGiveThemBack() {
        assertThat(ShellWords.quote("a\u001b]0;t\u0007b")).isEqualTo("$'a\\e]0;t\\ab'");
        assertThat(ShellWords.quote("x\ny")).isEqualTo("$'x\\ny'");
        // a quote inside $'…' as \x27: dash, which has no $'…', still sees one single-quoted word
        assertThat(ShellWords.quote("it's\t\\")).isEqualTo("$'it\\x27s\\t\\\\'");
        assertThat(ShellWords.quote("\u009b")).isEqualTo("$'\\xc2\\x9b'");
    }
}
