package org.ctys.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * tcpdump writing a pcap file in a namespace, bounded by timeout(1) so it cannot outlive a
 * crashed test run. {@link #start} returns once tcpdump says it is listening.
 */
final class Capture implements AutoCloseable {
    private static final int MAX_SECONDS = 90;

    private final Process process;
    private final Path file;
    private final StringBuffer stderr = new StringBuffer();

    private Capture(Process process, Path file) {
        this.process = process;
        this.file = file;
    }

    static Capture start(String ns, String iface, Path file, String filter) {
        Proc.requireTool("tcpdump", "tcpdump");
        try {
            Files.deleteIfExists(file);
            // -Z root: tcpdump would otherwise drop to its own user and could not write into a private temp dir.
            // --immediate-mode: otherwise frames wait in a kernel ring block that is lost when tcpdump is stopped.
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, "timeout", String.valueOf(MAX_SECONDS),
                    "tcpdump", "-Z", "root", "-n", "-U", "--immediate-mode", "-i", iface, "-w", file.toString(), filter)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Capture c = new Capture(p, file);
            CountDownLatch listening = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        c.stderr.append(line).append('\n');
                        if (line.contains("listening on")) listening.countDown();
                    }
                } catch (IOException ignored) {
                    // the process ended; what it said is in stderr
                }
            }, "tcpdump-stderr");
            reader.setDaemon(true);
            reader.start();
            if (!listening.await(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("tcpdump in %s did not start listening on %s: %s", ns, iface, c.stderr);
            }
            return c;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start tcpdump", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Gives the last frames time to cross the bridge, stops tcpdump and reads what it wrote. */
    List<Pcap.Frame> stop() {
        try {
            Thread.sleep(300);
            close();
            return Pcap.read(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (tcpdump said: " + stderr + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Only the IPv4 UDP frames of what was captured. */
    List<Pcap.Frame> stopUdp() {
        return stop().stream().filter(Pcap.Frame::isUdp).toList();
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy(); // SIGTERM to timeout(1), which passes it to tcpdump; tcpdump flushes and exits
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
