package org.ctys.bench;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.ctys.testkit.Proc;

/**
 * Debian's conmand (package conman) serving the lines: one {@code console} directive per line
 * with its /dev/pts device and 115200 8n1, a log per console ({@code <log-dir>/<name>.log}),
 * timestamped lines ({@code logopts="timestamp"}, as ctys-consoled always stamps its lines; no
 * periodic timestamp lines, as ctys-consoled runs without marks here), in the foreground on a
 * loopback port. A user watches with {@code conman -m} (monitor: read-only).
 */
final class Conmand implements ConsoleServer {
    static final String VERSION = "conmand -V";
    /** conman's stamp before each line of console output: "2026-11-30 08:00:00 ". */
    private static final Pattern STAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ");
    private static final int STAMP_LENGTH = 20;

    private final Process daemon;
    private final int port;
    private final Path logs;

    private Conmand(Process daemon, int port, Path logs) {
        this.daemon = daemon;
        this.port = port;
        this.logs = logs;
    }

    static Conmand start(Path dir, List<ConsoleLines.Line> lines, Duration limit) throws IOException {
        String conmand = Proc.require("conmand", "conman");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        int port = Proc.freePort();
        StringBuilder conf = new StringBuilder();
        conf.append("server port=").append(port).append('\n');
        conf.append("server loopback=on\n");
        conf.append("server logdir=\"").append(logs).append("\"\n");
        conf.append("global logopts=\"timestamp\"\n");
        conf.append("global log=\"%N.log\"\n");
        for (ConsoleLines.Line l : lines) {
            conf.append("console name=\"").append(l.name()).append("\" dev=\"").append(l.device())
                    .append("\" seropts=\"115200,8n1\"\n");
        }
        Path file = dir.resolve("conman.conf");
        Files.writeString(file, conf);
        Path output = dir.resolve("conmand.out");
        Process p = new ProcessBuilder(conmand, "-F", "-c", file.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        Conmand server = new Conmand(p, port, logs);
        try {
            ConsoleServer.awaitOpen(p, lines, limit, output);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw new IllegalStateException("conmand " + e.getMessage(), e);
        }
    }

    @Override
    public String name() { return "conmand"; }

    @Override
    public ProcessHandle process() { return daemon.toHandle(); }

    @Override
    public Watcher watch(String console) throws IOException {
        return Watcher.start(List.of(Proc.require("conman", "conman"), "-d", "127.0.0.1:" + port, "-m", console),
                "Connection to console [" + console + "] opened", Duration.ofSeconds(20));
    }

    @Override
    public byte[] consoleBytes(String console) throws IOException {
        return consoleBytes(Files.readAllBytes(logs.resolve(console + ".log")));
    }

    /**
     * The console's bytes in a timestamped conman log: each line of output is "STAMP text\r\n";
     * conmand's own messages are an empty line then "<ConMan> ...\r\n". Valid for consoles whose
     * lines end in CR LF and are never empty (what {@link Generator} sends): conmand rewrites other
     * line ends when it stamps.
     */
    static byte[] consoleBytes(byte[] log) {
        String text = new String(log, StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(log.length);
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf("\r\n", at);
            String line = end < 0 ? text.substring(at) : text.substring(at, end);
            boolean own = line.isEmpty() || line.startsWith("<ConMan> ");
            if (!own) {
                if (line.length() < STAMP_LENGTH || !STAMP.matcher(line.substring(0, STAMP_LENGTH)).matches()) {
                    throw new IllegalStateException("a line of conmand's log without its timestamp at byte " + at + ": '"
                            + line + "'");
                }
                out.writeBytes(line.substring(STAMP_LENGTH).getBytes(StandardCharsets.ISO_8859_1));
                if (end >= 0) out.writeBytes(new byte[] {'\r', '\n'});
            }
            at = end < 0 ? text.length() : end + 2;
        }
        return out.toByteArray();
    }

    @Override
    public Path logDir() { return logs; }

    @Override
    public void close() { Proc.stop(daemon); }
}
