package org.ctys.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ctys.testkit.Proc;

/** A console server under test, running: its process, its log, and how a user watches one console. */
interface ConsoleServer extends AutoCloseable {
    /** As the tables print it. */
    String name();

    /** The server's process (the root of its tree). */
    ProcessHandle process();

    /** Starts a user watching {@code console} read-only and returns once the server has attached it. */
    Watcher watch(String console) throws IOException;

    /** Every byte {@code console} sent, as the server's log on disk holds it (its own stamps and messages taken out). */
    byte[] consoleBytes(String console) throws IOException;

    /** The directory of the logs: its total size tells when the server stopped writing. */
    Path logDir();

    @Override
    void close();

    /** The size of every file under {@code dir} together. */
    static long sizeOnDisk(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /**
     * Waits until the server's process tree has every line open (each line's /dev/pts device among
     * its open files); fails with what the server said when it ends or does not get there in time.
     */
    static void awaitOpen(Process server, List<ConsoleLines.Line> lines, Duration limit, Path output) {
        Set<String> wanted = lines.stream().map(l -> l.device().toString()).collect(Collectors.toSet());
        boolean open = Proc.await(() -> !server.isAlive() || ProcessTree.openFiles(server.toHandle()).containsAll(wanted),
                limit, Duration.ofMillis(200));
        if (!server.isAlive() || !open) {
            Set<String> missing = new java.util.TreeSet<>(wanted);
            if (server.isAlive()) missing.removeAll(ProcessTree.openFiles(server.toHandle()));
            String said;
            try {
                said = Files.readString(output);
            } catch (IOException e) {
                said = "(cannot read " + output + ")";
            }
            throw new IllegalStateException((server.isAlive() ? "did not open " + missing.size() + " of " + wanted.size()
                    + " lines within " + limit.toSeconds() + " s" : "ended (exit " + server.exitValue() + ")")
                    + "; it said:\n" + said.lines().limit(40).collect(Collectors.joining("\n")));
        }
    }
}
