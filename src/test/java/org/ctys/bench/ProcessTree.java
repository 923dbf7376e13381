package org.ctys.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a server costs, read from /proc: a process and everything it started (a launcher script
 * and the JVM it runs, or one conmand), so the figure does not depend on whether a launcher
 * exec()s. Processes that ended are not counted; the servers measured start none that end.
 */
final class ProcessTree {
    /** USER_HZ on Linux: the unit of utime and stime in /proc/PID/stat. */
    private static final double CLOCK_TICKS = 100;

    /** CPU seconds (user + system, all threads) and the peak resident set (VmHWM, kB) of a tree. */
    record Usage(double cpuSeconds, long peakRssKiB) {}

    private ProcessTree() {}

    static Usage of(ProcessHandle root) {
        double cpu = 0;
        long hwm = 0;
        for (ProcessHandle p : members(root)) {
            cpu += cpuSeconds(p.pid());
            hwm += peakRssKiB(p.pid());
        }
        return new Usage(cpu, hwm);
    }

    /** The devices (targets of /proc/PID/fd links) the tree has open now, e.g. /dev/pts/7. */
    static Set<String> openFiles(ProcessHandle root) {
        Set<String> open = new HashSet<>();
        for (ProcessHandle p : members(root)) {
            try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(p.pid()), "fd"))) {
                fds.forEach(fd -> {
                    try {
                        open.add(Files.readSymbolicLink(fd).toString());
                    } catch (IOException closedMeanwhile) {
                        // the descriptor was closed between listing and reading it
                    }
                });
            } catch (IOException ended) {
                // the process ended; its descriptors are closed
            }
        }
        return open;
    }

    private static List<ProcessHandle> members(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        return all;
    }

    /** utime + stime: fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
        } catch (IOException ended) {
            return 0;
        }
    }

    private static long peakRssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException ended) {
            // gone: nothing to count
        }
        return 0;
    }
}
