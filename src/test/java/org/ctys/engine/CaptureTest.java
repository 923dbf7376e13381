package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.ctys.grammar.Sizes;
import org.ctys.spi.Output;
import org.junit.jupiter.api.Test;

/** A target's output kept up to the cap, each stream on its own, the rest counted; and streamed lines. */
class CaptureTest {

    @Test
    void keepsEveryByteUpToTheCapThroughTheSpoolAndDropsTheRest() throws Exception {
        long cap = 100 * Sizes.KIB;
        Capture c = new Capture(cap, new Spool());
        byte[] all = new byte[300 * 1024 + 17];
        new Random(7).nextBytes(all);
        // written in odd pieces, as a transport hands them over
        for (int off = 0; off < all.length; ) {
            int n = Math.min(all.length - off, 1 + off % 9000);
            c.out().write(all, off, n);
            off += n;
        }
        c.err().write("the error comes last\n".getBytes(StandardCharsets.UTF_8), 0, 21);

        Output o = c.finish(0, null);

        assertThat(o.out().size()).isEqualTo(cap);
        assertThat(o.stdout()).isEqualTo(java.util.Arrays.copyOf(all, (int) cap));
        assertThat(o.out().dropped()).isEqualTo(all.length - cap);
        assertThat(o.stderr()).asString(StandardCharsets.UTF_8).isEqualTo("the error comes last\n");
        assertThat(o.err().truncated()).isFalse();
        assertThat(o.truncated()).isTrue();
        assertThat(o.exitText()).isEqualTo("exit 0");
        assertThat(c.note()).isEqualTo("; output truncated after 100 KiB (200.0 KiB more read and dropped)");
    }

    @Test
    void smallOutputStaysWholeAndSaysNothing() throws Exception {
        Capture c = new Capture(CommandOutput.DEFAULT_CAP, new Spool());
        c.out().write("Linux\n".getBytes(StandardCharsets.UTF_8), 0, 6);
        Output o = c.finish(3, null);
        assertThat(o.stdout()).asString(StandardCharsets.UTF_8).isEqualTo("Linux\n");
        assertThat(o.truncated()).isFalse();
        assertThat(c.note()).isEmpty();
        // equal output, equal fingerprint: how the report folds without holding both
        assertThat(o.out().fingerprint()).isEqualTo(new Output("Linux\n".getBytes(StandardCharsets.UTF_8), new byte[0], 0, null)
                .out().fingerprint());
    }

    @Test
    void bothStreamsOverTheCapAreBothNamed() throws Exception {
        Capture c = new Capture(Sizes.KIB, new Spool());
        c.out().write(new byte[2048], 0, 2048);
        c.err().write(new byte[4096], 0, 4096);
        assertThat(c.note()).isEqualTo("; output and error output truncated after 1 KiB each (4.0 KiB more read and dropped)");
    }

    @Test
    void streamedLinesArePrefixedWholeAndALongLineIsCut() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Streamed s = new Streamed("lab01", Sizes.KIB, new PrintStream(out, false, StandardCharsets.UTF_8),
                new PrintStream(err, false, StandardCharsets.UTF_8));
        byte[] text = ("one\ntw").getBytes(StandardCharsets.UTF_8);
        s.out().write(text, 0, text.length);
        assertThat(out.toString(StandardCharsets.UTF_8)).as("a partial line waits for its end").isEqualTo("lab01: one\n");
        byte[] more = ("o\n" + "x".repeat(3000) + "\nthree").getBytes(StandardCharsets.UTF_8);
        s.out().write(more, 0, more.length);
        s.err().write("oops\n".getBytes(StandardCharsets.UTF_8), 0, 5);
        Output o = s.finish(0, null);

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("lab01: one\nlab01: two\nlab01: " + "x".repeat(1024) + "\nlab01: three\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("lab01: oops\n");
        assertThat(o.exitText()).isEqualTo("exit 0");
        assertThat(o.out().size()).as("nothing is kept: it was printed").isZero();
        assertThat(s.note()).isEqualTo("; 1 line cut at 1 KiB");
    }

    @Test
    void linesOfManyTargetsNeverMix() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream shared = new PrintStream(out, false, StandardCharsets.UTF_8);
        Thread[] writers = new Thread[8];
        for (int t = 0; t < writers.length; t++) {
            Streamed s = new Streamed("h" + t, Sizes.MIB, shared, shared);
            String line = ("h" + t + "-").repeat(50) + "\n";
            writers[t] = new Thread(() -> {
                byte[] b = line.repeat(200).getBytes(StandardCharsets.UTF_8);
                try {
                    // in pieces that end mid-line
                    for (int off = 0; off < b.length; off += 333) s.out().write(b, off, Math.min(333, b.length - off));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                s.finish(0, null);
            });
            writers[t].start();
        }
        for (Thread w : writers) w.join();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(8 * 200);
        for (String l : lines) {
            String target = l.substring(0, l.indexOf(':'));
            assertThat(l).isEqualTo(target + ": " + (target + "-").repeat(50));
        }
    }

    /** A transport closes the streams of a channel it gives up on (the server was busy) and retries with them. */
    @Test
    void aStreamClosedByTheTransportStillTakesTheNextChannelsLines() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream to = new PrintStream(out, false, StandardCharsets.UTF_8);
        Streamed s = new Streamed("lab01", Sizes.KIB, to, to);
        s.out().close();
        s.out().write("after the retry\nno newline".getBytes(StandardCharsets.UTF_8));
        s.finish(0, null);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("lab01: after the retry\nlab01: no newline\n");
    }
}
