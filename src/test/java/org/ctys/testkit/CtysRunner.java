package org.ctys.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ctys as a sysadmin runs it, in its own JVM started from the test classpath (or by its launcher,
 * {@link #launcher}), with a clean environment: HOME is the test's (its ~/.ssh decides what is
 * reached and trusted, its ~/.cache holds the inventory cache), and every file ctys could read on
 * its own (an inventory, the system inventory, /etc/ethers) is one the test chose or one that does
 * not exist. Nothing of the environment of the build leaks in (no SSH_AUTH_SOCK, DISPLAY,
 * CTYS_INVENTORY, XDG_*).
 *
 * <p>A runner is a value: {@link #inventory}, {@link #in}, {@link #env}, {@link #stdin}... return a
 * new runner, so one kept in a field is never changed by a test.
 */
public final class CtysRunner {
    /** How long one ctys run may take unless {@link #limit} says otherwise. */
    public static final Duration LIMIT = Duration.ofSeconds(120);
    /** PATH of the clean environment. */
    public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path home;
    private final Path inventory;
    private final Path ethers;
    private final String namespace;
    private final Map<String, String> env;
    private final String stdin;
    private final Duration limit;
    private final boolean launcher;

    /** ctys with {@code home} as HOME, no inventory, no ethers file, in the root namespace. */
    public CtysRunner(Path home) {
        this(home, null, home.resolve("no-ethers"), null, Map.of(), null, LIMIT, false);
    }

    private CtysRunner(Path home, Path inventory, Path ethers, String namespace, Map<String, String> env, String stdin,
                       Duration limit, boolean launcher) {
        this.home = home;
        this.inventory = inventory;
        this.ethers = ethers;
        this.namespace = namespace;
        this.env = Map.copyOf(env);
        this.stdin = stdin;
        this.limit = limit;
        this.launcher = launcher;
    }

    /** The inventory ctys reads by default (CTYS_INVENTORY). */
    public CtysRunner inventory(Path file) {
        return new CtysRunner(home, file, ethers, namespace, env, stdin, limit, launcher);
    }

    /** The ethers file ctys reads instead of /etc/ethers (CTYS_ETHERS). */
    public CtysRunner ethers(Path file) {
        return new CtysRunner(home, inventory, file, namespace, env, stdin, limit, launcher);
    }

    /** Runs ctys inside the network namespace {@code ns} (ip netns exec), as a process on that host. */
    public CtysRunner in(String ns) {
        return new CtysRunner(home, inventory, ethers, ns, env, stdin, limit, launcher);
    }

    /** One more environment variable (SSH_AUTH_SOCK, DISPLAY, a password variable...), applied last: it may replace PATH. */
    public CtysRunner env(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.put(name, value);
        return new CtysRunner(home, inventory, ethers, namespace, more, stdin, limit, launcher);
    }

    /** More environment variables, applied last. */
    public CtysRunner env(Map<String, String> variables) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.putAll(variables);
        return new CtysRunner(home, inventory, ethers, namespace, more, stdin, limit, launcher);
    }

    /** What ctys reads on stdin (then end of file); null, the default, is /dev/null. */
    public CtysRunner stdin(String text) {
        return new CtysRunner(home, inventory, ethers, namespace, env, text, limit, launcher);
    }

    /** How long a {@link #run} may take before ctys is killed and the test fails. */
    public CtysRunner limit(Duration max) {
        return new CtysRunner(home, inventory, ethers, namespace, env, stdin, max, launcher);
    }

    /**
     * ctys as installed: started by its launcher, bin/ctys, from the jar the package phase built
     * (CTYS_NO_BUILD: a stale jar is not rebuilt) on this JVM (JAVA_HOME), with its class-data
     * archive and JVM flags. Options for the JVM go in {@code .env("CTYS_JAVA_OPTS", "-Xmx300m")}.
     */
    public CtysRunner launcher() {
        return new CtysRunner(home, inventory, ethers, namespace, env, stdin, limit, true);
    }

    public Path home() { return home; }

    /** Runs ctys to its end within the limit; fails the test if it is still running then. */
    public Proc.Outcome run(String... args) {
        return Proc.run(processBuilder(args), stdin, limit);
    }

    /** Like {@link #run}, but ctys killed at the limit is an outcome ({@link Proc.Outcome#killed()}). */
    public Proc.Outcome runAllowingTimeout(String... args) {
        return Proc.runAllowingTimeout(processBuilder(args), stdin, limit);
    }

    /** Starts ctys in the background (stdin /dev/null); the test waits for it, signals it, and closes it. */
    public Running start(String... args) {
        return new Running(processBuilder(args), List.of(args));
    }

    /** The clean environment ctys runs with. */
    public Map<String, String> environment() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("PATH", PATH);
        e.put("LANG", "C.UTF-8");
        e.put("HOME", home.toString());
        e.put("CTYS_ETHERS", ethers.toString());
        e.put("CTYS_SYSTEM_INVENTORY", home.resolve("no-system-inventory.yaml").toString());
        if (inventory != null) e.put("CTYS_INVENTORY", inventory.toString());
        if (launcher) {
            e.put("JAVA_HOME", System.getProperty("java.home"));
            e.put("CTYS_NO_BUILD", "1");
        }
        e.putAll(env);
        return e;
    }

    /** The command line that starts ctys (in the namespace, if any) with {@code args}. */
    public List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (namespace != null) cmd.addAll(List.of(Proc.require("ip", "iproute2"), "netns", "exec", namespace));
        if (launcher) cmd.add(launcherPath());
        else cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.ctys.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** bin/ctys of the project under test (the build runs the tests in its base directory), with its jar built. */
    private static String launcherPath() {
        Path root = Path.of("").toAbsolutePath();
        Path jar = root.resolve("target/ctys.jar");
        if (!Files.isRegularFile(jar)) throw new AssertionError(jar + " is missing: run mvn package before these tests");
        return root.resolve("bin/ctys").toString();
    }

    private ProcessBuilder processBuilder(String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        pb.environment().clear();
        pb.environment().putAll(environment());
        return pb;
    }

    /**
     * A shell script that runs ctys on a terminal (a {@link Tmux} pane) as a person would: the clean
     * environment plus the terminal's TERM; then it writes {@code EXIT=<status>} to {@code exitFile}
     * and {@code stty -a} of the terminal to {@code sttyFile}, and keeps the pane open. The terminal's
     * {@code stty -g} before and after ctys go to {@code sttyFile.g-before} and {@code .g-after}.
     *
     * @return the command that runs the script, for {@link Tmux#open}
     */
    public String terminalScript(Path script, Path exitFile, Path sttyFile, String... args) throws IOException {
        Files.writeString(script, String.join("\n",
                "stty -g > " + Proc.shellQuote(sttyFile + ".g-before"),
                shellLine(args),
                "echo EXIT=$? > " + Proc.shellQuote(exitFile.toString()),
                "stty -g > " + Proc.shellQuote(sttyFile + ".g-after"),
                "stty -a > " + Proc.shellQuote(sttyFile.toString()),
                "exec sleep 600",
                ""), StandardCharsets.UTF_8);
        return "sh " + Proc.shellQuote(script.toString());
    }

    /** ctys with {@code args} in its clean environment (the terminal's TERM kept), as one line of sh. */
    public String shellLine(String... args) {
        StringBuilder line = new StringBuilder("env -i TERM=\"$TERM\"");
        for (Map.Entry<String, String> e : environment().entrySet()) {
            line.append(' ').append(Proc.shellQuote(e.getKey() + "=" + e.getValue()));
        }
        for (String word : command(args)) line.append(' ').append(Proc.shellQuote(word));
        return line.toString();
    }

    /** ctys running in the background, its output going to files; {@link #close} kills what is left. */
    public static final class Running implements AutoCloseable {
        private final List<String> args;
        private final Path out;
        private final Path err;
        private final Process process;
        private final long started = System.nanoTime();
        private final List<String> command;

        private Running(ProcessBuilder pb, List<String> args) {
            this.args = args;
            this.command = List.copyOf(pb.command());
            try {
                out = Files.createTempFile("ctys-test-", ".out");
                err = Files.createTempFile("ctys-test-", ".err");
                process = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            } catch (IOException e) {
                throw new AssertionError("cannot start ctys " + String.join(" ", args) + ": " + e.getMessage(), e);
            }
        }

        public long pid() { return process.pid(); }

        public boolean isAlive() { return process.isAlive(); }

        /** Waits until stderr so far contains {@code text}; false if ctys ended or {@code limit} passed first. */
        public boolean awaitStderr(String text, Duration limit) throws InterruptedException {
            return Proc.await(() -> err().contains(text) || !process.isAlive(), limit) && err().contains(text);
        }

        /** The processes ctys has started (and their children) that still run. */
        public List<ProcessHandle> descendants() { return process.descendants().toList(); }

        /**
         * Waits until a process ctys started runs a command line containing {@code text} (the
         * command it runs, a shell it opened) and returns it; fails the test, with what ctys said on
         * stderr, if none does within {@code limit}.
         */
        public ProcessHandle awaitDescendant(String text, Duration limit) {
            // the process found is the one returned: asking again may miss it (its command line is
            // not readable while it execs)
            java.util.concurrent.atomic.AtomicReference<ProcessHandle> found = new java.util.concurrent.atomic.AtomicReference<>();
            if (!Proc.await(() -> {
                Proc.descendant(process.toHandle(), text).ifPresent(found::set);
                return found.get() != null;
            }, limit)) {
                throw new AssertionError("ctys " + String.join(" ", args) + " started no '" + text + "' within "
                        + limit.toMillis() + " ms; stderr: " + err());
            }
            return found.get();
        }

        /** Waits for ctys to end; false if it still runs after {@code limit}. */
        public boolean waitFor(Duration limit) throws InterruptedException {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * Waits for ctys to end and returns its exit status; fails the test, with what ctys said on
         * stderr, if it still runs after {@code limit} ({@link #close} then kills it).
         */
        public int end(Duration limit) {
            if (!Proc.await(() -> !process.isAlive(), limit)) {
                throw new AssertionError("ctys " + String.join(" ", args) + " still runs after " + limit.toMillis()
                        + " ms; stderr: " + err());
            }
            return process.exitValue();
        }

        /**
         * Sends signal {@code name} ("TERM", "HUP", "INT") to ctys, as kill(1), systemd or a closing
         * terminal would, and waits for its end: what it printed, and its exit status. Fails the test
         * if it still runs after {@code limit}.
         */
        public Proc.Outcome signal(String name, Duration limit) {
            send(name);
            end(limit);
            return outcome();
        }

        /** Sends SIG{@code name} (INT, TERM, HUP, ...) as kill does, and returns at once. */
        public void send(String name) {
            requireNotIgnored(name);
            Proc.ok(Proc.require("kill", "procps"), "-" + name, String.valueOf(process.pid()));
        }

        /**
         * A signal ignored when ctys started stays ignored (the JVM takes over only the signals it
         * was given as they come by default): a test run started with nohup, or with {@code &} from
         * a shell without job control, hands every ctys SIGINT and SIGHUP ignored, and its signal
         * tests would fail for that reason alone. Said as such instead.
         */
        private void requireNotIgnored(String name) {
            int number = switch (name) {
                case "HUP" -> 1;
                case "INT" -> 2;
                case "QUIT" -> 3;
                case "TERM" -> 15;
                default -> 0;
            };
            if (number == 0) return;
            try {
                String ignored = Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                        .filter(l -> l.startsWith("SigIgn:")).findFirst().map(l -> l.substring("SigIgn:".length()).strip()).orElse("0");
                if (new java.math.BigInteger(ignored, 16).testBit(number - 1)) {
                    throw new AssertionError("ctys was started with SIG" + name + " ignored (SigIgn " + ignored + "), inherited from"
                            + " this test run: it was started with nohup or in the background of a shell without job control."
                            + " Run the tests in the foreground.");
                }
            } catch (IOException e) {
                // ended already: the signal's outcome says so
            }
        }

        /** What ctys printed and its exit status; it must have ended ({@link #waitFor}). */
        public Proc.Outcome outcome() {
            if (process.isAlive()) throw new AssertionError("ctys " + String.join(" ", args) + " still runs");
            return new Proc.Outcome(command, process.exitValue(), read(out), err(), Duration.ofNanos(System.nanoTime() - started));
        }

        public String err() { return read(err); }

        /** The file ctys's stdout goes to, for output too large to read as text; removed by {@link #close}. */
        public Path stdout() { return out; }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        /** Kills ctys and what it started if they still run, waits for them, removes the output files. */
        @Override
        public void close() {
            try {
                Proc.kill(process);
            } finally {
                Proc.deleteQuietly(out);
                Proc.deleteQuietly(err);
            }
        }
    }
}
