package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ctys.engine.run.Progress;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.Discover;
import org.ctys.spi.Follow;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Plan;
import org.ctys.spi.Result;
import org.ctys.spi.ShellWords;
import org.ctys.spi.Step;
import org.ctys.spi.Submit;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command handed its input whose answer decides the rest (Submit), and a command followed line by
 * line as it prints (Follow), run by the engine on this host (sh -c, no SSH): the input arrives
 * whole, every line reaches the plugin's reader in order, output the reader hands back is the
 * target's output, and the reader's last step is the target's verdict.
 */
class SubmitAndFollowTest {
    @TempDir Path dir;

    /** Records the lines; "progress" moves the target on, "out X" is output, the end says how the command ended. */
    static final class Recording implements Follow.Reader {
        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile String unreached;

        @Override
        public Follow.Seen line(String line) {
            lines.add(line);
            if (line.equals("progress")) return new Follow.Seen(Verdict.proceed("going", "on its way"), null);
            if (line.startsWith("out ")) return new Follow.Seen(null, (line.substring(4) + "\n").getBytes(StandardCharsets.UTF_8), 7);
            return Follow.Seen.NOTHING;
        }

        @Override
        public Step end(Output ended) {
            return new Note("t1", Verdict.done("followed", ended.exitText() + ", error output: "
                    + new String(ended.stderr(), StandardCharsets.UTF_8).strip()), Map.of());
        }

        @Override
        public Step unreached(Verdict why) {
            unreached = why.state();
            return new Note("t1", Verdict.fail("gone", why.message()), Map.of());
        }
    }

    private static Report run(Engine engine, Step root) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> engine.run(new Plan("test", List.of("t1"), root)));
    }

    private static Engine engine() {
        return new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> {
            throw new AssertionError("no SSH in these tests");
        });
    }

    private static Result result(Report r) { return r.results().get(0); }

    @Test
    void theInputArrivesWholeAndTheAnswerDecidesTheFollowedCommand() throws Exception {
        byte[] script = new byte[200 * 1024];
        new java.util.Random(7).nextBytes(script);
        Path got = dir.resolve("got");
        Recording reader = new Recording();
        String follow = "printf '%s\\n' progress 'out first' 'out second' noise; printf 'last'; echo oops >&2; exit 1";
        Submit submit = new Submit("t1", null, "cat > " + ShellWords.quote(got.toString()) + "; echo id-42", "fix.sh", script,
                Duration.ofSeconds(10), out -> {
                    String id = new String(out.stdout(), StandardCharsets.UTF_8).strip();
                    return new Discover.Expanded(List.of(), new Follow("t1", null, "echo " + id + "; " + follow,
                            Duration.ofSeconds(10), reader));
                }, null);

        Report r = run(engine(), submit);

        assertThat(Files.readAllBytes(got)).isEqualTo(script);
        assertThat(reader.lines).containsExactly("id-42", "progress", "out first", "out second", "noise", "last");
        assertThat(result(r).state()).isEqualTo("followed");
        assertThat(result(r).message()).isEqualTo("exit 1, error output: oops");
        assertThat(new String(result(r).output().stdout(), StandardCharsets.UTF_8)).isEqualTo("first\nsecond\n");
        // the output is shown with the exit status the reader gave it, not the followed command's
        assertThat(result(r).output().exitStatus()).isEqualTo(7);
        assertThat(r.status()).isEqualTo(ExitStatus.OK);
    }

    @Test
    void outputHandedBackIsStreamedAsACommandsOutputIs() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        Engine engine = engine().output(CommandOutput.streamed(CommandOutput.DEFAULT_CAP, out, out));
        run(engine, new Follow("t1", null, "printf '%s\\n' 'out fsck: clean' progress", Duration.ofSeconds(10), new Recording()));
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("t1: fsck: clean\n");
    }

    @Test
    void aFollowedCommandThatOutlivesItsBoundGoesToTheReader() {
        Recording reader = new Recording();
        Report r = run(engine(), new Follow("t1", null, "echo progress; sleep 30", Duration.ofMillis(700), reader));
        assertThat(reader.lines).containsExactly("progress");
        assertThat(reader.unreached).isEqualTo("timed-out");
        assertThat(result(r).state()).isEqualTo("gone");
        assertThat(r.status()).isEqualTo(ExitStatus.FAILED);
    }

    @Test
    void theDryRunShowsTheInputsNameAndWhatFollows() {
        Submit s = new Submit("t1", null, "ctys-bootd job add", "my fix.sh", new byte[] {1}, Duration.ofSeconds(1),
                out -> new Discover.Expanded(List.of(), new Note("t1", Verdict.done("x", "x"), Map.of())),
                new Follow("t1", null, "ctys-bootd job await JOB_ID", Duration.ofSeconds(1), new Recording()));
        assertThat(new Plan("p", List.of("t1"), s).render()).isEqualTo("p\n"
                + "  sh -c 'ctys-bootd job add'  # standard input: my fix.sh; its answer decides the rest; then:\n"
                + "    sh -c 'ctys-bootd job await JOB_ID'  # each line it prints is a change, followed as it comes\n");
    }
}
