package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** -d 2's phase lines read as printf's "%.1f ms" did, without printf. */
class PhasesTest {
    @Test
    void tenthsRoundHalfUpAsPrintfDid() {
        for (long nanos : new long[] {0, 49_999, 50_000, 54_149_999, 54_150_000, 999_950_000, 5_976_700_000L, 123_456_789_012L}) {
            assertThat(Phases.tenths(nanos)).as("%d ns", nanos).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6));
        }
    }

    @Test
    void aPhaseLine() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Phases p = new Phases(new PrintStream(b, true, StandardCharsets.UTF_8), System.nanoTime());
        p.done("plan");
        assertThat(b.toString(StandardCharsets.UTF_8)).matches("ctys: debug: plan: \\d+\\.\\d ms\\R");
    }
}
