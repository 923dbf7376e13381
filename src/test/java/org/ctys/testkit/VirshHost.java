package org.ctys.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The guests' host as ctys reaches it: an OpenSSH server where root logs in with a test key and
 * runs {@code virsh -c qemu:///system ...} against the {@link Libvirt} of the test (libvirtd's
 * socket is a file, so an sshd in any network namespace reaches the same daemon). {@link #home}
 * is a client home that has the key ({@code ~/.ssh/id_ed25519}) and trusts the server.
 */
public final class VirshHost implements AutoCloseable {
    public final OpenSshd sshd;
    public final SshKey key;
    /** A HOME for a client (ssh, ctys): ~/.ssh/id_ed25519 and a known_hosts with this server. */
    public final Path home;

    private VirshHost(OpenSshd sshd, SshKey key, Path home) {
        this.sshd = sshd;
        this.key = key;
        this.home = home;
    }

    /** An sshd on 127.0.0.1, a free port, letting root in with a new key; everything below {@code dir}. */
    public static VirshHost onLoopback(Path dir) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        SshKey key = SshKey.generate(home.resolve(".ssh/id_ed25519"));
        OpenSshd sshd = OpenSshd.onLoopback(dir.resolve("sshd"), key.publicKey());
        sshd.trustIn(home);
        return new VirshHost(sshd, key, home);
    }

    /** Runs {@code remoteCommand} as root on the host with OpenSSH's ssh (no user config, batch mode), within {@code limit}. */
    public Proc.Outcome ssh(Duration limit, String remoteCommand) {
        String ssh = Proc.require("ssh", "openssh-client");
        return Proc.run(limit, List.of(ssh, "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + home.resolve(".ssh/known_hosts"),
                "-i", key.privateKey().toString(), "-p", String.valueOf(sshd.port), "root@" + sshd.address, remoteCommand));
    }

    @Override
    public void close() {
        sshd.close();
    }
}
