package org.ctys.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ctys.spi.ShellWords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress is animated exactly when standard error is a terminal, whatever standard input and
 * output are. ctys runs on a real pseudo terminal made by script(1) (util-linux, Debian's
 * essential bsdutils), which records what reaches the terminal.
 */
class StandardErrorTest {
    @TempDir
    Path dir;

    @Test
    void terminalsAreTheDevicesLinuxNamesAsSuch() {
        for (String t : List.of("/dev/pts/0", "/dev/pts/17", "/dev/tty", "/dev/tty1", "/dev/ttyS0", "/dev/ttyUSB0", "/dev/console")) {
            assertThat(StandardError.isTerminalDevice(t)).as(t).isTrue();
        }
        for (String f : List.of("/dev/null", "pipe:[4711]", "socket:[42]", "/tmp/log", "/dev/pts/ptmx", "/home/u/dev/pts/1",
                "anon_inode:[eventfd]")) {
            assertThat(StandardError.isTerminalDevice(f)).as(f).isFalse();
        }
    }

    @Test
    void theDecisionReadsWhatTheDescriptorIsOpenOn() throws Exception {
        Path link = dir.resolve("2");
        Files.createSymbolicLink(link, Path.of("/dev/pts/5"));
        assertThat(StandardError.isTerminal(link)).isTrue();
        assertThat(StandardError.isTerminal(dir.resolve("missing"))).isFalse();
        // this JVM's own stderr under the test runner is a pipe or a file, never a terminal
        assertThat(StandardError.isTerminal()).isFalse();
    }

    @Test
    void stderrRedirectedToAFileGetsPlainLinesThoughStdinAndStdoutAreATerminal() throws Exception {
        Path log = dir.resolve("log");
        String screen = onTerminal("2>" + ShellWords.quote(log.toString()));
        String written = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(written).as(written).doesNotContain("\r").contains("ctys: localhost: ran - exit 0\n");
        assertThat(screen).contains("localhost (exit 0)");
    }

    @Test
    void stderrOnATerminalIsAnimatedThoughStdoutIsAFile() throws Exception {
        Path out = dir.resolve("out");
        String screen = onTerminal(">" + ShellWords.quote(out.toString()));
        // one frame: a carriage return, the spinner, the target's state; no plain line
        assertThat(screen).contains("\r/ localhost: ran - exit 0").doesNotContain("ctys: localhost:");
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("localhost (exit 0)");
    }

    /** Runs {@code ctys -t cli -a create=cmd:true} (here, without SSH) on a pseudo terminal; what reached it. */
    private String onTerminal(String redirect) throws Exception {
        Path script = Path.of("/usr/bin/script");
        assertThat(Files.isExecutable(script)).as("script(1) is missing: install the Debian package bsdutils").isTrue();
        List<String> ctys = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin", "HOME=" + dir,
                "CTYS_ETHERS=" + dir.resolve("no-ethers"), "CTYS_SYSTEM_INVENTORY=" + dir.resolve("no-inventory.yaml"),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "org.ctys.Main", "-t", "cli", "-a", "create=cmd:true"));
        String command = ShellWords.join(ctys) + " " + redirect;
        Path typescript = dir.resolve("typescript");
        Process p = new ProcessBuilder(script.toString(), "-q", "-e", "-c", command, typescript.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("script.out").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ctys on a terminal did not end").isTrue();
        String screen = Files.readString(typescript, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(screen).isZero();
        return screen;
    }
}
