package org.ctys.plugins.consoleserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ctys.exit.CtysException;
import org.junit.jupiter.api.Test;

/** SINCE:'s time is checked before anything connects, as the console server will read it. */
class ReplayFromTest {
    @Test
    void aTimeOutsideTheYearsOfALogsStampsIsRefusedNamingItAndTheYears() {
        for (String t : new String[] {"+1000000000-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59Z"}) {
            assertThatThrownBy(() -> ReplayFrom.word(t)).isInstanceOf(CtysException.class)
                    .hasMessage("suboption 'SINCE:" + t + "': the year must be from 0000 to 9999");
        }
        assertThat(ReplayFrom.word("0000-01-01T00:00:00Z")).isEqualTo("0000-01-01T00:00:00Z");
        assertThat(ReplayFrom.word("9999-12-31t23:59:59.999z")).isEqualTo("9999-12-31T23:59:59.999Z");
        assertThat(ReplayFrom.word("2h")).isEqualTo("2h");
    }
}
