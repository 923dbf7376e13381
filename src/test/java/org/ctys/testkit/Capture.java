package org.ctys.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * tcpdump writing a pcap file in a namespace, bounded by timeout(1) so it cannot outlive a
 * crashed test run. {@link #start} returns once tcpdump says it is listening.
 */
public final class Capture implements AutoCloseable {
    private static final int MAX_SECONDS = 90;

    private final Process process;
    private final Path file;
    private final StringBuffer stderr;

    private Capture(Process process, Path file, StringBuffer stderr) {
        this.process = process;
        this.file = file;
        this.stderr = stderr;
    }

    public static Capture start(String ns, String iface, Path file, String filter) {
        String tcpdump = Proc.require("tcpdump", "tcpdump");
        String ip = Proc.require("ip", "iproute2");
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new AssertionError("cannot remove the old " + file, e);
        }
        StringBuffer stderr = new StringBuffer();
        // -Z root: tcpdump would otherwise drop to its own user and could not write into a private temp dir.
        // --immediate-mode: otherwise frames wait in a kernel ring block that is lost when tcpdump is stopped.
        Process p = Proc.startAwaiting("listening on", stderr, List.of(ip, "netns", "exec", ns,
                "timeout", String.valueOf(MAX_SECONDS), tcpdump, "-Z", "root", "-n", "-U", "--immediate-mode",
                "-i", iface, "-w", file.toString(), filter));
        return new Capture(p, file, stderr);
    }

    /** Gives the last frames time to cross the bridge, stops tcpdump and reads what it wrote. */
    public List<Pcap.Frame> stop() {
        try {
            Thread.sleep(300);
            close();
            return Pcap.read(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + " (tcpdump said: " + stderr + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Only the IPv4 UDP frames of what was captured. */
    public List<Pcap.Frame> stopUdp() {
        return stop().stream().filter(Pcap.Frame::isUdp).toList();
    }

    /** SIGTERM to timeout(1), which passes it on; tcpdump then flushes its file and exits. */
    @Override
    public void close() {
        Proc.stop(process);
    }
}
