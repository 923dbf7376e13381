package org.ctys.plugins.pm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ctys.testkit.OpenSshd;
import java.util.Optional;
import org.ctys.testkit.NetLab;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;

/**
 * A machine PM CANCEL may take down without stopping the machine the tests run on: a network
 * namespace ({@code PREFIX-lab01}, reached from the root namespace over a veth, {@code eth0} with
 * the MAC {@link #MAC}) running a real OpenSSH sshd whose sessions all run with a PATH that puts
 * {@link #standIns} first (sshd's ForceCommand). libvirtd's socket is a file, so {@code virsh} in
 * a session reaches the fixture's libvirtd in the root namespace.
 *
 * <p>The stand-ins are shell scripts that record their arguments, one line per call
 * ({@code <epoch ns> <program> <args...>}) in {@link #calls}, and exit 0; none of them starts
 * anything in the background. {@code systemctl}, {@code shutdown} and {@code wall} are stand-ins
 * for the real ones; {@code virsh} records and then execs the real virsh; {@code ethtool} is a
 * stand-in only when asked for ({@link #acceptWol}), else the real ethtool runs on the veth.
 * The machine goes down the way a real one looks from outside only when the test says so
 * ({@link #down}: sshd and its sessions killed, the link down), and comes back with {@link #up}
 * (link up, sshd again with the same host key).
 */
final class SelfHost implements AutoCloseable {
    static final String MAC = "52:54:00:5e:1f:01";
    private static final Duration START_LIMIT = Duration.ofSeconds(10);

    final NetLab lab;
    final String ns;
    final String address;
    /** The client's HOME: its ~/.ssh holds the key root logs in with and a known_hosts that trusts the host. */
    final Path home;
    final Path standIns;
    final Path calls;
    private final Path dir;
    private final Path config;
    private Process sshd;

    private SelfHost(NetLab lab, String ns, String address, Path dir, Path home) {
        this.lab = lab;
        this.ns = ns;
        this.address = address;
        this.dir = dir;
        this.home = home;
        this.standIns = dir.resolve("stand-ins");
        this.calls = dir.resolve("calls.log");
        this.config = dir.resolve("sshd/sshd_config");
    }

    /**
     * @param prefix the NetLab prefix (unique per test class)
     * @param net    the first three octets of the link's /24 ("10.237.1"): root .1, the host .2
     */
    static SelfHost start(Path dir, String prefix, String net) throws IOException {
        NetLab lab = NetLab.create(prefix);
        try {
            lab.linkFromRoot(net + ".1/24", "lab01", "eth0", net + ".2/24");
            Proc.ok(Proc.require("ip", "iproute2"), "-n", lab.ns("lab01"), "link", "set", "eth0", "address", MAC);
            Path home = Files.createDirectories(dir.resolve("home"));
            SelfHost h = new SelfHost(lab, lab.ns("lab01"), net + ".2", dir, home);
            h.configure();
            h.startSshd();
            return h;
        } catch (IOException | RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    private void configure() throws IOException {
        Files.createDirectories(standIns);
        Files.createDirectories(Path.of("/run/sshd"));
        Path sshdDir = Files.createDirectories(config.getParent());
        SshKey client = SshKey.generate(home.resolve(".ssh/id_ed25519"));
        SshKey hostKey = SshKey.generate(sshdDir.resolve("host_ed25519"), "ed25519", "ctys-test-host");
        Files.writeString(home.resolve(".ssh/known_hosts"), address + " " + hostKey.publicLine() + "\n");
        Files.copy(client.publicKey(), sshdDir.resolve("authorized_keys"));
        Files.writeString(calls, "");
        standIn("systemctl", "the real systemctl would stop this machine");
        standIn("shutdown", "the real shutdown would stop this machine");
        standIn("wall", "the real wall writes to the terminals of this machine");
        recorder("virsh", "/usr/bin/virsh");
        String path = standIns + ":/usr/sbin:/usr/bin:/sbin:/bin";
        // every session, whatever ctys asks, runs with the stand-ins first on its PATH
        Files.writeString(config, OpenSshd.config(22, address, hostKey.privateKey(), sshdDir.resolve("authorized_keys"),
                List.of("ForceCommand env PATH=" + path + " /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"")));
    }

    /** A stand-in ethtool that accepts {@code -s IF wol g} (veth refuses it: "netlink error: Operation not supported"). */
    void acceptWol() throws IOException {
        standIn("ethtool", "veth has no Wake-on-LAN, so the real ethtool refuses wol g on this host");
    }

    private void standIn(String program, String why) throws IOException {
        script(program, "# Stand-in for " + program + " on the test host of the PM CANCEL tests (" + why + "):\n"
                + "# it records its arguments and exits 0; the test makes the host go down or come back.\n"
                + record(program) + "exit 0\n");
    }

    private void recorder(String program, String real) throws IOException {
        script(program, "# Records its arguments, then runs the real " + program + " (not a stand-in).\n"
                + record(program) + "exec " + real + " \"$@\"\n");
    }

    private String record(String program) {
        return "line=\"$(date +%s%N) " + program + "\"\nfor a in \"$@\"; do line=\"$line $a\"; done\n"
                + "printf '%s\\n' \"$line\" >> " + Proc.shellQuote(calls.toString()) + "\n";
    }

    private void script(String program, String body) throws IOException {
        Path f = standIns.resolve(program);
        Files.writeString(f, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void startSshd() throws IOException {
        Path log = dir.resolve("sshd/sshd.log");
        Files.deleteIfExists(log);
        List<String> command = new java.util.ArrayList<>(List.of(Proc.require("ip", "iproute2"), "netns", "exec", ns));
        command.addAll(OpenSshd.withoutStartFiles(List.of("/usr/sbin/sshd", "-D", "-e", "-f",
                config.toString())));
        sshd = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        boolean up = Proc.await(() -> read(log).contains("Server listening on " + address + " port 22") || !sshd.isAlive(), START_LIMIT);
        if (!up || !sshd.isAlive()) {
            Proc.kill(sshd);
            throw new AssertionError("sshd in " + ns + " not listening: " + read(log));
        }
    }

    /** What sshd logged since it last started (logins: "Accepted publickey"). */
    String sshdLog() {
        return read(dir.resolve("sshd/sshd.log"));
    }

    /** The calls recorded so far, each {@code <epoch ns> <program> <args...>}. */
    List<String> calls() {
        String text = read(calls);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }

    /** The first recorded call whose program and arguments start with {@code words}, or empty. */
    Optional<Call> call(String words) {
        return calls().stream().map(Call::parse).filter(c -> c.words().startsWith(words)).findFirst();
    }

    /** The calls of {@code program}, without their times. */
    List<String> callsOf(String program) {
        List<String> out = new ArrayList<>();
        for (String l : calls()) {
            Call c = Call.parse(l);
            if (c.words().startsWith(program + " ") || c.words().equals(program)) out.add(c.words());
        }
        return out;
    }

    record Call(long nanos, String words) {
        static Call parse(String line) {
            int sp = line.indexOf(' ');
            return new Call(Long.parseLong(line.substring(0, sp)), line.substring(sp + 1));
        }
    }

    /** A session runs a command line containing {@code text} now. */
    boolean sessionRuns(String text) {
        return sshd != null && Proc.descendant(sshd.toHandle(), text).isPresent();
    }

    /** The machine halts as seen from outside: sshd and every session gone, then the link down. */
    void down() {
        killSshd();
        Proc.ok(Proc.require("ip", "iproute2"), "-n", ns, "link", "set", "eth0", "down");
    }

    /** Back after a reboot: link up, sshd listening again with the same host key. */
    void up() throws IOException {
        Proc.ok(Proc.require("ip", "iproute2"), "-n", ns, "link", "set", "eth0", "up");
        startSshd();
    }

    /** Only SSH drops (sshd killed with its sessions, as a crash would); the machine still answers ping. */
    void killSshd() {
        Proc.kill(sshd);
    }

    boolean linkUp() {
        return Proc.ok(Proc.require("ip", "iproute2"), "-n", ns, "-o", "link", "show", "eth0").out().contains(",UP");
    }

    /**
     * The inventory: lab01 at this host, with its MAC, a KVM host whose guests are listed in
     * {@code guests}' order, and {@code extra} YAML lines for lab01 (4 spaces in).
     */
    Path inventory(List<String> guests, String... extra) throws IOException {
        StringBuilder y = new StringBuilder("machines:\n  lab01:\n    host: " + address + "\n    mac: " + MAC
                + "\n    ssh: {user: root}\n    hypervisor: kvm\n");
        for (String e : extra) y.append("    ").append(e).append('\n');
        if (!guests.isEmpty()) {
            y.append("    guests:\n");
            for (String g : guests) y.append("      ").append(g).append(":\n");
        }
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, y.toString());
        return inv;
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new AssertionError("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            Proc.kill(sshd);
        } finally {
            lab.close();
        }
    }
}
