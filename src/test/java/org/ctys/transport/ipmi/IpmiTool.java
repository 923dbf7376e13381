package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ctys.testkit.Proc;
import org.ctys.testkit.Transcript;

/**
 * ipmitool against an {@link IpmiSim}, as the reference client for the tests:
 * {@code ipmitool -I lanplus -C 3 -H 127.0.0.1 -p PORT -U USER -E ARGS...}, bounded by a time limit.
 * The password goes in the environment ({@code -E}, IPMI_PASSWORD) rather than on the command line;
 * ctys itself never hands a password to another program. ipmitool needs {@code -C 3} against
 * ipmi_sim (see {@link IpmiSim}). {@link Sol} runs {@code sol activate} under a pty, as a person
 * at a terminal would.
 */
public final class IpmiTool {

    /** RMCP+ with cipher suite 3 (RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128), which ipmi_sim serves. */
    public static final List<String> LANPLUS = List.of("-I", "lanplus", "-C", "3");

    /** How long one ipmitool run may take unless told otherwise. */
    public static final Duration LIMIT = Duration.ofSeconds(30);

    private static final String IPMITOOL = "/usr/bin/ipmitool";
    private static final String SCRIPT = "/usr/bin/script";

    /** What an ipmitool run printed and how it exited. */
    public record Result(int exit, String out, String err) {
        /** stdout, then stderr. */
        public String output() {
            return out + err;
        }
    }

    private IpmiTool() {
    }

    /**
     * ipmitool with the simulator's user and password over {@link #LANPLUS}, and its BMC key (K_G)
     * when it has one ({@code -K}, from IPMI_KGKEY).
     */
    public static Result run(IpmiSim sim, String... args) {
        List<String> session = new ArrayList<>(LANPLUS);
        if (sim.options().bmcKey().isPresent()) session.add("-K");
        return run(sim, sim.user(), sim.password(), session, LIMIT, args);
    }

    /**
     * ipmitool with any login: another user or password, another interface or cipher suite
     * ({@code List.of("-I", "lanplus", "-C", "0")}, {@code List.of("-I", "lan", "-A", "NONE")}).
     * Options such as {@code -N 1 -R 1} may lead {@code args}. {@code -K} in {@code session} takes
     * the simulator's BMC key from IPMI_KGKEY, as {@code -E} takes the password: never on argv.
     */
    public static Result run(IpmiSim sim, String user, String password, List<String> session, Duration limit,
                             String... args) {
        // the password (and the BMC key) in the environment (-E, -K), never on the command line
        Map<String, String> env = new java.util.HashMap<>();
        env.put("IPMI_PASSWORD", password);
        sim.options().bmcKey().ifPresent(key -> env.put("IPMI_KGKEY", key));
        Proc.Outcome o = Proc.run(limit, env, command(sim, user, session, args));
        return new Result(o.exit(), o.out(), o.err());
    }

    /** ipmitool with the simulator's login that must succeed; returns its stdout. */
    public static String ok(IpmiSim sim, String... args) {
        Result r = run(sim, args);
        if (r.exit() != 0) {
            fail("ipmitool " + String.join(" ", args) + " against port " + sim.port() + " exited " + r.exit()
                    + ": " + r.output());
        }
        return r.out();
    }

    /** The sessions the BMC has open, as ipmitool (one of them, so at least 1) counts them. */
    public static int activeSessions(IpmiSim sim) {
        return (int) ok(sim, "session", "info", "active").lines().filter(l -> l.startsWith("session handle")).count();
    }

    private static List<String> command(IpmiSim sim, String user, List<String> session, String... args) {
        Proc.require(IPMITOOL, "ipmitool");
        List<String> command = new ArrayList<>(List.of(IPMITOOL));
        command.addAll(session);
        command.addAll(List.of("-H", sim.host(), "-p", Integer.toString(sim.port()), "-U", user, "-E"));
        command.addAll(List.of(args));
        return command;
    }


    /**
     * {@code ipmitool ... sol activate} under a pty made by {@code script -qfec}: what is typed goes
     * to the simulator's host console, what the host writes shows up in {@link #readUntil}.
     * {@link #close()} types the escape {@code ~.} and waits for ipmitool to end.
     */
    public static final class Sol implements AutoCloseable {
        private static final Duration STOP_LIMIT = Duration.ofSeconds(10);

        private final Process script;
        private final OutputStream keys;
        private final Thread reader;
        private final Transcript screen = new Transcript("ipmitool sol activate");
        private boolean atLineStart = true;
        private boolean closed;

        private Sol(Process script) {
            this.script = script;
            this.keys = script.getOutputStream();
            this.reader = new Thread(this::readLoop, "ipmitool-sol-" + script.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** Starts the SOL session; returns once ipmitool reports it operational. */
        public static Sol activate(IpmiSim sim, Duration limit) throws IOException {
            Proc.require(SCRIPT, "bsdutils");
            List<String> ipmitool = command(sim, sim.user(), LANPLUS, "sol", "activate");
            StringBuilder line = new StringBuilder();
            for (String word : ipmitool) {
                line.append(line.length() == 0 ? "" : " ").append('\'').append(word.replace("'", "'\\''")).append('\'');
            }
            ProcessBuilder pb = new ProcessBuilder(SCRIPT, "-qfec", line.toString(), "/dev/null")
                    .redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("IPMI_PASSWORD", sim.password());
            env.put("SHELL", "/bin/sh");
            env.put("TERM", "dumb");
            Sol sol = new Sol(pb.start());
            try {
                sol.readUntil("[SOL Session operational.", limit);
            } catch (AssertionError e) {
                sol.close();
                throw e;
            }
            return sol;
        }

        /** Types text at the session, as keystrokes: a line ends with "\r". */
        public void type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
            if (!text.isEmpty()) {
                char last = text.charAt(text.length() - 1);
                atLineStart = last == '\r' || last == '\n';
            }
        }

        /**
         * Waits until the terminal shows {@code expected} and returns what it showed up to and
         * including it; the next call reads on from there. Fails the test with what was shown if
         * it does not come within {@code limit}.
         */
        public String readUntil(String expected, Duration limit) {
            return screen.readUntil(expected, limit, () -> reader.isAlive() ? null : "it ended");
        }

        /** Everything the terminal has shown so far. */
        public String screen() {
            return screen.text();
        }

        private void readLoop() {
            byte[] buffer = new byte[4096];
            try (InputStream in = script.getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    screen.append(buffer, 0, n);
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                screen.ended();
            }
        }

        /** Whether ipmitool still runs. */
        public boolean running() {
            return script.isAlive();
        }

        /** Types {@code ~.} (at a line start), waits for ipmitool to end and returns its exit status. */
        public int deactivate() throws IOException, InterruptedException {
            if (script.isAlive()) {
                type(atLineStart ? "~." : "\r~.");
            }
            if (!script.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("ipmitool sol activate did not end within " + STOP_LIMIT.toSeconds() + " s of ~.; it showed "
                        + screen());
            }
            reader.join(STOP_LIMIT.toMillis());
            return script.exitValue();
        }

        /** Ends the session ({@link #deactivate()}), killing ipmitool if it does not end by itself. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            List<ProcessHandle> all = new ArrayList<>(script.descendants().toList());
            try {
                deactivate();
            } catch (IOException | AssertionError e) {
                // ipmitool did not take the escape: it is killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                all.addAll(script.descendants().toList());
                all.add(script.toHandle());
                all.forEach(ProcessHandle::destroyForcibly);
                try {
                    keys.close();
                } catch (IOException e) {
                    // the pipe is gone with the process
                }
            }
        }
    }
}
