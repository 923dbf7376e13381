package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ctys.engine.Report;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.Captured;
import org.ctys.spi.Output;
import org.ctys.spi.Result;
import org.junit.jupiter.api.Test;

/** Command output folded as clush -b does, and in JSON byte-faithful. */
class RendererOutputTest {

    private static Result ran(String target, String out, int exit) {
        return new Result(target, exit == 0 ? Result.Status.OK : Result.Status.FAILED, "ran", "exit " + exit,
                Duration.ofMillis(120), Map.of(), new Output(out.getBytes(StandardCharsets.UTF_8), new byte[0], exit, null));
    }

    private static String render(Renderer.Format format, Result... results) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Report report = new Report("t", List.of(results), ExitStatus.FAILED, null);
        Renderer.render(List.of(report), format, "0.1.0", new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void identicalOutputIsFoldedUnderANodeSet() {
        String text = render(Renderer.Format.TEXT, ran("lab01", "Linux\n", 0), ran("lab02", "Linux\n", 0),
                ran("lab03", "BSD", 0), ran("lab04", "Linux\n", 0), ran("lab05", "Linux\n", 1),
                new Result("lab06", Result.Status.FAILED, "unreachable", "connection refused", Duration.ZERO, Map.of()));
        assertThat(text).isEqualTo("""
                ---------------
                lab[01-02,04] (exit 0)
                ---------------
                Linux
                ---------------
                lab03 (exit 0)
                ---------------
                BSD
                ---------------
                lab05 (exit 1)
                ---------------
                Linux
                lab06: FAILED unreachable - connection refused
                """);
    }

    @Test
    void jsonKeepsEachTargetsOutputAndBinaryAsBase64() throws Exception {
        Result binary = new Result("lab02", Result.Status.OK, "ran", "exit 0", Duration.ZERO, Map.of(),
                new Output(new byte[] {(byte) 0xff, 0, 1}, "warn\n".getBytes(StandardCharsets.UTF_8), 0, null));
        JsonNode doc = new ObjectMapper().readTree(render(Renderer.Format.JSON, ran("lab01", "héllo\n", 0), binary));
        JsonNode results = doc.get("reports").get(0).get("results");
        assertThat(results.get(0).get("stdout").asText()).isEqualTo("héllo\n");
        assertThat(results.get(0).get("exitStatus").asInt()).isZero();
        assertThat(results.get(1).get("stdoutBase64").asText()).isEqualTo("/wAB");
        assertThat(results.get(1).get("stderr").asText()).isEqualTo("warn\n");
    }

    // what a hostile remote puts in its error output: retitle the terminal, then turn it red
    private static final String TITLE = "\u001b]0;TITLE\u0007\u001b[31m";

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c != '\n' && org.ctys.spi.ControlChars.isControl((char) c));
    }

    @Test
    void textAboutATargetShowsControlCharactersEscapedInEveryFormat() {
        Result r = new Result("lab01", Result.Status.FAILED, "ran" + TITLE, "exit 2: " + TITLE + "\tsend failed\r\nx\u009b1m",
                Duration.ZERO, Map.of());
        Result listed = new Result("lab02", Result.Status.OK, "known", "ok", Duration.ZERO, Map.of("os", "Linux" + TITLE));
        String text = render(Renderer.Format.TEXT, r);
        assertThat(hasControl(text)).as(text).isFalse();
        assertThat(text).contains("exit 2: \\e]0;TITLE\\a\\e[31m\\tsend failed\\r\\nx\\x9b1m").endsWith("\n")
                .hasLineCount(2);
        String table = render(Renderer.Format.TEXT, listed);
        assertThat(hasControl(table)).as(table).isFalse();
        assertThat(table).contains("Linux\\e]0;TITLE\\a\\e[31m");
        String terse = render(Renderer.Format.TERSE, r, listed);
        assertThat(hasControl(terse)).as(terse).isFalse();
        // one record per target, whatever the message held; ';' of the escape written as ','
        assertThat(terse.lines()).hasSize(2).first().asString()
                .startsWith("lab01;FAILED;ran\\e]0,TITLE\\a\\e[31m;");
    }

    @Test
    void foldedOutputStaysRawWhileItsHeadersAndTheUnreachedLinesAreEscaped() {
        Result hostileExit = new Result("lab01", Result.Status.FAILED, "ran", "signal", Duration.ZERO, Map.of(),
                new Output(("out" + TITLE + "\n").getBytes(StandardCharsets.UTF_8), new byte[0], null, "KILL" + TITLE));
        Result unreached = new Result("lab02", Result.Status.FAILED, "unreachable", "banner: " + TITLE, Duration.ZERO, Map.of());
        String text = render(Renderer.Format.TEXT, hostileExit, unreached);
        // the command's own output is raw, as ssh prints it
        assertThat(text).contains("out" + TITLE + "\n");
        String ours = text.replace("out" + TITLE + "\n", "");
        assertThat(hasControl(ours)).as(ours).isFalse();
        assertThat(ours).contains("lab01 (signal KILL\\e]0;TITLE\\a\\e[31m)")
                .contains("lab02: FAILED unreachable - banner: \\e]0;TITLE\\a\\e[31m");
    }

    @Test
    void jsonEscapesEveryControlCharacterAndMeansTheSame() throws Exception {
        String message = TITLE + "\u007f\u0085\u009b" + "é";
        Result r = new Result("lab01", Result.Status.FAILED, "ran", message, Duration.ZERO, Map.of());
        String json = render(Renderer.Format.JSON, r);
        assertThat(json.chars().filter(c -> c != '\n').noneMatch(c -> org.ctys.spi.ControlChars.isControl((char) c)))
                .as(json).isTrue();
        assertThat(json).contains("\\u001B]0;TITLE\\u0007\\u001B[31m\\u007F\\u0085\\u009B" + "é");
        JsonNode doc = new ObjectMapper().readTree(json);
        assertThat(doc.get("reports").get(0).get("results").get(0).get("message").asText()).isEqualTo(message);
    }

    /** Output over --max-output, as the engine keeps it: 16 bytes of it, 1000 more dropped. */
    private static Result truncated(String target) {
        Captured kept = new Captured() {
            @Override
            public long size() { return 16; }

            @Override
            public long dropped() { return 1000; }

            @Override
            public java.io.InputStream open() { return new java.io.ByteArrayInputStream("0123456789abcdef".getBytes(StandardCharsets.UTF_8)); }
        };
        return new Result(target, Result.Status.OK, "ran", "exit 0; output truncated after 16 bytes", Duration.ZERO, Map.of(),
                new Output(kept, Captured.of(new byte[0]), 0, null));
    }

    @Test
    void truncatedOutputIsSaidInEveryFormat() throws Exception {
        assertThat(render(Renderer.Format.TEXT, truncated("lab01"), ran("lab02", "0123456789abcdef", 0))).isEqualTo("""
                ---------------
                lab01 (exit 0; output truncated after 16 bytes)
                ---------------
                0123456789abcdef
                ---------------
                lab02 (exit 0)
                ---------------
                0123456789abcdef
                """);
        assertThat(render(Renderer.Format.TERSE, truncated("lab01"), ran("lab02", "x", 0)))
                .startsWith("lab01;ok;ran;0.000;exit 0, output truncated after 16 bytes;truncated=yes\n")
                .contains("lab02;ok;ran;0.120;exit 0\n");
        JsonNode results = new ObjectMapper().readTree(render(Renderer.Format.JSON, truncated("lab01"), ran("lab02", "x", 0)))
                .get("reports").get(0).get("results");
        assertThat(results.get(0).get("truncated").asBoolean()).isTrue();
        assertThat(results.get(0).get("droppedBytes").asLong()).isEqualTo(1000);
        assertThat(results.get(0).get("stdout").asText()).isEqualTo("0123456789abcdef");
        assertThat(results.get(1).get("truncated").asBoolean()).isFalse();
    }

    @Test
    void aDryRunShowsItsPlanThenTheTargetsARealRunWouldRefuse() {
        org.ctys.spi.Plan plan = new org.ctys.spi.Plan("t", List.of("lab01", "lab02"),
                new org.ctys.spi.Note("lab01", org.ctys.spi.Verdict.done("ok", "nothing"), Map.of()));
        Result refused = new Result("lab02", Result.Status.CONFIG, "ssh-config", "~/.ssh/config:2: Port 'notaport' is no port",
                Duration.ZERO, Map.of());
        Report report = new Report("t", List.of(refused), ExitStatus.CONFIG, plan);
        for (Renderer.Format f : List.of(Renderer.Format.TEXT, Renderer.Format.TERSE)) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            Renderer.render(List.of(report), f, "0.1.0", new PrintStream(b, true, StandardCharsets.UTF_8));
            String shown = b.toString(StandardCharsets.UTF_8);
            assertThat(shown).as(f.name()).startsWith(plan.render()).contains("lab02").contains("CONFIG")
                    .contains("Port 'notaport'");
        }
    }
}
