package org.ctys.transport.ssh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.ctys.testkit.SshKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** authorized_keys files as ssh-keygen's keys make them: what is read, what is refused and how it is said. */
class AuthorizedKeysTest {
    @TempDir
    static Path dir;

    static SshKey ed25519;
    static SshKey ecdsa;
    static SshKey rsa;
    static SshKey stranger;

    @BeforeAll
    static void keys() {
        ed25519 = SshKey.generate(dir.resolve("ed"), "ed25519", "alice@desk");
        ecdsa = SshKey.generate(dir.resolve("ec"), "ecdsa", "alice@laptop");
        rsa = SshKey.generate(dir.resolve("rsa"), "rsa", "alice@old box");
        stranger = SshKey.generate(dir.resolve("stranger"), "ed25519", "mallory");
    }

    @Test
    void readsEd25519EcdsaAndRsaKeysAndAcceptsExactlyThem() throws Exception {
        Path file = write("alice.pub", """
                # alice's keys

                %s
                   %s
                %s
                """.formatted(ed25519.publicLine(), ecdsa.publicLine(), rsa.publicLine()));
        Predicate<PublicKey> keys = AuthorizedKeys.read(file);
        assertThat(keys.test(key(ed25519))).isTrue();
        assertThat(keys.test(key(ecdsa))).isTrue();
        assertThat(keys.test(key(rsa))).isTrue();
        assertThat(keys.test(key(stranger))).isFalse();
        assertThat(keys.test(null)).isFalse();
    }

    @Test
    void aKeyWithoutCommentIsAKeyAndAnEmptyFileAcceptsNone() throws Exception {
        String bare = ed25519.publicLine().substring(0, ed25519.publicLine().lastIndexOf(' '));
        assertThat(AuthorizedKeys.read(write("bare.pub", bare + "\n")).test(key(ed25519))).isTrue();
        assertThat(AuthorizedKeys.read(write("empty.pub", "# nobody yet\n\n")).test(key(ed25519))).isFalse();
    }

    @Test
    void aLineWithOptionsIsRefusedNamingFileAndLine() throws Exception {
        Path file = write("opts.pub", "# ops\n" + ed25519.publicLine() + "\nfrom=\"10.0.0.0/8\" " + ecdsa.publicLine() + "\n");
        assertThatThrownBy(() -> AuthorizedKeys.read(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ":3: key options are not accepted")
                .hasMessageContaining("from=\"10.0.0.0/8\"");
        Path restricted = write("restrict.pub", "restrict,command=\"uptime\" " + rsa.publicLine() + "\n");
        assertThatThrownBy(() -> AuthorizedKeys.read(restricted)).hasMessageStartingWith(restricted + ":1: key options are not accepted");
        Path ca = write("ca.pub", "cert-authority " + ed25519.publicLine() + "\n");
        assertThatThrownBy(() -> AuthorizedKeys.read(ca)).hasMessageStartingWith(ca + ":1: key options are not accepted");
    }

    @Test
    void otherKeyTypesAndBrokenKeysAreRefusedNamingFileAndLine() throws Exception {
        String body = ed25519.publicLine().split(" ")[1];
        Path dss = write("dss.pub", "\nssh-dss " + body + " old\n");
        assertThatThrownBy(() -> AuthorizedKeys.read(dss)).hasMessage(dss
                + ":2: key type ssh-dss is not accepted (ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa)");
        Path broken = write("broken.pub", "ssh-ed25519 AAAAnotbase64!! x\n");
        assertThatThrownBy(() -> AuthorizedKeys.read(broken)).hasMessageStartingWith(broken + ":1: not a valid ssh-ed25519 key");
        // an RSA key's body under the ed25519 name
        Path mislabelled = write("mislabelled.pub", "ssh-ed25519 " + rsa.publicLine().split(" ")[1] + "\n");
        assertThatThrownBy(() -> AuthorizedKeys.read(mislabelled)).hasMessageStartingWith(mislabelled + ":1: not a valid ssh-ed25519 key");
    }

    @Test
    void aMissingFileOrADirectoryIsOneClearMessage() {
        Path missing = dir.resolve("nobody.pub");
        assertThatThrownBy(() -> AuthorizedKeys.read(missing)).isInstanceOf(IOException.class)
                .hasMessage("authorized keys file " + missing + " does not exist");
        assertThatThrownBy(() -> AuthorizedKeys.read(dir)).hasMessage("authorized keys file " + dir + " is a directory");
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** The key as a client would offer it (decoded by MINA from ssh-keygen's .pub). */
    private static PublicKey key(SshKey k) throws Exception {
        return PublicKeyEntry.parsePublicKeyEntry(k.publicLine()).resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
    }

    /** As sshd's StrictModes: a keys file others can write, or another user's, lets nobody in and says why. */
    @Test
    void aKeysFileOthersCanWriteOrAnotherUserOwnsIsRefused() throws Exception {
        Path file = write("open.pub", "");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> AuthorizedKeys.read(file)).isInstanceOf(IOException.class)
                .hasMessage("bad owner or permissions on authorized keys file " + file + ": it decides who may log in, so it"
                        + " must belong to you or root and no one else may write it (chmod go-w " + file + ")");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(AuthorizedKeys.read(file).test(null)).isFalse();
        Files.setAttribute(file, "unix:uid", 65534);
        assertThatThrownBy(() -> AuthorizedKeys.read(file)).hasMessageStartingWith("bad owner or permissions on");
    }

    /**
     * As sshd's StrictModes, the way to the file too: a directory others may write (without the
     * sticky bit) could swap the file, and a link someone else made in a sticky one points where
     * they like (at another user's keys).
     */
    @Test
    void aDirectoryOthersCanWriteOrALinkOfAnotherUsersOnTheWayIsRefused() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Path rita = write("keys/rita.pub", "");
        Path alice = keys.resolve("alice.pub");
        Files.copy(rita, alice);
        Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> AuthorizedKeys.read(alice)).hasMessage("bad owner or permissions on the way to authorized keys file "
                + alice + ": the directory " + keys.toRealPath() + " may be written by others; it decides who may log in, so every"
                + " directory above it must belong to you or root and be writable by no one else, unless it has the sticky bit as"
                + " /tmp (chmod go-w " + keys.toRealPath() + ")");

        // sticky, as /tmp: nobody else can rename what is in it; a link in it is only as good as its owner
        Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(keys, "unix:mode", 01777);
        assertThat(AuthorizedKeys.read(alice).test(null)).isFalse();
        Files.delete(alice);
        Files.createSymbolicLink(alice, rita.getFileName());
        assertThat(AuthorizedKeys.read(alice).test(null)).as("a link of root's").isFalse();
        Files.setAttribute(alice, "unix:uid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        assertThatThrownBy(() -> AuthorizedKeys.read(alice)).hasMessage("bad owner on the way to authorized keys file " + alice
                + ": the link " + alice + " belongs to uid 65534; it decides who may log in, so every link on the way must be yours"
                + " or root's");

        // the same link reached through a link of root's that points into the sticky directory: met on the way all the same
        Path mine = Files.createSymbolicLink(dir.resolve("my-alice.pub"), alice);
        assertThatThrownBy(() -> AuthorizedKeys.read(mine)).hasMessageContaining(": the link " + alice + " belongs to uid 65534;");
        Path viaDir = Files.createSymbolicLink(dir.resolve("keys-link"), keys);
        assertThatThrownBy(() -> AuthorizedKeys.read(viaDir.resolve("alice.pub"))).hasMessageContaining(": the link " + alice
                + " belongs to uid 65534;");
        // a directory of another user's on the way: they could swap the file
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Path file = Files.copy(rita, theirs.resolve("bob.pub"));
        Files.setAttribute(theirs, "unix:uid", 65534);
        assertThatThrownBy(() -> AuthorizedKeys.read(file)).hasMessageContaining(": the directory " + theirs.toRealPath()
                + " belongs to uid 65534;");
    }
}
