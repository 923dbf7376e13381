package org.ctys.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Random;
import org.ctys.spi.Output;
import org.junit.jupiter.api.Test;

/** A local command reads the input it is given, then end of input; without input it reads /dev/null. */
class LocalCommandInputTest {
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void inputReachesTheCommandWholeEvenWhenLargerThanAPipe() throws Exception {
        // larger than the 64 KiB a pipe holds: the writer must not block the command's output
        byte[] script = new byte[512 * 1024];
        new Random(13).nextBytes(script);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        Output o = LocalCommand.run("cat; echo done >&2", T, script, out, err);

        assertThat(o.exitStatus()).isZero();
        assertThat(out.toByteArray()).isEqualTo(script);
        assertThat(err.toString()).isEqualTo("done\n");
    }

    @Test
    void aCommandThatReadsNothingStillEnds() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Output o = LocalCommand.run("exit 4", T, new byte[1024 * 1024], out, new ByteArrayOutputStream());
        assertThat(o.exitStatus()).isEqualTo(4);
    }

    @Test
    void withoutInputTheCommandReadsEndOfInput() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Output o = LocalCommand.run("wc -c", T, null, out, new ByteArrayOutputStream());
        assertThat(o.exitStatus()).isZero();
        assertThat(out.toString().strip()).isEqualTo("0");
    }
}
