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
import org.ctys.spi.Captured;
import org.ctys.spi.ExitStatus;
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
}
