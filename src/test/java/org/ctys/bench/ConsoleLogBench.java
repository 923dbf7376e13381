package org.ctys.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.ctys.consoled.ConsoleLog;
import org.ctys.testkit.Proc;

/**
 * What the console log costs on the daemon's hot path: N logs written by N threads (one reader
 * thread per console, as the daemon has), each {@code data()} call one small chunk of console text
 * and one write(2). Reports bytes/s, data() calls/s, lines/s, the process's CPU seconds per
 * logged megabyte and the latency of a call (median, 99th percentile, max). Mode {@code raw} does
 * the same write(2)s without the log (a bare FileOutputStream, no stamps): the difference is what
 * the log's records cost on top of the system call. Run after {@code mvn test-compile}:
 * {@code java -cp target/classes:target/test-classes org.ctys.bench.ConsoleLogBench [logs] [chunk] [seconds] [log|raw] [dir]}.
 */
public final class ConsoleLogBench {

    private ConsoleLogBench() {}

    /** One console's writer: its own log (or bare file), its own chunks. */
    private interface Sink {
        void write(byte[] b, int off, int len) throws IOException;

        void close() throws IOException;
    }

    public static void main(String[] args) throws Exception {
        int logs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int chunk = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        boolean raw = args.length > 3 && args[3].equals("raw");
        Path dir = args.length > 4 ? Files.createTempDirectory(Path.of(args[4]), "ctys-logbench") : Files.createTempDirectory("ctys-logbench");
        try {
            run(dir, logs, chunk, seconds, raw);
        } finally {
            Proc.deleteTree(dir);
        }
    }

    private static void run(Path dir, int logs, int chunk, int seconds, boolean raw) throws Exception {
        List<Sink> sinks = new ArrayList<>();
        for (int i = 0; i < logs; i++) {
            String name = String.format("c%04d", i);
            if (raw) {
                FileOutputStream f = new FileOutputStream(dir.resolve(name + ".raw").toFile(), true);
                sinks.add(new Sink() {
                    public void write(byte[] b, int off, int len) throws IOException { f.write(b, off, len); }

                    public void close() throws IOException { f.close(); }
                });
            } else {
                ConsoleLog log = ConsoleLog.open(dir, name, ConsoleLog.Rotation.DEFAULT, Clock.systemUTC());
                sinks.add(new Sink() {
                    public void write(byte[] b, int off, int len) throws IOException { log.data(b, off, len); }

                    public void close() { log.close(); }
                });
            }
        }
        // console text: 79 characters and CR LF, cut into chunks wherever they fall
        byte[] text = new byte[81 * 64];
        for (int i = 0; i < text.length; i++) text[i] = (byte) (i % 81 == 79 ? '\r' : i % 81 == 80 ? '\n' : 'a' + i % 26);
        LongAdder calls = new LongAdder();
        LongAdder bytes = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(logs);
        CountDownLatch go = new CountDownLatch(1);
        long[][] latencies = new long[logs][];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < logs; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                Sink sink = sinks.get(index);
                long[] sample = new long[1 << 16];
                int n = 0;
                int at = (index * 37) % (text.length - chunk);
                ready.countDown();
                try {
                    go.await();
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        sink.write(text, at, chunk);
                        long took = System.nanoTime() - t0;
                        if (n < sample.length) sample[n++] = took;
                        calls.increment();
                        bytes.add(chunk);
                        at = (at + chunk) % (text.length - chunk);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                latencies[index] = Arrays.copyOf(sample, n);
            }, "console-" + i);
            t.start();
            threads.add(t);
        }
        ready.await();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        go.countDown();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) t.join();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        for (Sink s : sinks) s.close();
        long onDisk = 0;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) onDisk += Files.size(p);
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        double mb = bytes.sum() / 1e6;
        System.out.printf("%s: %d logs, %d threads, %d-byte chunks, %.1f s on %d cores%n", raw ? "raw write(2)" : "ConsoleLog.data",
                logs, logs, chunk, wall, Runtime.getRuntime().availableProcessors());
        System.out.printf("  console bytes: %.1f MB/s   data() calls: %.0f /s   console lines: %.0f /s%n", mb / wall,
                calls.sum() / wall, bytes.sum() / 81.0 / wall);
        System.out.printf("  file bytes: %.1f MB/s (records' stamps and tags included)%n", onDisk / 1e6 / wall);
        System.out.printf("  CPU: %.1f s of %.1f s wall = %.2f cores; %.3f CPU s per console MB%n", cpu, wall, cpu / wall, cpu / mb);
        System.out.printf("  call latency: median %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f ms%n", all[all.length / 2] / 1e3,
                all[(int) (all.length * 0.99)] / 1e3, all[(int) (all.length * 0.999)] / 1e3, all[all.length - 1] / 1e6);
    }
}
