package org.ctys.plugins.xen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;

/**
 * A STAND-IN Xen host (dom0) for tests on a machine without the Xen hypervisor: a real OpenSSH
 * server on 127.0.0.1 where root logs in with a test key, and whose sessions find the stand-in
 * {@code xl} (src/test/resources/org/ctys/stack/xl, it speaks xl's command line and formats, it is
 * not Xen) first on PATH.
 *
 * <p>ctys's XEN type uses xl's usual directories, /etc/xen, /etc/xen/auto and /var/lib/xen/save
 * (the xendomains convention), as on a real Xen host. So that nothing of this machine's /etc and
 * /var changes, every session runs in a private mount namespace (unshare -m) where /etc and /var
 * are overlays with a throw-away upper layer (a tmpfs of that session) and /etc/xen and
 * /var/lib/xen are bind mounts of this host's {@link #etcXen} and {@link #varLibXen}: what one
 * session writes there (a save file) the next one sees, and the test reads it on the real
 * filesystem. Every command a session runs is appended to {@link #commands}, one line each after the time it started.
 */
final class StandInXenHost implements AutoCloseable {
    final Path dir;
    final OpenSshd sshd;
    final SshKey key;
    /** A HOME for ctys: ~/.ssh/id_ed25519 and a known_hosts that trusts the server. */
    final Path home;
    /** What the sessions see as /etc/xen. */
    final Path etcXen;
    /** What the sessions see as /var/lib/xen (save files in save/). */
    final Path varLibXen;
    /** The stand-in xl's guests (CTYS_XL_STATE). */
    final Path xlState;
    /** The commands the sessions ran, one a line ($SSH_ORIGINAL_COMMAND). */
    final Path commands;
    private final Path xl;

    private StandInXenHost(Path dir, OpenSshd sshd, SshKey key, Path home) {
        this.dir = dir;
        this.sshd = sshd;
        this.key = key;
        this.home = home;
        this.etcXen = dir.resolve("etc-xen");
        this.varLibXen = dir.resolve("var-lib-xen");
        this.xlState = dir.resolve("xl-state");
        this.commands = dir.resolve("commands.log");
        this.xl = dir.resolve("bin/xl");
    }

    static StandInXenHost onLoopback(Path dir) throws IOException {
        Proc.require("unshare", "util-linux");
        Files.createDirectories(dir.resolve("etc-xen/auto"));
        Files.createDirectories(dir.resolve("var-lib-xen"));
        Files.createDirectories(dir.resolve("xl-state"));
        Files.createDirectories(dir.resolve("ns"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        try (InputStream in = StandInXenHost.class.getResourceAsStream("/org/ctys/stack/xl")) {
            if (in == null) throw new AssertionError("the stand-in xl is missing from the test resources");
            Files.copy(in, bin.resolve("xl"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(bin.resolve("xl"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path session = dir.resolve("session.sh");
        String w = Proc.shellQuote(dir.toString());
        Files.writeString(session, String.join("\n",
                "# A session of the STAND-IN Xen host: a private mount namespace (unshare -m) where /etc/xen and",
                "# /var/lib/xen are the test's directories, the stand-in xl first on PATH.",
                "set -e",
                "W=" + w,
                "printf '%s %s\\n' \"$(date +%s.%N)\" \"$SSH_ORIGINAL_COMMAND\" >> \"$W/commands.log\"",
                "mount -t tmpfs ctys-xen \"$W/ns\"",
                "mkdir \"$W/ns/etc\" \"$W/ns/etc.work\" \"$W/ns/var\" \"$W/ns/var.work\"",
                "mount -t overlay ctys-xen-etc -o \"lowerdir=/etc,upperdir=$W/ns/etc,workdir=$W/ns/etc.work\" /etc",
                "mount -t overlay ctys-xen-var -o \"lowerdir=/var,upperdir=$W/ns/var,workdir=$W/ns/var.work\" /var",
                "mkdir -p /etc/xen /var/lib/xen",
                "mount --bind \"$W/etc-xen\" /etc/xen",
                "mount --bind \"$W/var-lib-xen\" /var/lib/xen",
                "export PATH=\"$W/bin:$PATH\" CTYS_XL_STATE=\"$W/xl-state\"",
                "exec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"",
                ""), StandardCharsets.UTF_8);
        Path home = Files.createDirectories(dir.resolve("home"));
        SshKey key = SshKey.generate(home.resolve(".ssh/id_ed25519"));
        OpenSshd sshd = OpenSshd.onLoopback(dir.resolve("sshd"), key.publicKey(),
                List.of("ForceCommand " + Proc.require("unshare", "util-linux") + " -m --propagation private /bin/sh " + session));
        sshd.trustIn(home);
        return new StandInXenHost(dir, sshd, key, home);
    }

    /** An inventory with this host as {@code name} (hypervisor: xen) and {@code guestsYaml} (a flow mapping) as its guests. */
    Path inventory(String name, String guestsYaml) throws IOException {
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, "machines:\n  " + name + ":\n    host: " + sshd.address + "\n    ssh: {user: root, port: " + sshd.port
                + "}\n    hypervisor: xen\n    guests: " + guestsYaml + "\n");
        return inv;
    }

    /** Writes /etc/xen/NAME.cfg of the host. */
    Path config(String name, String... more) throws IOException {
        List<String> lines = new ArrayList<>(List.of("name = \"" + name + "\"", "memory = 512", "vcpus = 2"));
        lines.addAll(List.of(more));
        return Files.writeString(etcXen.resolve(name + ".cfg"), String.join("\n", lines) + "\n");
    }

    /** The stand-in xl on this host's state, run here directly (setting up, looking). */
    Proc.Outcome xl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(xl.toString()));
        cmd.addAll(List.of(args));
        return Proc.runAllowingTimeout(Duration.ofSeconds(30), Map.of("CTYS_XL_STATE", xlState.toString()), cmd);
    }

    /** Starts a guest from its /etc/xen config, as dom0's admin would. */
    void start(String name) {
        Proc.Outcome o = xl("create", etcXen.resolve(name + ".cfg").toString());
        if (o.exit() != 0) throw new AssertionError("stand-in xl create " + name + ": " + o.err());
    }

    /** The row of {@code xl list NAME}, or null when xl does not know it. */
    String row(String name) {
        Proc.Outcome o = xl("list", name);
        if (o.exit() != 0) return null;
        String[] lines = o.out().split("\n");
        return lines.length < 2 ? null : lines[1];
    }

    /** The commands the sessions ran so far. */
    List<String> commands() throws IOException {
        return commandTimes().stream().map(Command::line).toList();
    }

    /** A command a session ran, and when it started (seconds since the epoch). */
    record Command(double at, String line) {}

    List<Command> commandTimes() throws IOException {
        if (!Files.exists(commands)) return List.of();
        return Files.readAllLines(commands).stream()
                .map(l -> new Command(Double.parseDouble(l.substring(0, l.indexOf(' '))), l.substring(l.indexOf(' ') + 1))).toList();
    }

    /** Logins the server accepted so far (its log). */
    long logins() throws IOException {
        return Files.readAllLines(sshd.log()).stream().filter(l -> l.startsWith("Accepted publickey")).count();
    }

    /** Removes every guest, config, save file and logged command: the next test starts from an empty host. */
    void reset() throws IOException {
        for (Path p : List.of(xlState, varLibXen, etcXen)) {
            Proc.deleteTree(p);
            Files.createDirectories(p);
        }
        Files.createDirectories(etcXen.resolve("auto"));
        Files.deleteIfExists(commands);
    }

    @Override
    public void close() {
        sshd.close();
    }
}
