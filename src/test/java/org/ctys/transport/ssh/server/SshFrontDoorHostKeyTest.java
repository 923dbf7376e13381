package org.ctys.transport.ssh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The front door's host key file, checked with OpenSSH's ssh-keygen; and where it listens. */
@Timeout(60)
class SshFrontDoorHostKeyTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void aMissingHostKeyIsMadeAsAnEd25519KeyOnlyItsOwnerReadsAndKeptAcrossRestarts() throws Exception {
        Path key = dir.resolve("consoled_host_key");
        String first;
        try (SshFrontDoor door = start(key)) {
            first = door.hostKeyFingerprint();
            assertThat(door.port()).isPositive();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        // ssh-keygen reads the file as an OpenSSH private key and prints the same fingerprint
        String listed = keygen("-l", "-f", key.toString());
        assertThat(listed).contains(" " + first + " ").endsWith("(ED25519)\n");
        assertThat(first).matches("SHA256:[A-Za-z0-9+/]{43}");
        // its public half beside it is the same key (for known_hosts)
        assertThat(keygen("-y", "-f", key.toString()).strip()).isEqualTo(Files.readString(Path.of(key + ".pub")).strip())
                .endsWith(" ctys-consoled host key");
        try (SshFrontDoor again = start(key)) {
            assertThat(again.hostKeyFingerprint()).isEqualTo(first);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("consoled_host_key",
                    "consoled_host_key.pub");
        }
    }

    @Test
    void anExistingOpenSshKeyIsUsedAsItIs() throws Exception {
        SshKey ecdsa = SshKey.generate(dir.resolve("ecdsa_host_key"), "ecdsa", "made by ssh-keygen");
        try (SshFrontDoor door = start(ecdsa.privateKey())) {
            assertThat(door.hostKeyFingerprint()).isEqualTo(ecdsa.fingerprint());
        }
    }

    @Test
    void aHostKeyGroupOrOthersMayReadIsRefusedSayingHowToFixIt() throws Exception {
        SshKey k = SshKey.generate(dir.resolve("host_key"));
        Files.setPosixFilePermissions(k.privateKey(), PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> start(k.privateKey())).isInstanceOf(IOException.class)
                .hasMessage("host key " + k.privateKey() + " is accessible by group or others (mode 0640); "
                        + "a private key must not be: chmod 600 " + k.privateKey());
        Files.setPosixFilePermissions(k.privateKey(), PosixFilePermissions.fromString("rw----r--"));
        assertThatThrownBy(() -> start(k.privateKey())).hasMessageContaining("(mode 0604)");
    }

    @Test
    void aFileThatIsNoPrivateKeyOrNeedsAPassphraseIsRefusedClearly() throws Exception {
        Path text = Files.writeString(dir.resolve("not_a_key"), "hello\n");
        Files.setPosixFilePermissions(text, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> start(text)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("host key " + text + " ");
        SshKey pub = SshKey.generate(dir.resolve("k"));
        Files.setPosixFilePermissions(pub.publicKey(), PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> start(pub.publicKey())).hasMessageStartingWith("host key " + pub.publicKey() + " ");

        Path locked = dir.resolve("locked");
        Proc.ok(Proc.require("ssh-keygen", "openssh-client"), "-q", "-t", "ed25519", "-N", "a passphrase", "-f", locked.toString());
        assertThatThrownBy(() -> start(locked)).hasMessage("host key " + locked
                + " is protected by a passphrase; the daemon needs one without (ssh-keygen -p -N '' -f " + locked + ")");
        assertThatThrownBy(() -> start(dir)).hasMessage("host key " + dir + " is not a regular file");
        Path nowhere = dir.resolve("no-such-dir/host_key");
        assertThatThrownBy(() -> start(nowhere)).hasMessage("cannot make host key " + nowhere + ": directory "
                + nowhere.getParent() + " does not exist");
    }

    @Test
    void aTakenPortIsOneClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());
            assertThatThrownBy(() -> SshFrontDoor.start(at, dir.resolve("k"), (u, k) -> true, s -> 0, settings()))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .hasMessageContaining("in use");
        }
    }

    private SshFrontDoor start(Path key) throws IOException {
        return SshFrontDoor.start(ANY_LOOPBACK_PORT, key, (u, k) -> false, s -> 0, settings());
    }

    private SshFrontDoor.Settings settings() {
        return new SshFrontDoor.Settings(java.time.Duration.ofSeconds(5), events::add);
    }

    private static String keygen(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(Proc.require("ssh-keygen", "openssh-client")));
        cmd.addAll(List.of(args));
        return Proc.ok(cmd.toArray(String[]::new)).out();
    }
}
