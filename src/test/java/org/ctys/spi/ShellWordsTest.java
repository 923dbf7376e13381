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
}
