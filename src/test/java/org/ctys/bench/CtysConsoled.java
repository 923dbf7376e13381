package org.ctys.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ctys.consoled.ConsoleLog;
import org.ctys.testkit.Proc;

/**
 * ctys-consoled serving the same lines: {@code bin/ctys-consoled --config F} in the foreground,
 * one {@code serial:} console per line (its /dev/pts device, 115200), logs under its log-dir
 * (every line stamped, as conmand's with {@code logopts="timestamp"}), no marks ({@code mark: 0},
 * as conmand runs without periodic timestamp lines), rotation far beyond what a run writes
 * (conmand does not rotate), its SSH front door on a loopback port. A user watches with OpenSSH's
 * {@code ssh -t … <console> --spy} (never writes, as {@code conman -m}), the host key checked
 * against a known_hosts made from the key this program gives the daemon.
 */
final class CtysConsoled implements ConsoleServer {
    static final String USER = "bench";

    private final Process daemon;
    private final int port;
    private final Path dir;
    private final Path logs;

    private CtysConsoled(Process daemon, int port, Path dir, Path logs) {
        this.daemon = daemon;
        this.port = port;
        this.dir = dir;
        this.logs = logs;
    }

    static CtysConsoled start(Path dir, List<ConsoleLines.Line> lines, Duration limit) throws IOException {
        Path launcher = Path.of("bin/ctys-consoled").toAbsolutePath();
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(launcher + " is missing: run the benchmark from the project directory, on a"
                    + " version that has the console server");
        }
        String keygen = Proc.require("ssh-keygen", "openssh-client");
        Proc.ok(keygen, "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
        Proc.ok(keygen, "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("user_key").toString());
        int port = Proc.freePort();
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));
        Path logs = dir.resolve("logs");
        StringBuilder conf = new StringBuilder();
        conf.append("listen: 127.0.0.1:").append(port).append('\n');
        conf.append("host-key: host_key\n");
        conf.append("log-dir: logs\n");
        conf.append("rotate: {size: 1G, age: 1d, keep: 10}\n");
        conf.append("mark: 0\n");
        conf.append("pid-file: ctys-consoled.pid\n");
        conf.append("users:\n  ").append(USER).append(": {keys: user_key.pub}\n");
        conf.append("access:\n  - {consoles: [\"*\"], rw: [").append(USER).append("]}\n");
        conf.append("consoles:\n");
        for (ConsoleLines.Line l : lines) {
            conf.append("  ").append(l.name()).append(": {serial: {device: ").append(l.device()).append(", speed: 115200}}\n");
        }
        Path file = dir.resolve("consoled.yaml");
        Files.writeString(file, conf);
        Path output = dir.resolve("ctys-consoled.out");
        Process p = new ProcessBuilder(launcher.toString(), "--config", file.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        CtysConsoled server = new CtysConsoled(p, port, dir, logs);
        try {
            ConsoleServer.awaitOpen(p, lines, limit, output);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw new IllegalStateException("ctys-consoled " + e.getMessage(), e);
        }
    }

    @Override
    public String name() { return "ctys-consoled"; }

    @Override
    public ProcessHandle process() { return daemon.toHandle(); }

    @Override
    public Watcher watch(String console) throws IOException {
        return Watcher.start(List.of(Proc.require("ssh", "openssh-client"), "-F", "/dev/null", "-p", String.valueOf(port),
                "-i", dir.resolve("user_key").toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "UserKnownHostsFile=" + dir.resolve("known_hosts"), "-o", "StrictHostKeyChecking=yes",
                "-o", "LogLevel=ERROR", "-t", USER + "@127.0.0.1", console, "--spy"),
                "[ctys-consoled: ", Duration.ofSeconds(30));
    }

    @Override
    public byte[] consoleBytes(String console) throws IOException {
        return ConsoleLog.consoleBytes(logs, console);
    }

    @Override
    public Path logDir() { return logs; }

    @Override
    public void close() { Proc.stop(daemon); }
}
