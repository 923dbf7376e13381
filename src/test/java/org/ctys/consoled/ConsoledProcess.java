package org.ctys.consoled;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.testkit.Proc;

/**
 * ctys-consoled as a sysadmin runs it: {@code bin/ctys-consoled --config FILE} in a process of its
 * own (the jar the build made; CTYS_NO_BUILD keeps the launcher from building), its messages in a
 * file the test reads. Stopped with SIGTERM, or killed with SIGKILL as a crash would.
 */
final class ConsoledProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("ctys-consoled: listening on 127\\.0\\.0\\.1:(\\d+) ");

    final Path config;
    final Path stderr;
    private final Path pidFile;
    private final Process process;
    private int port;

    private ConsoledProcess(Path config, Path stderr, Process process) {
        this.config = config;
        this.stderr = stderr;
        this.process = process;
        this.pidFile = ConfigReader.read(config, java.util.Map.of(), config.getParent()).pidFile();
    }

    static Path launcher() {
        Path bin = Path.of("bin/ctys-consoled").toAbsolutePath();
        if (!Files.isRegularFile(Path.of("target/ctys.jar"))) {
            throw new AssertionError("target/ctys.jar is missing: these tests run after 'mvn package' (mvn verify)");
        }
        return bin;
    }

    /** Starts the daemon on {@code config} and waits until it listens. */
    static ConsoledProcess start(Path config) {
        Path err = config.resolveSibling("consoled-" + System.nanoTime() + ".err");
        // systemd starts a service with every signal at its default; so does the test, whatever its own run inherited
        // (a signal ignored when a JVM starts stays ignored, and SIGHUP is the daemon's reload)
        ProcessBuilder pb = new ProcessBuilder(List.of(Proc.require("timeout", "coreutils"), "-s", "KILL", "900",
                Proc.require("perl", "perl-base"), "-e", "$SIG{$_} = 'DEFAULT' for qw(HUP INT TERM); exec @ARGV or die \"exec: $!\"",
                launcher().toString(), "--config", config.toString()));
        pb.environment().put("CTYS_NO_BUILD", "1");
        pb.redirectErrorStream(false).redirectOutput(err.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            ConsoledProcess d = new ConsoledProcess(config, err, pb.start());
            d.port = d.awaitListening();
            return d;
        } catch (IOException e) {
            throw new AssertionError("cannot start ctys-consoled: " + e.getMessage(), e);
        }
    }

    /** Runs {@code bin/ctys-consoled args} to its end (--check, --reload, a config that fails). */
    static Proc.Outcome run(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(List.of(args));
        return Proc.run(Duration.ofSeconds(60), java.util.Map.of("CTYS_NO_BUILD", "1"), cmd);
    }

    private int awaitListening() {
        if (!Proc.await(() -> LISTENING.matcher(said()).find() || !process.isAlive(), Duration.ofSeconds(60))) {
            Proc.kill(process);
            throw new AssertionError("ctys-consoled did not listen within 60 s; it said:\n" + said());
        }
        Matcher m = LISTENING.matcher(said());
        if (!m.find()) throw new AssertionError("ctys-consoled ended before it listened; it said:\n" + said());
        return Integer.parseInt(m.group(1));
    }

    int port() { return port; }

    /** The pid in the daemon's pid file: bin/ctys-consoled, which passes signals on to the JVM, as systemd's main process. */
    long pid() {
        try {
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new AssertionError("cannot read the pid file " + pidFile + ": " + e.getMessage() + "; the daemon said:\n" + said(), e);
        }
    }

    String said() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the daemon has said {@code text} (at least {@code times} times). */
    void awaitSaid(String text, int times) {
        if (!Proc.await(() -> said().split(Pattern.quote(text), -1).length > times, Duration.ofSeconds(30))) {
            throw new AssertionError("ctys-consoled did not say '" + text + "' " + times + "x; it said:\n" + said());
        }
    }

    void awaitSaid(String text) { awaitSaid(text, 1); }

    /** SIGHUP, as systemd's reload does. */
    void hangUp() {
        requireHangUpHandled();
        Proc.ok("kill", "-HUP", Long.toString(pid()));
    }

    /** The launcher must be able to take SIGHUP: a run that ignores it (nohup) would hand that on. */
    void requireHangUpHandled() {
        try {
            String ignored = Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status")).stream()
                    .filter(l -> l.startsWith("SigIgn:")).findFirst().map(l -> l.substring("SigIgn:".length()).strip()).orElse("0");
            if (new java.math.BigInteger(ignored, 16).testBit(0)) {
                throw new AssertionError("bin/ctys-consoled was started with SIGHUP ignored (SigIgn " + ignored + ")");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read the launcher's signal dispositions: " + e.getMessage(), e);
        }
    }

    /** SIGTERM; its exit status. */
    int stop() throws InterruptedException {
        Proc.ok("kill", "-TERM", Long.toString(pid()));
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            Proc.kill(process);
            throw new AssertionError("ctys-consoled did not stop within 30 s of SIGTERM; it said:\n" + said());
        }
        return process.exitValue();
    }

    /** SIGKILL to the daemon's JVM, as a crash would. */
    void killNine() {
        Proc.kill(process);
    }

    boolean alive() { return process.isAlive(); }

    @Override
    public void close() {
        if (process.isAlive()) Proc.stop(process);
    }
}
