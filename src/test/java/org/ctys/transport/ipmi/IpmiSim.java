package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ctys.testkit.Proc;
import org.ctys.testkit.Transcript;

/**
 * A real BMC for the IPMI tests: OpenIPMI's simulator {@code ipmi_sim} answering IPMI 1.5 and 2.0
 * (RMCP+) on 127.0.0.1 and a UDP port of its own. Everything it reads and writes is in the test's
 * work directory: its lan.conf, its command file (bmc.emu), its state directory and its log
 * (ipmi_sim.log), so nothing under /etc/ipmi or /var/ipmi_sim is used.
 *
 * <p>The chassis is {@code chassis-control}, a bash script that ipmi_sim runs as its
 * {@code chassis_control} program: it keeps the power state and boot device in files and appends
 * every request to {@code actions.log} ("power 1", "power 0", "reset", "boot pxe", "shutdown",
 * "identify 15 0"), which {@link #powerState()}, {@link #bootDevice()} and {@link #actions()} read
 * back. A soft off (ACPI) powers off at once, after a delay, or never ({@link Options#softOffAfter},
 * {@link Options#ignoringSoftOff}). With {@link Options#withSol} a socat pty pair is the host's
 * serial line: ipmi_sim serves SOL from one end ({@link #solBmcDevice()}), the "host" is the other
 * ({@link #solHostDevice()}), read and written by {@link #hostReadUntil} and {@link #hostWrite}.
 * With {@link Options#withHost} the chassis and the serial line are the caller's instead (the test
 * kit's {@code VmBmc}: a QEMU); ipmi_sim then runs under {@code reaper.pl}, a child subreaper that
 * waits for the processes the caller's program leaves running and stops them when ipmi_sim ends.
 *
 * <h2>How ipmi_sim 2.0.33 (Debian 12) behaves, tried with ipmitool 1.8.19 and read in its source</h2>
 * <ul>
 * <li><b>Chassis control program.</b> ipmi_sim runs it through /bin/sh as
 * {@code <program> 0x20 get <parm>...} or {@code <program> 0x20 set <parm> "<value>"...} and waits
 * for it: the BMC answers nobody meanwhile. A get prints {@code parm:value} lines; a non-zero exit
 * makes the command answer 0xff (unspecified error). Get Chassis Status runs {@code get power}
 * ({@code power:0|1}). Chassis Control runs {@code set power 0} (off), {@code set power 1} (on),
 * {@code set reset 1} (hard reset), {@code set shutdown 1} (soft off); a power cycle is
 * {@code set power 0}, then one second later, from ipmi_sim's own timer, {@code get power} and
 * {@code set power 1}; pulse diagnostic interrupt answers 0xcc. Set System Boot Options parameter 5
 * runs {@code set boot none|pxe|default|cdrom|bios} (ipmitool's bootdev disk is "default";
 * persistent and EFI flags are ignored; safe, floppy and the other devices have no name and answer
 * 0xff); Get System Boot Options parameter 5 runs {@code get boot} ({@code boot:<name>}), which
 * ipmitool's bootdev reads first. Chassis Identify runs {@code set identify "<seconds> <force>"}.
 * <li><b>Cipher suites.</b> 0, 1, 2, 3 and 6 work with ipmitool; 7 and 8 (HMAC-MD5-128 integrity)
 * open a session whose first authenticated request fails; 4, 5, 9, 10, 13 and 14 (xRC4) are
 * refused as an invalid confidentiality algorithm, 15 to 17 (SHA-256) as an invalid authentication
 * algorithm. Without {@code -C}, ipmitool first sends Get Channel Cipher Suites outside a session,
 * which ipmi_sim leaves unanswered: after 10 s ipmitool says "Unable to Get Channel Cipher Suites"
 * and falls back to suite 3. Hence always {@code -C 3}.
 * <li><b>Cipher suite 0 is always accepted</b>, with no password check, for any user name that
 * exists: no lan.conf setting refuses it, and the cipher suite privilege levels (LAN parameter 24,
 * {@code ipmitool lan set 1 cipher_privs}) are stored but not applied per suite. A client that must
 * never use suite 0 has to refuse it by itself; this BMC would accept it.
 * <li><b>Wrong credentials.</b> An unknown user name gets RAKP 2 with status 0x0d (unauthorized
 * name); a wrong password gets RAKP 2 with status 0 and a key exchange authentication code made
 * with the real password, so the client finds the mismatch itself ("RAKP 2 HMAC is invalid").
 * <li><b>IPMI 1.5</b> authentication types are those of the allowed_auths_* lines and the user
 * line: MD5 only by default, none, MD2, MD5 and straight password with
 * {@link Options#withWeakAuth}, where type none needs no password at all.
 * <li><b>Passwords.</b> ipmi_sim keeps the first 19 characters of a longer one (a client sending
 * all 20 is refused), and IPMI 1.5 uses 16; a user name has at most 16. {@link Options} therefore
 * takes at most 16 of each.
 * <li><b>BMC key (K_G).</b> lan.conf's {@code bmc_key "text"} in the LAN section (at most 19
 * characters, padded with zeros to 20; the hex form reads past its 16 bytes) keys every RMCP+
 * session: RAKP 2 and 3 still prove the user's password, the session integrity key comes from
 * K_G, so a client without it or with another one fails RAKP 4 (ipmitool: "Unable to establish
 * IPMI v2 / RMCP+ session"; with {@code -k} the right key it works). Get Channel Authentication
 * Capabilities then reports "KG status" non-zero.
 * <li><b>Sessions idle for 30 s are closed</b>, and only IPMI requests (payload type 0) count as
 * activity: SOL packets do not. ipmitool's {@code sol activate usesolkeepalive} loses its session
 * after 30 s ("No response to keepalive"), its default keepalive, Get Device ID, keeps it.
 * <li><b>SOL.</b> Activate Payload (SOL, instance 1) while SOL is active in any session answers
 * completion code 0x80 (payload already active; ipmitool: "SOL payload already active on another
 * session"). Get Payload Activation Status for SOL answers {@code 01 01 00} while active and
 * {@code 01 00 00} when not. Deactivate Payload from another session ({@code ipmitool sol
 * deactivate}) is accepted (0x00) and ends the active SOL without a word to the session that had it;
 * that session's own deactivation later answers 0x80 (already deactivated). Text the host writes
 * while no SOL is active is read and dropped, not kept for the next activation. The serial device
 * is opened at start and locked with a UUCP lock file /var/lock/LCK..&lt;basename&gt;, so each
 * simulator is given its real /dev/pts/N rather than a link named alike for all.
 * <li><b>Ports.</b> ipmi_sim binds its UDP port with SO_REUSEADDR, so a second simulator on a
 * port another simulator holds starts without a word and the two share the traffic; a port a
 * client socket holds makes it exit ("Unable to bind to LAN port: Address already in use"). A port
 * found free by binding to port 0 is in the kernel's ephemeral range, where the next client socket
 * may well get it before ipmi_sim binds (it happened with 64 at once). {@link #start} therefore
 * takes a free port below that range, hands it out once per JVM, tries another after a failed bind,
 * and checks after the start that no other socket holds it.
 * <li>ipmi_sim answers the RMCP presence ping (ASF), which is how {@link #start} knows it is up.
 * SIGTERM ends it cleanly (it removes its lock file); after SIGKILL ({@link #kill}) the stale lock
 * file is removed here.
 * </ul>
 */
public final class IpmiSim implements AutoCloseable {

    /** The only address a simulator listens on: no test traffic leaves 127.0.0.0/8. */
    public static final String HOST = "127.0.0.1";

    private static final String MC = "0x20";
    private static final Duration READY_LIMIT = Duration.ofSeconds(10);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(5);
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/+-]+");
    private static final Pattern SOL_DEVICE = Pattern.compile("[A-Za-z0-9._/+:-]+");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,16}");
    private static final Pattern PASSWORD = Pattern.compile("[\\x21-\\x7e&&[^\"\\\\]]{1,16}");
    private static final Set<Integer> PORTS_IN_USE = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<IpmiSim> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        // A JVM ended by a test timeout or ^C in a benchmark leaves no simulator behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (IpmiSim sim : RUNNING) {
                try {
                    sim.close();
                } catch (RuntimeException | AssertionError e) {
                    // the JVM is going: there is nobody left to report to
                }
            }
        }, "ipmi-sim-cleanup"));
    }

    /**
     * What a simulator is: its one user, port, IPMI 1.5 authentication types, SOL, power at start
     * and how its "OS" takes a soft off. Immutable; {@link #defaults()} and the {@code with...}
     * methods make new ones.
     *
     * @param port       UDP port on 127.0.0.1, or 0 for a free one
     * @param privilege  the user's highest privilege: user, operator or admin
     * @param weakAuth   IPMI 1.5 authentication types none, MD2, MD5 and straight password instead
     *                   of MD5 only (RMCP+ cipher suite 0 is accepted either way, see the class)
     * @param softOff    delay from a soft off to power off; empty for an OS that ignores ACPI
     */
    public record Options(String user, String password, int port, String privilege, boolean weakAuth,
                          boolean sol, boolean poweredOn, Optional<Duration> softOff, Optional<String> bmcKey,
                          Optional<Host> host, java.util.OptionalInt systemInterface) {

        /** Without a system interface (no watchdog action can be carried out). */
        public Options(String user, String password, int port, String privilege, boolean weakAuth, boolean sol, boolean poweredOn,
                       Optional<Duration> softOff, Optional<String> bmcKey, Optional<Host> host) {
            this(user, password, port, privilege, weakAuth, sol, poweredOn, softOff, bmcKey, host, java.util.OptionalInt.empty());
        }

        public Options {
            Objects.requireNonNull(softOff, "softOff");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(bmcKey, "bmcKey");
            if (bmcKey.isPresent() && !PASSWORD.matcher(bmcKey.get()).matches()) {
                // lan.conf takes at most 19 characters of a quoted key and pads it with zeros to 20
                throw new IllegalArgumentException("BMC key must be 1-16 printable ASCII characters"
                        + " without blank, quote or backslash");
            }
            if (!USER.matcher(user).matches()) {
                throw new IllegalArgumentException("user name must be 1-16 of [A-Za-z0-9._-]: " + user);
            }
            if (!PASSWORD.matcher(password).matches()) {
                throw new IllegalArgumentException("password must be 1-16 printable ASCII characters"
                        + " without blank, quote or backslash");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (!List.of("user", "operator", "admin").contains(privilege)) {
                throw new IllegalArgumentException("privilege must be user, operator or admin: " + privilege);
            }
            if (host.isPresent() && sol) {
                throw new IllegalArgumentException("a caller's host brings its own serial device: no socat SOL pair");
            }
            if (softOff.isPresent() && softOff.get().isNegative()) {
                throw new IllegalArgumentException("negative soft off delay: " + softOff.get());
            }
        }

        /** User "ctys" with admin privilege, a free port, MD5 only, no SOL, powered off, soft off at once. */
        public static Options defaults() {
            return new Options("ctys", "ctys-ipmi-pw", 0, "admin", false, false, false, Optional.of(Duration.ZERO),
                    Optional.empty(), Optional.empty());
        }

        public Options withUser(String name) {
            return new Options(name, password, port, privilege, weakAuth, sol, poweredOn, softOff, bmcKey, host);
        }

        public Options withPassword(String secret) {
            return new Options(user, secret, port, privilege, weakAuth, sol, poweredOn, softOff, bmcKey, host);
        }

        public Options withPort(int udpPort) {
            return new Options(user, password, udpPort, privilege, weakAuth, sol, poweredOn, softOff, bmcKey, host);
        }

        public Options withPrivilege(String level) {
            return new Options(user, password, port, level, weakAuth, sol, poweredOn, softOff, bmcKey, host);
        }

        /** IPMI 1.5 authentication types none, MD2, MD5 and straight password allowed. */
        public Options withWeakAuth() {
            return new Options(user, password, port, privilege, true, sol, poweredOn, softOff, bmcKey, host);
        }

        /** A host serial line behind SOL: a socat pty pair. */
        public Options withSol() {
            return new Options(user, password, port, privilege, weakAuth, true, poweredOn, softOff, bmcKey, host);
        }

        public Options poweredOn(boolean on) {
            return new Options(user, password, port, privilege, weakAuth, sol, on, softOff, bmcKey, host);
        }

        /** The OS powers off this long after a soft off (ACPI shutdown). */
        public Options softOffAfter(Duration delay) {
            return new Options(user, password, port, privilege, weakAuth, sol, poweredOn, Optional.of(delay), bmcKey, host);
        }

        /**
         * A BMC key (K_G, "two-key login"): lan.conf's {@code bmc_key}. RAKP still checks the
         * user's password, but the session keys come from this key (IPMI v2.0, 13.31).
         */
        public Options withBmcKey(String key) {
            return new Options(user, password, port, privilege, weakAuth, sol, poweredOn, softOff, Optional.of(key), host);
        }

        /**
         * The host is the caller's: {@code host}'s program is the chassis, SOL reads its serial
         * device, and ipmi_sim runs under a reaper that waits for what the program leaves running.
         * Power at start and soft-off options then mean nothing; {@link #withSol} must not be set.
         */
        public Options withHost(Host host) {
            return new Options(user, password, port, privilege, weakAuth, sol, poweredOn, softOff, bmcKey,
                    Optional.of(host));
        }

        /**
         * A system interface (channel 15) that a QEMU connects to as its BMC ({@code -device ipmi-bmc-extern} on a
         * chardev to 127.0.0.1:{@code tcpPort}, codec VM), and the watchdog sensor: ipmi_sim accepts a watchdog
         * whose action is a reset only while such a machine is connected, and carries the reset out by telling it
         * over that connection (QEMU resets, or exits with -no-reboot); without the sensor an expiry does nothing.
         * Give it last: the other withers drop it.
         */
        public Options withSystemInterface(int tcpPort) {
            return new Options(user, password, port, privilege, weakAuth, sol, poweredOn, softOff, bmcKey, host,
                    java.util.OptionalInt.of(tcpPort));
        }

        /** The OS ignores a soft off: the power stays on until a hard power off. */
        public Options ignoringSoftOff() {
            return new Options(user, password, port, privilege, weakAuth, sol, poweredOn, Optional.empty(), bmcKey, host);
        }
    }

    /**
     * A host that is not this class's files but the caller's program: {@code chassisProgram} is the
     * text of the chassis_control program (any interpreter; "@DIR@" becomes the work directory),
     * {@code solDevice} the serial device SOL reads, as lan.conf's sol line takes it: a path, or
     * {@code tcp:ADDRESS:PORT}, to which ipmi_sim connects (and reconnects) as a client.
     */
    public record Host(String chassisProgram, String solDevice) {
        public Host {
            Objects.requireNonNull(chassisProgram, "chassisProgram");
            if (!SOL_DEVICE.matcher(solDevice).matches()) {
                throw new IllegalArgumentException("SOL device must be a plain path or tcp:ADDRESS:PORT: " + solDevice);
            }
        }
    }

    private final Path dir;
    private final Options options;
    private final int port;
    private final Process sim;
    private final Sol sol;
    private boolean closed;

    private IpmiSim(Path dir, Options options, int port, Process sim, Sol sol) {
        this.dir = dir;
        this.options = options;
        this.port = port;
        this.sim = sim;
        this.sol = sol;
        RUNNING.add(this);
    }

    /** A simulator with the {@link Options#defaults()}. */
    public static IpmiSim start(Path workDir) throws IOException {
        return start(workDir, Options.defaults());
    }

    /**
     * Writes the simulator's files into {@code workDir} (which must be its own) and starts it;
     * returns once it answers an RMCP ping, and fails the test with its log if it does not within
     * 10 s.
     */
    public static IpmiSim start(Path workDir, Options options) throws IOException {
        Proc.require("/usr/bin/ipmi_sim", "openipmi");
        Proc.require("/bin/bash", "bash");
        Proc.require("/usr/bin/flock", "util-linux");
        if (options.host().isPresent()) {
            Proc.require("/usr/bin/perl", "perl-base");
        }
        if (options.sol()) {
            Proc.require("/usr/bin/socat", "socat");
        }
        Path dir = Files.createDirectories(workDir).toAbsolutePath().normalize();
        if (!SAFE_PATH.matcher(dir.toString()).matches()) {
            // The path goes into lan.conf and through /bin/sh unquoted.
            throw new IllegalArgumentException("work directory must be a plain path of [A-Za-z0-9._/+-]: " + dir);
        }
        int attempts = options.port() == 0 ? 3 : 1;
        for (int attempt = 1; ; attempt++) {
            int port = options.port() == 0 ? freePort() : reserve(options.port());
            IpmiSim started;
            try {
                started = launch(dir, options, port);
            } catch (AssertionError e) {
                PORTS_IN_USE.remove(port);
                if (attempt < attempts && String.valueOf(e.getMessage()).contains("Unable to bind to LAN port")) {
                    continue;
                }
                throw e;
            } catch (IOException | RuntimeException | Error e) {
                PORTS_IN_USE.remove(port);
                throw e;
            }
            if (!started.portShared()) {
                return started;
            }
            started.close();
            if (attempt >= attempts) {
                fail("another socket holds UDP port " + port + " on " + HOST + " besides ipmi_sim");
            }
        }
    }

    private static IpmiSim launch(Path dir, Options options, int port) throws IOException {
        deleteTree(dir.resolve("state"));
        for (String name : List.of("lan.conf", "bmc.emu", "chassis-control", "chassis.lock", "power", "boot",
                "soft-off-at", "actions.log", "ipmi_sim.log", "socat.log")) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.createDirectories(dir.resolve("state"));
        if (options.host().isEmpty()) {
            Files.writeString(dir.resolve("power"), options.poweredOn() ? "1\n" : "0\n");
            Files.writeString(dir.resolve("boot"), "default\n");
        }
        Files.createFile(dir.resolve("actions.log"));
        writeChassisControl(dir, options);
        Files.writeString(dir.resolve("bmc.emu"), String.join("\n",
                "# ipmi_sim command file written by IpmiSim: one BMC at IPMB address 0x20",
                "mc_setbmc " + MC,
                "mc_add " + MC + " 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr",
                "sel_enable " + MC + " 1000 0x0a",
                // the watchdog's sensor (number 0, type 23h): ipmi_sim carries out a watchdog expiry only with it
                options.systemInterface().isPresent() ? "sensor_add " + MC + " 0 0 0x23 0x6f" : "",
                "mc_enable " + MC,
                ""));
        Sol sol = options.sol() ? Sol.start(dir) : null;
        Process sim = null;
        try {
            writeLanConf(dir, options, port, sol);
            Path log = dir.resolve("ipmi_sim.log");
            List<String> command = new ArrayList<>();
            if (options.host().isPresent()) {
                command.addAll(List.of("/usr/bin/perl", writeResource(dir, "/ipmi/reaper.pl", "reaper.pl").toString()));
            }
            command.addAll(List.of("/usr/bin/ipmi_sim", "-c", dir.resolve("lan.conf").toString(),
                    "-f", dir.resolve("bmc.emu").toString(), "-s", dir.resolve("state").toString(), "-n"));
            sim = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            IpmiSim started = new IpmiSim(dir, options, port, sim, sol);
            started.awaitReady(log);
            return started;
        } catch (IOException | RuntimeException | Error e) {
            if (sim != null) {
                Proc.stop(sim);
            }
            if (sol != null) {
                sol.close();
            }
            throw e;
        }
    }

    private static void writeChassisControl(Path dir, Options options) throws IOException {
        Path script = dir.resolve("chassis-control");
        if (options.host().isPresent()) {
            Files.writeString(script, options.host().get().chassisProgram().replace("@DIR@", dir.toString()));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return;
        }
        String template = resource("/ipmi/chassis-control.sh");
        long softOffMs = options.softOff().map(Duration::toMillis).orElse(-1L);
        Files.writeString(script, template.replace("@DIR@", dir.toString())
                .replace("@SOFT_OFF_MS@", Long.toString(softOffMs)));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A test resource's text; a missing one is a broken build, not a failed test. */
    private static String resource(String name) throws IOException {
        try (InputStream in = IpmiSim.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Path writeResource(Path dir, String name, String file) throws IOException {
        Path target = dir.resolve(file);
        Files.writeString(target, resource(name));
        return target;
    }

    private static void writeLanConf(Path dir, Options options, int port, Sol sol) throws IOException {
        String auths = options.weakAuth() ? "none md2 md5 straight" : "md5";
        byte[] guid = new byte[16];
        RANDOM.nextBytes(guid);
        List<String> lines = new ArrayList<>(List.of(
                "# ipmi_sim lan.conf written by IpmiSim",
                "name \"ctys-sim-" + port + "\"",
                "set_working_mc " + MC,
                "  startlan 1",
                "    addr " + HOST + " " + port,
                "    priv_limit admin",
                "    allowed_auths_callback " + auths,
                "    allowed_auths_user " + auths,
                "    allowed_auths_operator " + auths,
                "    allowed_auths_admin " + auths,
                // RMCP+ is offered only with a GUID.
                "    guid " + HexFormat.of().formatHex(guid)));
        options.bmcKey().ifPresent(key -> lines.add("    bmc_key \"" + key + "\""));
        lines.addAll(List.of(
                "  endlan",
                "  chassis_control \"" + dir.resolve("chassis-control") + " " + MC + "\""));
        if (sol != null) {
            lines.add("  sol \"" + sol.bmcDevice + "\" 115200");
        }
        options.host().ifPresent(host -> lines.add("  sol \"" + host.solDevice() + "\" 115200"));
        options.systemInterface().ifPresent(p -> lines.add("  serial 15 " + HOST + " " + p + " codec VM"));
        lines.add("  user 2 true \"" + options.user() + "\" \"" + options.password() + "\" "
                + options.privilege() + " 10 " + auths);
        lines.add("");
        Files.writeString(dir.resolve("lan.conf"), String.join("\n", lines));
    }

    /** Waits for the RMCP presence pong: ipmi_sim has read its files and serves the LAN. */
    private void awaitReady(Path log) throws IOException {
        byte[] ping = {0x06, 0x00, (byte) 0xff, 0x06, 0x00, 0x00, 0x11, (byte) 0xbe, (byte) 0x80, 0x11, 0x00, 0x00};
        long until = System.nanoTime() + READY_LIMIT.toNanos();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            // connected, so that "port unreachable" before ipmi_sim binds comes back at once
            socket.connect(new InetSocketAddress(HOST, port));
            socket.setSoTimeout(50);
            byte[] buffer = new byte[64];
            while (System.nanoTime() < until) {
                if (!sim.isAlive()) {
                    failStart("exited " + sim.exitValue() + " at start", log);
                }
                try {
                    socket.send(new DatagramPacket(ping, ping.length));
                    DatagramPacket pong = new DatagramPacket(buffer, buffer.length);
                    socket.receive(pong);
                    // RMCP, ASF class, presence pong (0x40) with our tag
                    if (pong.getLength() >= 10 && buffer[3] == 0x06 && buffer[8] == 0x40 && buffer[9] == 0x11) {
                        return;
                    }
                } catch (PortUnreachableException e) {
                    pause(5);
                } catch (SocketTimeoutException e) {
                    // not up yet, or the datagram was lost: ask again
                }
            }
        }
        failStart("did not answer an RMCP ping within " + READY_LIMIT.toSeconds() + " s", log);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted starting ipmi_sim", e);
        }
    }

    private void failStart(String what, Path log) throws IOException {
        close();
        String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        fail("ipmi_sim on " + HOST + ":" + port + " " + what + "; its output: " + (text.isBlank() ? "(none)" : text)
                + (sol == null ? "" : "; socat: " + sol.log()));
    }

    /** True when a socket besides this simulator's is bound to its port (see the class comment). */
    private boolean portShared() throws IOException {
        int sockets = 0;
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 1 && fields[1].contains(":")) {
                    String hexPort = fields[1].substring(fields[1].lastIndexOf(':') + 1);
                    if (hexPort.matches("[0-9A-F]{4}") && Integer.parseInt(hexPort, 16) == port) {
                        sockets++;
                    }
                }
            }
        }
        return sockets > 1;
    }

    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    public String user() {
        return options.user();
    }

    public String password() {
        return options.password();
    }

    /** ctys's settings for this BMC, its password in a file of {@code dir} readable by its owner only. */
    public org.ctys.inventory.BmcSettings settings(java.nio.file.Path dir, int cipherSuite) throws java.io.IOException {
        java.nio.file.Path pw = dir.resolve("bmc.pw");
        java.nio.file.Files.writeString(pw, password() + "\n");
        java.nio.file.Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return new org.ctys.inventory.BmcSettings(HOST, port, user(), org.ctys.inventory.SecretRef.file(pw), cipherSuite, false);
    }

    public Options options() {
        return options;
    }

    /** The simulator's own directory: lan.conf, bmc.emu, chassis-control, actions.log, ipmi_sim.log. */
    public Path workDir() {
        return dir;
    }

    /** False once ipmi_sim has ended, as after {@link #kill()}. */
    public boolean alive() {
        return sim.isAlive();
    }

    /** ipmi_sim's output: its start-up errors (later ones go to syslog). */
    public String log() throws IOException {
        return Files.readString(dir.resolve("ipmi_sim.log"), StandardCharsets.UTF_8);
    }

    /** True when the simulated host is powered on, as Get Chassis Status would report it now. */
    public boolean powerState() {
        return "1".equals(chassis("power"));
    }

    /** The boot device last set (none, pxe, default, cdrom or bios); "default" at start. */
    public String bootDevice() {
        return chassis("boot");
    }

    /** What the BMC was asked to do, in order: "power 1", "power 0", "reset", "boot pxe", "shutdown", ... */
    public List<String> actions() throws IOException {
        return Files.readAllLines(dir.resolve("actions.log"), StandardCharsets.UTF_8);
    }

    /** Reads one value the way ipmi_sim does, through chassis-control, which settles a pending soft off. */
    private String chassis(String parm) {
        Proc.Outcome o = Proc.run(Duration.ofSeconds(10),
                List.of(dir.resolve("chassis-control").toString(), MC, "get", parm));
        String out = o.out().strip();
        if (o.exit() != 0 || !out.startsWith(parm + ":")) {
            fail("chassis-control get " + parm + " exited " + o.exit() + ": " + o.both());
        }
        return out.substring(parm.length() + 1);
    }

    /** The pty ipmi_sim serves SOL from (a /dev/pts device). */
    public Path solBmcDevice() {
        return requireSol().bmcDevice;
    }

    /** The host's end of the serial line, a link to a /dev/pts device; read here, so share it with care. */
    public Path solHostDevice() {
        return requireSol().hostLink;
    }

    /**
     * Writes text to the host's serial console, for the SOL client to receive; ipmi_sim drops it
     * when no SOL is active.
     */
    public void hostWrite(String text) throws IOException {
        requireSol().write(text);
    }

    /**
     * Waits until the host's serial console has received {@code expected} from the SOL client, and
     * returns what it received up to and including it; the next call reads on from there. Fails
     * the test with what arrived if it does not come within {@code limit}.
     */
    public String hostReadUntil(String expected, Duration limit) {
        return requireSol().readUntil(expected, limit);
    }

    /** All the host's serial console has received so far. */
    public String hostReceived() {
        return requireSol().received();
    }

    private Sol requireSol() {
        if (sol == null) {
            throw new IllegalStateException("this simulator was started without SOL (Options.withSol)");
        }
        return sol;
    }

    /** SIGKILL to ipmi_sim, as a BMC that dies mid-session: no reply to anything from now on. */
    public void kill() {
        Proc.kill(sim);
        removeStaleLock();
    }

    /** Stops ipmi_sim (SIGTERM, then SIGKILL) and socat and waits for them; the port is free again. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Proc.stop(sim);
            removeStaleLock();
        } finally {
            try {
                if (sol != null) {
                    sol.close();
                }
            } finally {
                PORTS_IN_USE.remove(port);
                RUNNING.remove(this);
            }
        }
    }

    /** ipmi_sim removes its UUCP lock file on SIGTERM, not on SIGKILL. */
    private void removeStaleLock() {
        if (sol == null) {
            return;
        }
        Path lock = Path.of("/var/lock", "LCK.." + sol.bmcDevice.getFileName());
        try {
            if (!sim.isAlive() && Files.exists(lock)
                    && Files.readString(lock).strip().split("\\s+")[0].equals(Long.toString(sim.pid()))) {
                Files.deleteIfExists(lock);
            }
        } catch (IOException e) {
            // gone already, or not ours: ipmi_sim removes a dead owner's lock itself
        }
    }

    /**
     * A UDP port on 127.0.0.1 that is free now and handed to no other simulator of this JVM. It is
     * below the kernel's ephemeral range, where no client socket (an RMCP ping, an ipmitool) can be
     * given it between this check and ipmi_sim's bind.
     */
    private static int freePort() throws IOException {
        // Files.readString reads 1 byte of this /proc file (it reports size 0); readAllLines reads it all.
        int below = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                .strip().split("\\s+")[0]);
        int low = Math.min(20000, below / 2);
        for (int i = 0; i < 200; i++) {
            int candidate = low + RANDOM.nextInt(below - low);
            if (!PORTS_IN_USE.add(candidate)) {
                continue;
            }
            DatagramSocket probe;
            try {
                probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate));
            } catch (SocketException e) {
                PORTS_IN_USE.remove(candidate);
                continue;
            }
            probe.close();
            return candidate;
        }
        throw new IllegalStateException("no free UDP port on " + HOST + " between " + low + " and " + below
                + " in 200 tries");
    }

    private static int reserve(int port) {
        if (!PORTS_IN_USE.add(port)) {
            fail("UDP port " + port + " is already given to another simulator of this JVM");
        }
        return port;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * The host's serial line: {@code socat pty,raw,echo=0,link=sol-bmc pty,raw,echo=0,link=sol-host}.
     * ipmi_sim opens the first pty; a reader thread here keeps what arrives on the second.
     */
    private static final class Sol implements AutoCloseable {
        private final Process socat;
        private final Path dir;
        final Path bmcDevice;
        final Path hostLink;
        private final FileChannel in;
        private final FileChannel out;
        private final Thread reader;
        private final Transcript received = new Transcript("the host console");
        private volatile String readError;

        private Sol(Process socat, Path dir, Path bmcDevice, Path hostLink, FileChannel in, FileChannel out) {
            this.socat = socat;
            this.dir = dir;
            this.bmcDevice = bmcDevice;
            this.hostLink = hostLink;
            this.in = in;
            this.out = out;
            this.reader = new Thread(this::readLoop, "ipmi-sim-sol-host-" + hostLink);
            reader.setDaemon(true);
        }

        static Sol start(Path dir) throws IOException {
            // ipmi_sim locks the serial device in /var/lock, which a fresh container may lack (/run/lock)
            Path locks = Path.of("/var/lock");
            Files.createDirectories(Files.isSymbolicLink(locks) ? locks.resolveSibling(Files.readSymbolicLink(locks)) : locks);
            Path bmcLink = dir.resolve("sol-bmc");
            Path hostLink = dir.resolve("sol-host");
            Files.deleteIfExists(bmcLink);
            Files.deleteIfExists(hostLink);
            Process socat = new ProcessBuilder("/usr/bin/socat", "-d", "-d",
                    "pty,raw,echo=0,link=" + bmcLink, "pty,raw,echo=0,link=" + hostLink)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("socat.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            FileChannel in = null;
            try {
                long until = System.nanoTime() + READY_LIMIT.toNanos();
                while (!(Files.exists(bmcLink) && Files.exists(hostLink)
                        && Files.readString(dir.resolve("socat.log")).contains("starting data transfer loop"))) {
                    if (!socat.isAlive() || System.nanoTime() > until) {
                        fail("socat made no pty pair within " + READY_LIMIT.toSeconds() + " s: "
                                + Files.readString(dir.resolve("socat.log")));
                    }
                    pause(10);
                }
                in = FileChannel.open(hostLink, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(hostLink, StandardOpenOption.WRITE);
                Sol sol = new Sol(socat, dir, bmcLink.toRealPath(), hostLink, in, out);
                sol.reader.start();
                return sol;
            } catch (IOException | RuntimeException | Error e) {
                if (in != null) {
                    in.close();
                }
                Proc.stop(socat);
                throw e;
            }
        }

        private void readLoop() {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            try {
                while (in.read(buffer.clear()) >= 0) {
                    received.append(buffer.array(), 0, buffer.position());
                }
            } catch (IOException e) {
                // EIO once socat has gone, or the channel closed by close()
                readError = e.toString();
                received.ended();
            }
        }

        void write(String text) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        }

        String readUntil(String expected, Duration limit) {
            return received.readUntil(expected, limit,
                    () -> !reader.isAlive() && readError != null ? "its reader ended: " + readError : null);
        }

        String received() {
            return received.text();
        }

        String log() {
            try {
                return Files.readString(dir.resolve("socat.log"));
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() {
            try {
                Proc.stop(socat);
            } finally {
                try {
                    in.close();
                    out.close();
                    reader.join(STOP_LIMIT.toMillis());
                } catch (IOException e) {
                    throw new AssertionError("cannot close the host end " + hostLink + ": " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted closing the host end " + hostLink, e);
                }
            }
        }
    }
}
