package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EscapedLinesTest {

    /** MINA logs a global request's name as the server sent it: an OSC 52 clipboard write must not reach the terminal. */
    @Test
    void aLibrarysLogLineShowsARemotesControlCharactersAndKeepsLinesAndTabs() {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        PrintStream lib = EscapedLines.around(new PrintStream(seen, true, StandardCharsets.UTF_8));

        lib.println("[nio2-thread-1] WARN ...ConnectionService - unknown global request: \u001b]52;c;cm0gLXJmIH4K\u0007");
        lib.print("java.io.IOException: closed by \u009b2J");
        lib.println();
        lib.println("\tat org.apache.sshd.X.y(X.java:1) caf\u00e9 \u202eoverride");
        lib.print("no line end yet");
        lib.flush();

        assertThat(seen.toString(StandardCharsets.UTF_8)).isEqualTo(
                "[nio2-thread-1] WARN ...ConnectionService - unknown global request: \\e]52;c;cm0gLXJmIH4K\\a\n"
                + "java.io.IOException: closed by \\x9b2J\n"
                + "\tat org.apache.sshd.X.y(X.java:1) caf\u00e9 \\u202eoverride\n"
                + "no line end yet");
    }
}
