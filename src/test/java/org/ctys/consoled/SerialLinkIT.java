package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ctys.inventory.Inventory;
import org.ctys.inventory.SerialSettings;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SocatPty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serial consoles of the daemon against a socat pty pair with a generator on the far end: the
 * reader sleeps in the kernel between bursts, takes every byte in order, writes and breaks reach
 * the line, and a device that is missing or vanishes is named.
 */
class SerialLinkIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;
    private SocatPty pty;
    private Openers openers;

    @BeforeEach
    void start() {
        pty = SocatPty.start(dir);
        openers = new Openers(Inventory::empty, Openers.sshOptions(dir, w -> {}));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (openers != null) openers.close();
        if (pty != null) pty.close();
    }

    private OpenLink open() throws IOException {
        return openers.open("lab07", new Endpoint.Serial(SerialSettings.defaults(pty.line().toString())));
    }

    @Test
    void everyLineAGeneratorWritesArrivesInOrderAndTypedBytesReachTheLine() throws Exception {
        try (OpenLink link = open()) {
            Proc.Outcome gen = Proc.run(WAIT, List.of(Proc.require("sh", "dash"), "-c",
                    "i=0; while [ $i -lt 2000 ]; do echo \"line-$i\"; i=$((i+1)); done > " + pty.far()));
            assertThat(gen.exit()).as(gen.toString()).isZero();
            Reader r = new Reader(link);
            assertThat(r.until(s -> s.contains("line-1999\n"), WAIT)).as(r.toString()).isTrue();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 2000; i++) expected.append("line-").append(i).append('\n');
            assertThat(r.text()).isEqualTo(expected.toString());

            byte[] typed = "root\r".getBytes(StandardCharsets.US_ASCII);
            link.write(typed, typed.length);
            pty.farAwait(s -> s.contains("root\r"), WAIT);
            assertThat(link.hasBreak()).isTrue();
            assertThat(link.sendBreak()).as("a pty accepts a break").isTrue();
        }
    }

    /**
     * An idle line: each await sleeps its whole half second in read(2) (VTIME) and the thread uses
     * next to no CPU; a byte written while it waits wakes it at once.
     */
    @Test
    void anIdleLineSleepsInTheKernelAndDataWakesTheWaitAtOnce() throws Exception {
        try (OpenLink link = open()) {
            Reader idle = new Reader(link);
            long t0 = System.nanoTime();
            idle.until(s -> false, Duration.ofSeconds(3));
            long took = System.nanoTime() - t0;
            assertThat(idle.wakeUps).as("half-second waits in 3 s").isBetween(5, 8);
            assertThat(idle.cpuNanos).as("CPU of 3 s of waiting, ns").isLessThan(took / 20);

            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                pty.farWrite("wake");
            });
            long w0 = System.nanoTime();
            writer.start();
            link.await(20_000);
            long woke = System.nanoTime() - w0;
            writer.join();
            assertThat(new String(link.read(), StandardCharsets.US_ASCII)).isEqualTo("wake");
            assertThat(Duration.ofNanos(woke)).as("a 20 s wait ended by the byte written after 0.3 s")
                    .isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aMissingDeviceIsNamed() {
        String missing = dir.resolve("nothing").toString();
        assertThatThrownBy(() -> openers.open("lab07", new Endpoint.Serial(SerialSettings.defaults(missing))))
                .isInstanceOf(IOException.class).hasMessage("serial line " + missing + ": no such device");
    }

    @Test
    void aDeviceRemovedWhileOpenMakesReadThrow() throws Exception {
        try (OpenLink link = open()) {
            pty.farWrite("before\n");
            Reader r = new Reader(link);
            assertThat(r.until(s -> s.contains("before\n"), WAIT)).as(r.toString()).isTrue();
            pty.vanish();
            assertThat(r.untilEnded(WAIT)).as(r.toString()).isTrue();
            assertThat(r.ended).hasMessageStartingWith("serial line " + pty.line() + " was lost (");
        }
    }
}
