package org.ctys.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the programs the integration tests need (ip, tcpdump, ssh-keygen, tmux, ipmitool, ctys
 * itself), always bounded: a command runs to its end within a limit or is killed with everything
 * it started, and the test fails saying so. Output goes to files, not pipes, so a command that
 * fills one stream never blocks on the other. A missing tool fails the test with the Debian
 * package to install: a skipped integration test would look like a passing one.
 *
 * <p>No JUnit or AssertJ here (failures are {@link AssertionError}s), so the benchmarks can use
 * the kit as plain programs.
 */
public final class Proc {
    /** How long a setup or teardown command ({@link #ok}, {@link #quietly}) may take. */
    public static final Duration SETUP_LIMIT = Duration.ofSeconds(30);
    /** How long a process gets to end after SIGTERM, and again after SIGKILL. */
    public static final Duration STOP_LIMIT = Duration.ofSeconds(5);
    /** The exit status of an {@link Outcome} whose command was killed at its limit. */
    public static final int KILLED = Integer.MIN_VALUE;

    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    /** What a command printed, how it exited ({@link #KILLED} if it was killed at its limit) and how long it took. */
    public record Outcome(List<String> command, int exit, String out, String err, Duration took) {
        /** stdout, then stderr. */
        public String both() { return out + err; }

        public boolean killed() { return exit == KILLED; }

        @Override
        public String toString() {
            List<String> shown = new ArrayList<>(command);
            int cp = shown.indexOf("-cp");
            if (cp >= 0 && cp + 1 < shown.size()) shown.set(cp + 1, "<test classpath>");
            return String.join(" ", shown) + "\n  " + (killed() ? "killed" : "exit " + exit) + " after "
                    + took.toMillis() + " ms\n  stdout: " + out.replace("\n", "\n          ")
                    + "\n  stderr: " + err.replace("\n", "\n          ");
        }
    }

    private Proc() {}

    /** Runs {@code command}; past {@code limit} it is killed and the test fails. */
    public static Outcome run(Duration limit, List<String> command) {
        return run(limit, Map.of(), command);
    }

    /** Like {@link #run(Duration, List)} with {@code env} added to this JVM's environment. */
    public static Outcome run(Duration limit, Map<String, String> env, List<String> command) {
        return failIfKilled(runAllowingTimeout(limit, env, command), limit);
    }

    /** Like {@link #run(Duration, Map, List)}, but a command killed at {@code limit} is an outcome ({@link Outcome#killed()}). */
    public static Outcome runAllowingTimeout(Duration limit, Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        return runAllowingTimeout(pb, null, limit);
    }

    /** Runs a prepared process (its environment, directory) with {@code stdin} (null: /dev/null); fails if killed at {@code limit}. */
    public static Outcome run(ProcessBuilder pb, String stdin, Duration limit) {
        return failIfKilled(runAllowingTimeout(pb, stdin, limit), limit);
    }

    /** The one place a command is run to its end: output to files, stdin written and closed, bounded. */
    public static Outcome runAllowingTimeout(ProcessBuilder pb, String stdin, Duration limit) {
        List<String> command = List.copyOf(pb.command());
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("ctys-test-", ".out");
            err = Files.createTempFile("ctys-test-", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            else pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (stdin != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // it ended without reading all of it; its exit status and output tell the test why
                }
            }
            boolean ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) kill(p);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            return new Outcome(command, ended ? p.exitValue() : KILLED, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), took);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static Outcome failIfKilled(Outcome o, Duration limit) {
        if (o.killed()) throw new AssertionError("still running after " + limit.toMillis() + " ms, killed: " + o);
        return o;
    }

    /** Runs a command that must succeed (setting up and tearing down a lab); fails the test with its output if not. */
    public static Outcome ok(String... command) {
        Outcome o = run(SETUP_LIMIT, List.of(command));
        if (o.exit() != 0) throw new AssertionError("setup command failed: " + o);
        return o;
    }

    /** Runs a command whose failure does not matter (removing leftovers that may not exist); still bounded. */
    public static Outcome quietly(String... command) {
        return runAllowingTimeout(SETUP_LIMIT, Map.of(), List.of(command));
    }

    /**
     * The absolute path of {@code tool} (a name looked up on PATH and the system directories, or an
     * absolute path); fails, never skips, naming the Debian package when it is not installed.
     */
    public static String require(String tool, String debianPackage) {
        if (tool.startsWith("/")) {
            if (Files.isExecutable(Path.of(tool))) return tool;
        } else {
            List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
            dirs.addAll(SYSTEM_DIRS);
            for (String dir : dirs) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return Path.of(dir, tool).toString();
            }
        }
        throw new AssertionError("'" + tool + "' is not installed; these integration tests need it: apt-get install "
                + debianPackage);
    }

    /** Network namespaces, sshd and the BMC simulator need root; say so instead of failing obscurely. */
    public static void requireRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                // Uid: real effective saved filesystem
                if (line.startsWith("Uid:") && line.split("\\s+")[2].equals("0")) return;
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/status to see whether this runs as root", e);
        }
        throw new AssertionError("these integration tests create network namespaces and start daemons: run them as root");
    }

    /** A TCP port on 127.0.0.1 that is free now, for a test server. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free TCP port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a background command and returns once its stderr shows {@code marker} (tcpdump's
     * "listening on"); what it says goes on into {@code stderr}. The command should bound itself
     * (timeout(1)); the caller ends it with {@link #stop}.
     */
    public static Process startAwaiting(String marker, StringBuffer stderr, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            CountDownLatch seen = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        stderr.append(line).append('\n');
                        if (line.contains(marker)) seen.countDown();
                    }
                } catch (IOException ignored) {
                    // the process ended; what it said is in stderr
                }
            }, "stderr-" + command.get(command.size() - 1));
            reader.setDaemon(true);
            reader.start();
            if (!seen.await(15, TimeUnit.SECONDS)) {
                kill(p);
                throw new AssertionError("'" + marker + "' never appeared on stderr of " + command + ": " + stderr);
            }
            return p;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted starting " + command, e);
        }
    }

    /**
     * Polls {@code done} until it holds (true) or {@code limit} has passed (false): for what a peer
     * or a process does in its own time, with no event to wait on.
     */
    public static boolean await(BooleanSupplier done, Duration limit) {
        return await(done, limit, Duration.ofMillis(20));
    }

    /** Like {@link #await(BooleanSupplier, Duration)}, polling every {@code interval} (a check that runs a program costs more). */
    public static boolean await(BooleanSupplier done, Duration limit, Duration interval) {
        long until = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - until >= 0) return false;
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting", e);
            }
        }
        return true;
    }

    /** A process below {@code root} (its children, theirs...) whose command line contains {@code text}, if one runs now. */
    public static Optional<ProcessHandle> descendant(ProcessHandle root, String text) {
        return root.descendants().filter(h -> h.info().commandLine().orElse("").contains(text)).findFirst();
    }

    /**
     * Ends a background process started by a test: SIGTERM (a daemon then cleans up after itself),
     * SIGKILL after {@link #STOP_LIMIT}; then whatever it started that is still there. Waits for all
     * of them and fails if one outlives SIGKILL.
     */
    public static void stop(Process p) {
        if (p == null) return;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                children = union(children, p.descendants().toList());
                p.destroyForcibly();
                awaitGone(p.toHandle());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError("interrupted stopping process " + p.pid(), e);
        }
        children.forEach(ProcessHandle::destroyForcibly);
        children.forEach(Proc::awaitGone);
    }

    /** Removes a test's work directory and all below it; what cannot be removed is left (harmless in a temp dir). */
    public static void deleteTree(Path dir) {
        if (dir == null) return;
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless; the peers are gone
        }
    }

    /**
     * SIGKILL to a process and everything it started, as a crash would; waits until all are gone
     * (an orphan that is a zombie counts as gone: nothing here may ever reap it). Each process goes
     * before what it started: killed after its children, it could still act on their death
     * (ipmi_sim answered a request 0xff when the chassis program it waited for was killed under it).
     */
    public static void kill(Process p) {
        if (p == null) return;
        List<ProcessHandle> all = killOrder(p);
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(Proc::awaitGone);
        // the process itself is this JVM's child, which this JVM reaps: wait for that too, so that
        // isAlive() and exitValue() answer at once after the kill (a zombie only counts for orphans)
        try {
            if (!p.waitFor(STOP_LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError("process " + p.pid() + " not reaped " + STOP_LIMIT.toSeconds() + " s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The order in which {@link #kill} sends SIGKILL: the process, then level by level what it started. */
    static List<ProcessHandle> killOrder(Process p) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(p.toHandle());
        for (int i = 0; i < all.size(); i++) all.addAll(all.get(i).children().toList());
        return all;
    }

    private static void awaitGone(ProcessHandle h) {
        if (!await(() -> ended(h), STOP_LIMIT)) {
            throw new AssertionError("process " + h.pid() + " " + h.info().command().orElse("")
                    + " still runs " + STOP_LIMIT.toSeconds() + " s after SIGKILL");
        }
    }

    /** Whether the process is gone, or has ended and waits to be reaped (a zombie, which nothing here may ever reap). */
    public static boolean ended(ProcessHandle h) {
        return !h.isAlive() || isZombie(h.pid());
    }

    /** Whether the process has ended and waits to be reaped (a zombie): its state in /proc is Z. */
    public static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // "pid (comm) S ...": the state follows the last ')'
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    private static List<ProcessHandle> union(List<ProcessHandle> a, List<ProcessHandle> b) {
        List<ProcessHandle> all = new ArrayList<>(a);
        for (ProcessHandle h : b) if (!all.contains(h)) all.add(h);
        return all;
    }

    static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind is no test failure
        }
    }

    /** Quotes a word for /bin/sh. */
    public static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
