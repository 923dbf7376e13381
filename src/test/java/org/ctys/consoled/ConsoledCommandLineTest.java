package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ctys-consoled's command line without a running daemon: imports, --check, and what it refuses. */
class ConsoledCommandLineTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Consoled.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), dir);
    }

    @Test
    void theImportsPrintAConfigurationThisDaemonReads() throws Exception {
        Path conf = dir.resolve("conman.conf");
        Files.writeString(conf, "console name=\"lab07\" dev=\"/dev/ttyS0\" seropts=\"9600,8n1\"\n");
        assertThat(run("--import-conman", conf.toString())).as(err.toString()).isZero();
        Path yaml = dir.resolve("consoled.yaml");
        Files.writeString(yaml, out.toString(StandardCharsets.UTF_8));
        assertThat(ConfigReader.read(yaml, Map.of(), dir).consoles()).extracting(ConsoleDef::name).containsExactly("lab07");

        out.reset();
        assertThat(run("--import-conserver", dir.resolve("missing.cf").toString())).isEqualTo(3);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void checkPrintsTheConsolesAndAMissingKeyFileIsAConfigurationError() throws Exception {
        Path keys = dir.resolve("alice.pub");
        Files.writeString(keys, "");
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "listen: 127.0.0.1:7022\nusers:\n  alice: {keys: alice.pub}\nconsoles:\n  pdu1: {cmd: 'telnet pdu1'}\n");
        assertThat(run("--config", cfg.toString(), "--check")).as(err.toString()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(cfg + ": valid; listen 127.0.0.1:7022, logs in /var/log/ctys/consoles,"
                + " 1 console, 1 user\npdu1  cmd     cmd telnet pdu1\n");

        Files.delete(keys);
        assertThat(run("--config", cfg.toString(), "--check")).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ctys-consoled: keys of user 'alice': ").contains("alice.pub");
    }

    @Test
    void reloadWithoutARunningDaemonIsStatusOne() throws Exception {
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "log-dir: logs\nconsoles:\n  pdu1: {cmd: 'telnet pdu1'}\n");
        assertThat(run("--config", cfg.toString(), "--reload")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("ctys-consoled: no daemon runs: its pid file "
                + dir.resolve("logs/ctys-consoled.pid") + " does not exist\n");
    }
}
