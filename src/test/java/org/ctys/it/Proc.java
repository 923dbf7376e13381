package org.ctys.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end, bounded: what it printed, its exit status and how long it took. */
final class Proc {

    record Outcome(List<String> command, int exit, String out, String err, Duration took) {
        String both() { return out + err; }

        @Override
        public String toString() {
            List<String> shown = new java.util.ArrayList<>(command);
            int cp = shown.indexOf("-cp");
            if (cp >= 0 && cp + 1 < shown.size()) shown.set(cp + 1, "<test classpath>");
            return String.join(" ", shown) + "\n  exit " + exit + " after " + took.toMillis() + " ms\n  stdout: "
                    + out.replace("\n", "\n          ") + "\n  stderr: " + err.replace("\n", "\n          ");
        }
    }

    private Proc() {}

    static Outcome run(Duration limit, List<String> command) {
        return run(limit, Map.of(), command);
    }

    /** Runs {@code command}; past {@code limit} it is killed and the test fails. */
    static Outcome run(Duration limit, Map<String, String> env, List<String> command) {
        Outcome o = runAllowingTimeout(limit, env, command);
        if (o.exit() == Integer.MIN_VALUE) fail("still running after %s, killed: %s", limit, o);
        return o;
    }

    /** Like {@link #run} but a command killed at {@code limit} is reported with exit Integer.MIN_VALUE. */
    static Outcome runAllowingTimeout(Duration limit, Map<String, String> env, List<String> command) {
        try {
            File out = File.createTempFile("ctys-it-", ".out");
            File err = File.createTempFile("ctys-it-", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out).redirectError(err)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                pb.environment().putAll(env);
                long t0 = System.nanoTime();
                Process p = pb.start();
                boolean ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
                if (!ended) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                return new Outcome(command, ended ? p.exitValue() : Integer.MIN_VALUE,
                        Files.readString(out.toPath(), StandardCharsets.UTF_8),
                        Files.readString(err.toPath(), StandardCharsets.UTF_8), took);
            } finally {
                Files.deleteIfExists(out.toPath());
                Files.deleteIfExists(err.toPath());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** Runs a command that must succeed (setup and teardown of the lab). */
    static Outcome ok(String... command) {
        Outcome o = run(Duration.ofSeconds(20), List.of(command));
        if (o.exit() != 0) fail("setup command failed: %s", o);
        return o;
    }

    /** Runs a command whose failure does not matter (removing leftovers that may not exist). */
    static void quietly(String... command) {
        runAllowingTimeout(Duration.ofSeconds(20), Map.of(), List.of(command));
    }

    /** Fails (never skips) when a tool the integration tests need is not installed. */
    static void requireTool(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return;
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) return;
        }
        fail("'%s' is not installed; these integration tests need it: apt-get install %s", tool, debianPackage);
    }

    /** The lab needs root (network namespaces); say so instead of failing obscurely. */
    static void requireRoot() {
        Outcome id = run(Duration.ofSeconds(5), List.of("id", "-u"));
        if (!id.out().trim().equals("0")) fail("these integration tests create network namespaces and must run as root");
    }

    /**
     * Starts a background command and returns once its stderr shows {@code marker} (tcpdump's
     * "listening on"). The command must bound itself (timeout(1)); the caller ends it.
     */
    static Process startAwaiting(String marker, StringBuffer stderr, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (java.io.BufferedReader r = new java.io.BufferedReader(
                        new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
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
                p.destroyForcibly();
                fail("'%s' never appeared on stderr of %s: %s", marker, command, stderr);
            }
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ends a background process started here: SIGTERM, then SIGKILL if it does not go. */
    static void stop(Process p) {
        if (p == null || !p.isAlive()) return;
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
