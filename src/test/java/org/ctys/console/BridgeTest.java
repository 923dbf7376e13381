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

    /** A terminal: what was typed, then nothing more for as long as the session lasts (polled, as on a real one). */
    private static java.io.InputStream keyboard(String typed) {
        byte[] keys = typed.getBytes(StandardCharsets.ISO_8859_1);
        return new java.io.InputStream() {
            private boolean given;

            @Override
            public int read() { throw new UnsupportedOperationException(); }

            @Override
            public int read(byte[] b, int off, int len) {
                if (!given) {
                    given = true;
                    System.arraycopy(keys, 0, b, off, keys.length);
                    return keys.length;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                return 0; // a poll that ran out
            }
        };
    }

    /** A hypervisor's console: ends on Ctrl-] when it is the first byte of a write (as virsh reads it), if it ends on it at all. */
    private static class Hypervisor extends Far {
        final List<String> writes = new ArrayList<>();
        final List<Long> at = new ArrayList<>();
        private final boolean endsOnKey;

        Hypervisor(boolean endsOnKey) { this.endsOnKey = endsOnKey; }

        @Override
        public synchronized void write(byte[] data, int length) {
            super.write(data, length);
            writes.add(new String(data, 0, length, StandardCharsets.ISO_8859_1));
            at.add(System.nanoTime());
            if (endsOnKey && data[0] == 0x1d) ended = true;
        }

        @Override
        public byte[] read() throws IOException {
            if (ended) throw new Ended(0);
            return new byte[0];
        }

        @Override
        public int endKey() { return 0x1d; }
    }

    private SerialConsole.Outcome onTerminal(ConsoleLink far, String typed) {
        return new Bridge(far, keyboard(typed), screen, new PrintStream(errors, true, StandardCharsets.UTF_8), true, null)
                .run("the console of lab01[web1]", () -> false);
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void theEndKeyGoesAloneAFractionOfASecondBehindWhatWasTypedBeforeItAndNothingAfterIt() {
        Hypervisor far = new Hypervisor(true);
        SerialConsole.Outcome o = onTerminal(far, "\u001b[24;1R\u001dls\r");
        assertThat(o.end()).isEqualTo(SerialConsole.End.ENDED);
        assertThat(o.status()).isZero();
        assertThat(far.writes).containsExactly("\u001b[24;1R", "\u001d");
        assertThat(far.at.get(1) - far.at.get(0)).isGreaterThanOrEqualTo(Bridge.END_KEY_ALONE_MILLIS * 1_000_000L);
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aConsoleThatDoesNotEndOnItsEndKeyIsLeftAMomentLater() {
        Hypervisor far = new Hypervisor(false);
        long t0 = System.nanoTime();
        SerialConsole.Outcome o = onTerminal(far, "x\u001d");
        long took = (System.nanoTime() - t0) / 1_000_000L;
        assertThat(o.end()).isEqualTo(SerialConsole.End.LEFT);
        assertThat(o.message()).isEqualTo("it did not end on Ctrl-] within 2 s");
        assertThat(said()).contains("[ctys: left the console of lab01[web1]: it did not end on Ctrl-] within 2 s]");
        assertThat(took).isBetween(Bridge.END_KEY_GRACE_MILLIS, Bridge.END_KEY_GRACE_MILLIS + 5_000);
        assertThat(far.writes).containsExactly("x", "\u001d");
    }

    @Test
    void ctrlBracketIsPlainDataOnAConsoleThatDoesNotEndOnIt() {
        Far far = new Far();
        type(far, "a\u001db\r~.", true, null);
        assertThat(far.sent.toString(StandardCharsets.ISO_8859_1)).isEqualTo("a\u001db\r");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aKeyboardThatFailsEndsTheSessionAsLostInsteadOfLeavingItWithoutInput() {
        Far far = new Far();
        java.io.InputStream broken = new java.io.InputStream() {
            @Override
            public int read() { throw new java.io.IOError(new IOException("stty: standard input: Input/output error")); }

            @Override
            public int read(byte[] b, int off, int len) { return read(); }
        };
        SerialConsole.Outcome o = new Bridge(far, broken, screen, new PrintStream(errors, true, StandardCharsets.UTF_8), true, null)
                .run("the console of lab01", () -> false);
        assertThat(o.end()).isEqualTo(SerialConsole.End.LOST);
        assertThat(o.message()).contains("reading the keyboard failed").contains("Input/output error");
    }
}
