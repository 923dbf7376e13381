package org.ctys.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The machines' side: one thread writes lines of printable text ending in CR LF to every line's
 * far end at a fixed rate per console, the consoles' lines spread evenly over each period so the
 * load is smooth, plus a probe line on the first console every {@code probeEvery}. Every byte
 * written is kept, so what a server logged can be compared with it byte for byte. Writes block
 * when a line's buffers are full (a server that does not keep up slows the generator down, which
 * shows as a lower rate sent). CR LF line ends only: conmand rewrites other line ends in a
 * timestamped log, and the comparison must not depend on that.
 */
final class Generator {
    static final int LINE_BYTES = 80;
    /** "PROBE 000017": what the watcher looks for. */
    static final String PROBE = "PROBE ";
    private static final String FILL = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** What one run sent: every console's bytes, and when each probe was written (System.nanoTime). */
    record Sent(Map<String, byte[]> bytes, Map<Integer, Long> probes, long startNanos, long endNanos) {
        long total() { return bytes.values().stream().mapToLong(b -> b.length).sum(); }

        double seconds() { return (endNanos - startNanos) / 1e9; }
    }

    private final List<ConsoleLines.Line> lines;
    private final double linesPerSecond;
    private final Duration probeEvery;
    /** Every byte sent to each console since this generator was made, over all its runs. */
    private final ByteArrayOutputStream[] kept;
    private int lastProbe;

    Generator(List<ConsoleLines.Line> lines, double bytesPerSecondEach, Duration probeEvery) {
        this.lines = lines;
        this.linesPerSecond = bytesPerSecondEach / LINE_BYTES;
        this.probeEvery = probeEvery;
        this.kept = new ByteArrayOutputStream[lines.size()];
        for (int i = 0; i < kept.length; i++) kept[i] = new ByteArrayOutputStream();
    }

    /**
     * Writes for {@code length}, in this thread; {@code startNanos} is taken before the first
     * write. A later run continues the probe numbers (a watcher tells every probe apart); what it
     * returns is that run's bytes, {@link #sentSoFar()} those of all runs.
     */
    Sent run(Duration length) throws IOException {
        int n = lines.size();
        long[] before = new long[n];
        for (int i = 0; i < n; i++) before[i] = kept[i].size();
        long[] next = new long[n];
        Map<Integer, Long> probes = new LinkedHashMap<>();
        double period = 1e9 / linesPerSecond;
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long nextProbe = start + probeEvery.toNanos() / 2;
        long now = start;
        while (now < end) {
            for (int c = 0; c < n; c++) {
                // console c's k-th line is due at start + (k + c/n) periods
                while (true) {
                    long due = start + (long) ((next[c] + (double) c / n) * period);
                    if (due > now || due >= end) break;
                    write(c, line(lines.get(c).name(), next[c], null));
                    next[c]++;
                }
            }
            if (now >= nextProbe) {
                int id = ++lastProbe;
                byte[] probe = line(lines.get(0).name(), id, PROBE + String.format("%06d", id));
                probes.put(id, System.nanoTime());
                write(0, probe);
                nextProbe += probeEvery.toNanos();
            }
            LockSupport.parkNanos(1_000_000);
            now = System.nanoTime();
        }
        long stop = System.nanoTime();
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (int c = 0; c < n; c++) {
            byte[] all = kept[c].toByteArray();
            bytes.put(lines.get(c).name(), Arrays.copyOfRange(all, (int) before[c], all.length));
        }
        return new Sent(bytes, probes, start, stop);
    }

    /** Console name to every byte it was sent, over all runs. */
    Map<String, byte[]> sentSoFar() {
        Map<String, byte[]> all = new LinkedHashMap<>();
        for (int c = 0; c < kept.length; c++) all.put(lines.get(c).name(), kept[c].toByteArray());
        return all;
    }

    private void write(int console, byte[] line) throws IOException {
        lines.get(console).far().write(line);
        kept[console].write(line, 0, line.length);
    }

    /** "c007 00000042 " or "c001 PROBE 000003 ", filled to {@link #LINE_BYTES} with CR LF. */
    static byte[] line(String console, long seq, String probe) {
        StringBuilder s = new StringBuilder(LINE_BYTES).append(console).append(' ');
        s.append(probe != null ? probe : String.format("%08d", seq)).append(' ');
        int shift = (int) (seq % FILL.length());
        while (s.length() < LINE_BYTES - 2) s.append(FILL.charAt((s.length() + shift) % FILL.length()));
        return s.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** How many leading bytes of {@code logged} equal what was sent; the rest of either is a loss or a change. */
    static long samePrefix(byte[] sent, byte[] logged) {
        int m = Arrays.mismatch(sent, logged);
        return m < 0 ? sent.length : m;
    }

    /** The probe ids in a watcher's text, for the reader: "PROBE 000017" is 17. */
    static List<Integer> probeIds(String text) {
        List<Integer> ids = new ArrayList<>();
        for (int i = text.indexOf(PROBE); i >= 0 && i + PROBE.length() + 6 <= text.length(); i = text.indexOf(PROBE, i + 1)) {
            String digits = text.substring(i + PROBE.length(), i + PROBE.length() + 6);
            if (digits.chars().allMatch(Character::isDigit)) ids.add(Integer.parseInt(digits));
        }
        return ids;
    }
}
