package org.ctys.inventory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Named pipes for the tests that prove ctys never opens one: opening a FIFO for reading blocks
 * until a writer comes, so code that did would hang there.
 */
final class Fifo {

    /** Not a timing assertion: only how long a test waits before calling a blocked read a hang. */
    static final Duration HANG_GUARD = Duration.ofSeconds(30);

    private Fifo() {}

    static void make(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (p.waitFor() != 0) throw new IOException("mkfifo " + path + " failed (coreutils)");
    }

    /**
     * Frees a thread that did open the FIFO, so a failing test does not leave it blocked: opening
     * it read-write never blocks on Linux, and closing it then gives the reader end of file.
     */
    static void release(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "exec 3<>\"$1\"; exec 3>&-", "sh", path.toString()).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }
}
