package org.ctys.bench;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortDataListener;
import com.fazecast.jSerialComm.SerialPortEvent;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SocatPty;
import org.ctys.transport.serial.LineSettings;
import org.ctys.transport.serial.SerialLine;

/**
 * How the console server's reader of a serial line should wait for data, measured: N socat pty
 * lines, one reader thread each, idle for a while, then busy (a 64-byte line every 20 ms on each),
 * printing the CPU time of every thread but the generator's in each phase.
 * <ul>
 * <li>{@code vtime}: {@link SerialLine#await} (jSerialComm's semi-blocking read, the kernel's VTIME
 *     timer) then {@link SerialLine#read()}: one thread a line, asleep in read(2).</li>
 * <li>{@code listener}: jSerialComm's data-available listener (its own event thread a line, in
 *     poll(2) with a 0.5 s timeout) waking the reader, which reads without blocking.</li>
 * </ul>
 * Run after {@code mvn package}: {@code java -cp target/test-classes:target/ctys.jar:$(cat cp.txt)
 * org.ctys.bench.SerialWaitBench [lines [seconds]]} (100 lines, 10 s a phase by default).
 */
public final class SerialWaitBench {
    private static final LineSettings LINE = new LineSettings(115200, LineSettings.Parity.NONE, 8, 1, LineSettings.Flow.NONE);
    private static final long AWAIT_MILLIS = 1000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SerialWaitBench() {}

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("serial-wait-bench-");
        List<SocatPty> ptys = new ArrayList<>();
        try {
            for (int i = 0; i < lines; i++) ptys.add(SocatPty.start(Files.createDirectories(dir.resolve("l" + i))));
            for (String mode : List.of("vtime", "listener", "vtime", "listener")) run(mode, ptys, seconds);
        } finally {
            for (SocatPty p : ptys) p.close();
            Proc.deleteTree(dir);
        }
    }

    private static void run(String mode, List<SocatPty> ptys, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong bytes = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        List<AutoCloseable> opened = new ArrayList<>();
        for (SocatPty p : ptys) {
            Runnable loop = mode.equals("vtime") ? vtime(p, stop, bytes, opened) : listener(p, stop, bytes, opened);
            Thread t = new Thread(loop, "reader-" + p.line());
            t.setDaemon(true);
            readers.add(t);
            t.start();
        }
        Thread.sleep(1000);
        long idle = cpuButGenerator(null);
        Thread.sleep(seconds * 1000L);
        long idleCpu = cpuButGenerator(null) - idle;

        Thread generator = new Thread(() -> generate(ptys, stop), "generator");
        generator.start();
        long busy = cpuButGenerator(generator);
        long bytes0 = bytes.get();
        Thread.sleep(seconds * 1000L);
        long busyCpu = cpuButGenerator(generator) - busy;
        long got = bytes.get() - bytes0;
        stop.set(true);
        generator.join();
        for (Thread t : readers) t.join(5000);
        for (AutoCloseable c : opened) c.close();
        System.out.printf("%-8s %4d lines: idle %6.1f ms CPU in %d s; busy %6.1f ms CPU in %d s for %d bytes%n", mode, ptys.size(),
                idleCpu / 1e6, seconds, busyCpu / 1e6, seconds, got);
    }

    private static Runnable vtime(SocatPty p, AtomicBoolean stop, AtomicLong bytes, List<AutoCloseable> opened) throws Exception {
        SerialLine line = SerialLine.open(p.line().toString(), LINE);
        synchronized (opened) {
            opened.add(line);
        }
        return () -> {
            try {
                while (!stop.get()) {
                    line.await(AWAIT_MILLIS);
                    bytes.addAndGet(line.read().length);
                }
            } catch (Exception e) {
                System.err.println(p.line() + ": " + e.getMessage());
            }
        };
    }

    private static Runnable listener(SocatPty p, AtomicBoolean stop, AtomicLong bytes, List<AutoCloseable> opened) {
        SerialPort port = SerialPort.getCommPort(p.line().toString());
        port.setComPortTimeouts(SerialPort.TIMEOUT_NONBLOCKING, 0, 0);
        if (!port.openPort(0)) throw new IllegalStateException("cannot open " + p.line());
        Object signal = new Object();
        boolean[] ready = {false};
        port.addDataListener(new SerialPortDataListener() {
            @Override
            public int getListeningEvents() { return SerialPort.LISTENING_EVENT_DATA_AVAILABLE; }

            @Override
            public void serialEvent(SerialPortEvent event) {
                synchronized (signal) {
                    ready[0] = true;
                    signal.notifyAll();
                }
            }
        });
        synchronized (opened) {
            opened.add(port::closePort);
        }
        byte[] buffer = new byte[4096];
        return () -> {
            try {
                while (!stop.get()) {
                    synchronized (signal) {
                        if (!ready[0]) signal.wait(AWAIT_MILLIS);
                        ready[0] = false;
                    }
                    int n;
                    while ((n = port.readBytes(buffer, buffer.length)) > 0) bytes.addAndGet(n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static void generate(List<SocatPty> ptys, AtomicBoolean stop) {
        List<OutputStream> outs = new ArrayList<>();
        try {
            for (SocatPty p : ptys) outs.add(new FileOutputStream(p.far().toFile()));
            byte[] line = ("x".repeat(63) + "\n").getBytes(StandardCharsets.US_ASCII);
            while (!stop.get()) {
                for (OutputStream o : outs) o.write(line);
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("generator: " + e.getMessage());
        } finally {
            for (OutputStream o : outs) {
                try {
                    o.close();
                } catch (IOException ignored) {
                    // the pty is going
                }
            }
        }
    }

    /** CPU time of every live thread of this JVM but {@code generator}. */
    private static long cpuButGenerator(Thread generator) {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            if (generator != null && id == generator.getId()) continue;
            long t = THREADS.getThreadCpuTime(id);
            if (t > 0) sum += t;
        }
        return sum;
    }
}
