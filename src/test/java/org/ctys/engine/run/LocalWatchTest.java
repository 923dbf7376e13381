package org.ctys.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;

/** A watch on this host (localhost, without SSH): its lines as they come; closing it ends it and every process it started. */
class LocalWatchTest {

    @Test
    void itsLinesComeAsPrintedAndClosingItsInputEndsIt() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Shells.Watch w = LocalCommand.watch("echo one; sleep 0.2; echo two; cat >/dev/null; echo after-the-input > /dev/null",
                new LineSplitter(100, lines::add), OutputStream.nullOutputStream());
        try {
            assertThat(Proc.await(() -> lines.size() == 2, Duration.ofSeconds(10))).as("%s", lines).isTrue();
            assertThat(lines).containsExactly("one", "two");
            assertThat(w.isOpen()).as("it waits for the end of its input").isTrue();
        } catch (AssertionError e) {
            w.close();
            throw e;
        }
        long t0 = System.nanoTime();
        w.close();
        assertThat(w.isOpen()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("ended by its input, not by the grace").isLessThan(Duration.ofMillis(900));
    }

    @Test
    void aCommandThatIgnoresTheEndOfItsInputIsStoppedWithWhatItStarted() throws Exception {
        Shells.Watch w = LocalCommand.watch("sleep 6013 & wait", OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        boolean started;
        try {
            started = Proc.await(() -> ProcessHandle.allProcesses().anyMatch(LocalWatchTest::theSleep), Duration.ofSeconds(10));
        } finally {
            w.close();
        }
        assertThat(started).isTrue();
        assertThat(w.isOpen()).isFalse();
        assertThat(ProcessHandle.allProcesses().noneMatch(LocalWatchTest::theSleep)).as("its sleep was stopped too").isTrue();
    }

    private static boolean theSleep(ProcessHandle h) {
        return h.info().commandLine().orElse("").endsWith("sleep 6013");
    }
}
