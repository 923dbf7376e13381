package org.ctys.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The escapes as every console kind meets them, typed on a terminal: {@code ~?} lists only what the
 * console supports, {@code ~B} breaks where the link has one and says so where it has none, nothing
 * of an escape reaches the far end; and how a session's end becomes its outcome.
 */
class BridgeTest {

    /** A far end that keeps what it was sent; with or without a break, as the console kinds are. */
    private static class Far implements ConsoleLink {
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final List<String> breaks = new ArrayList<>();
        volatile boolean ended;

        @Override
        public byte[] read() throws IOException {
            if (ended) throw new Ended(9);
            return new byte[0];
        }

        @Override
        public synchronized void write(byte[] data, int length) { sent.write(data, 0, length); }
    }

    private static final class FarWithBreak extends Far {
        @Override
        public boolean sendBreak() {
            breaks.add("break after " + sent.toString(StandardCharsets.ISO_8859_1).replace("\r", "\\r"));
            return true;
        }
    }

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

    private SerialConsole.Outcome type(ConsoleLink far, String typed, boolean terminal, SessionLog log) {
        return new Bridge(far, new ByteArrayInputStream(typed.getBytes(StandardCharsets.ISO_8859_1)), screen,
                new PrintStream(errors, true, StandardCharsets.UTF_8), terminal, log).run("the console of lab01", () -> false);
    }

    private String said() { return errors.toString(StandardCharsets.UTF_8); }

    @Test
    void onAConsoleWithABreakTheHelpListsItAndTildeBSendsItInOrder() {
        FarWithBreak far = new FarWithBreak();
        SerialConsole.Outcome o = type(far, "~?ls\r~B~~x\r~.after", true, null);
        assertThat(o.end()).isEqualTo(SerialConsole.End.LEFT);
        assertThat(far.sent.toString(StandardCharsets.ISO_8859_1)).isEqualTo("ls\r~x\r");
        assertThat(far.breaks).containsExactly("break after ls\\r");
        assertThat(said()).contains("~B  send a break").contains("~.  leave").doesNotContain("no break");
    }

    @Test
    void onAConsoleWithoutABreakTheHelpLeavesItOutAndTildeBSendsNothing() {
        Far far = new Far();
        type(far, "~?~B~.", true, null);
        assertThat(far.sent.size()).isZero();
        assertThat(said()).doesNotContain("~B  send a break").contains("~?  this help")
                .contains("[ctys: this console has no break; nothing sent]");
    }

    @Test
    void pipedInputIsDataAndItsEndLeavesAConsoleThatCannotBeTold() {
        Far far = new Far();
        SerialConsole.Outcome o = type(far, "~.~B\n", false, null);
        assertThat(o.end()).isEqualTo(SerialConsole.End.INPUT_ENDED);
        assertThat(far.sent.toString(StandardCharsets.ISO_8859_1)).isEqualTo("~.~B\n");
        assertThat(said()).as("nothing of ctys's own among what a script reads").isEmpty();
    }

    @Test
    void aFarEndThatEndsWithAStatusEndsTheSessionWithIt() {
        Far far = new Far() {
            @Override
            public boolean endInput() {
                ended = true; // told of the end of input, it exits, as a shell does
                return true;
            }
        };
        SerialConsole.Outcome o = type(far, "exit 9\n", false, null);
        assertThat(o.end()).isEqualTo(SerialConsole.End.ENDED);
        assertThat(o.status()).isEqualTo(9);
    }

    @Test
    void aLinkWithABreakSaysSoWithoutBeingAsked() {
        assertThat(new FarWithBreak().hasBreak()).isTrue();
        assertThat(new Far().hasBreak()).isFalse();
    }
}
