package org.ctys.bench;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ctys.testkit.Proc;

/**
 * N serial lines, each a socat pty pair ({@code socat pty,raw,echo=0 pty,raw,echo=0}) as the
 * integration tests make them: a server opens {@link Line#device()}, the generator writes to the
 * far end. The far ends stay open for the whole benchmark (both servers read the same lines one
 * after the other). The socats are this program's children, not the servers': their CPU is
 * reported apart ({@link #relayCpuSeconds()}).
 */
final class ConsoleLines implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    /** One line: the console's name, the pty a server opens (/dev/pts/N), and the far end the generator writes. */
    record Line(String name, Path device, FileOutputStream far) {}

    private final List<Process> socats;
    private final List<Line> lines;

    private ConsoleLines(List<Process> socats, List<Line> lines) {
        this.socats = socats;
        this.lines = lines;
    }

    /** Starts n pty pairs under {@code dir} (links lineNNN and farNNN), consoles named c001, c002, ... */
    static ConsoleLines start(Path dir, int n) throws IOException {
        String socat = Proc.require("socat", "socat");
        List<Process> socats = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        ConsoleLines all = new ConsoleLines(socats, lines);
        try {
            List<Path[]> links = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                String id = String.format("%03d", i);
                Path line = dir.resolve("line" + id);
                Path far = dir.resolve("far" + id);
                socats.add(new ProcessBuilder(socat, "pty,raw,echo=0,link=" + line, "pty,raw,echo=0,link=" + far)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(dir.resolve("socat" + id + ".err").toFile()).start());
                links.add(new Path[] {line, far});
            }
            // socat makes its links once both ptys exist
            if (!Proc.await(() -> links.stream().allMatch(l -> Files.exists(l[0]) && Files.exists(l[1])), START_LIMIT,
                    Duration.ofMillis(100))) {
                throw new IllegalStateException("not every socat made its ptys within " + START_LIMIT.toSeconds() + " s ("
                        + socats.stream().filter(p -> !p.isAlive()).count() + " of them ended; see " + dir + "/socat*.err;"
                        + " /proc/sys/kernel/pty/max is " + Files.readString(Path.of("/proc/sys/kernel/pty/max")).trim() + ")");
            }
            for (int i = 0; i < n; i++) {
                Path[] l = links.get(i);
                lines.add(new Line(String.format("c%03d", i + 1), l[0].toRealPath(), new FileOutputStream(l[1].toFile())));
            }
            return all;
        } catch (IOException | RuntimeException e) {
            all.close();
            throw e;
        }
    }

    List<Line> lines() { return lines; }

    /** CPU seconds the socats have used so far (moving bytes from the far ends to the servers' ptys). */
    double relayCpuSeconds() {
        return socats.stream().mapToDouble(p -> ProcessTree.cpuSeconds(p.pid())).sum();
    }

    @Override
    public void close() {
        for (Line l : lines) {
            try {
                l.far().close();
            } catch (IOException ignored) {
                // the pty goes with its socat
            }
        }
        socats.forEach(Proc::stop);
    }
}
