package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.SshKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays bounded whatever the hosts print: ctys started by its launcher (bin/ctys) with a
 * small heap, against a real OpenSSH server reached under 256 names, and on this host. Gathered
 * output is kept up to --max-output per target (the rest read and dropped, and said); streamed
 * output holds only the line being received.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class OutputBoundsIT {
    private static final int HOSTS = 256;
    private static final int MIB = 1024 * 1024;
    /** How long one ctys run may take. */
    private static final Duration LIMIT = Duration.ofSeconds(300);

    @TempDir static Path work;
    private CtysRunner ctys;
    private OpenSshd sshd;
    /** This test's ctys runs: their output files are read until the test ends. */
    private final List<CtysRunner.Running> runs = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        SshKey key = SshKey.generate(work.resolve("id_key"));
        // the sessions get a HOME of their own: 256 logins at once must not run the server account's
        // ~/.bashrc (a pyenv there races with itself and prints on stderr, which the report would show)
        sshd = OpenSshd.onLoopback(work.resolve("sshd"), key.publicKey(),
                List.of("SetEnv HOME=" + Files.createDirectories(work.resolve("remote-home"))));
        Path home = Files.createDirectories(work.resolve("home"));
        key.copyTo(home.resolve(".ssh/id_ed25519"));
        Files.writeString(home.resolve(".ssh/config"), "Host h*\n  HostName 127.0.0.1\n  Port " + sshd.port + "\n  User "
                + System.getProperty("user.name") + "\n");
        sshd.trustIn(home);
        ctys = new CtysRunner(home).launcher();
    }

    @AfterEach
    void closeRuns() {
        runs.forEach(CtysRunner.Running::close);
        runs.clear();
    }

    @AfterAll
    void stop() {
        if (sshd != null) sshd.kill();
    }

    @Test
    void twoHundredFiftySixHostsPrintingOneMebibyteEachFitInAThreeHundredMegabyteHeap() throws Exception {
        // distinct output on every host, so nothing folds: each block is kept and shown
        Ended r = ctys("-Xmx300m", "-t", "cli", "-a", "create=cmd:head -c " + MIB + " /dev/urandom", "h[001-" + HOSTS + "]");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.size(r.out())).as("every host's mebibyte is in the report").isGreaterThan((long) HOSTS * MIB);
        String headers = r.headers();
        for (int i = 1; i <= HOSTS; i++) assertThat(headers).contains(String.format("h%03d (exit 0)", i));
    }

    @Test
    void streamedLinesOfTwoHundredFiftySixHostsComeWholeAndPrefixed() throws Exception {
        // 1 MiB per host in lines of 99 characters and a newline
        String command = "head -c " + MIB + " /dev/zero | tr '\\\\0' x | fold -w 99";
        Ended r = ctys("-Xmx300m", "--output", "stream", "-t", "cli", "-a", "create=cmd:" + command, "h[001-" + HOSTS + "]");

        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Integer> lines = new HashMap<>();
        String whole = "x".repeat(99);
        String last = "x".repeat(MIB % 99);
        try (var in = Files.newBufferedReader(r.out(), StandardCharsets.UTF_8)) {
            for (String l; (l = in.readLine()) != null; ) {
                int colon = l.indexOf(": ");
                assertThat(colon).as(l.length() > 80 ? l.substring(0, 80) : l).isPositive();
                assertThat(l.substring(colon + 2)).isIn(whole, last);
                lines.merge(l.substring(0, colon), 1, Integer::sum);
            }
        }
        assertThat(lines).hasSize(HOSTS);
        assertThat(lines.values()).allMatch(n -> n == MIB / 99 + 1);
        assertThat(r.err()).as("nothing to report: every command exited 0").isEmpty();
    }

    @Test
    void threeHundredMegabytesOverSshAreTruncatedAndTheExitStatusStands() throws Exception {
        Ended r = ctys("-Xmx200m", "-t", "cli", "-a", "create=cmd:head -c 300000000 /dev/zero; echo done >&2; exit 3", "h001");

        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.headers()).contains("h001 (exit 3; output truncated after 8 MiB)");
        assertThat(Files.size(r.out())).isBetween(8L * MIB, 8L * MIB + 200);
        assertThat(r.err()).contains("output truncated after 8 MiB (278.1 MiB more read and dropped)");
        // the error output has a cap of its own: what a command says last is not lost behind a flood
        assertThat(tail(r.out(), 100)).endsWith("done\n");
    }

    @Test
    void aLocalCommandHasTheSameCapAndTerseAndJsonSayIt() throws Exception {
        Ended terse = ctys("-Xmx200m", "-X", "--max-output", "1M", "-t", "cli", "-a", "create=cmd:head -c 300000000 /dev/zero",
                "localhost");
        Ended json = ctys("-Xmx200m", "--output", "json", "--max-output", "64K", "-t", "cli", "-a",
                "create=cmd:head -c 300000000 /dev/zero | tr '\\\\0' y", "localhost");

        assertThat(terse.exit()).as(terse.err()).isZero();
        assertThat(Files.readString(terse.out())).startsWith("localhost;ok;ran;")
                .contains("exit 0, output truncated after 1 MiB (285.1 MiB more read and dropped)").endsWith(";truncated=yes\n");
        assertThat(json.exit()).as(json.err()).isZero();
        var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out().toFile()).get("reports").get(0)
                .get("results").get(0);
        assertThat(result.get("truncated").asBoolean()).isTrue();
        assertThat(result.get("droppedBytes").asLong()).isEqualTo(300_000_000L - 64 * 1024);
        assertThat(result.get("stdout").asText()).isEqualTo("y".repeat(64 * 1024));
    }

    private static String tail(Path file, int n) throws IOException {
        try (var f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[(int) Math.min(n, f.length())];
            f.seek(f.length() - b.length);
            f.readFully(b);
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    /** How a ctys run ended; its stdout stays in a file, read in parts (it may be hundreds of megabytes). */
    private record Ended(int exit, CtysRunner.Running run) {
        Path out() {
            return run.stdout();
        }

        String err() {
            return run.err();
        }

        /** The header lines of the folded report, without reading megabytes of output as text. */
        String headers() throws IOException {
            StringBuilder b = new StringBuilder();
            try (InputStream in = Files.newInputStream(out())) {
                var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
                String previous = "";
                for (String l; (l = lines.readLine()) != null; previous = l.length() > 40 ? "" : l) {
                    if (previous.equals("-".repeat(15))) b.append(l).append('\n');
                }
            }
            return b.toString();
        }
    }

    /** ctys as installed, by its launcher, with the heap given; its output goes to files, which may be large. */
    private Ended ctys(String heap, String... args) {
        CtysRunner.Running run = ctys.env("CTYS_JAVA_OPTS", heap + " -XX:+ExitOnOutOfMemoryError").start(args);
        runs.add(run);
        return new Ended(run.end(LIMIT), run);
    }
}
