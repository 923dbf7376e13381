package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files ctys reads for a command (the inventory, its secret files, the inventory's parsed
 * copy) as the whole command sees them: a file ctys must not trust or must not open ends the
 * command with exit 3 and one line, before anything is planned or sent.
 */
class InventoryFilesCliTest {

    /** Not a timing assertion: how long a test waits before calling a blocked open a hang. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    @TempDir Path home;

    private Path inventory(String yaml) throws IOException {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, yaml);
        return inv;
    }

    private Path secret(String name, String content) throws IOException {
        Path file = home.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static void mkfifo(Path p) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor()).as("mkfifo").isZero();
    }

    /** Frees a reader a failing run left blocked in open(2): a read-write open never blocks. */
    private static void release(Path fifo) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "exec 3<>\"$1\"; exec 3>&-", "sh", fifo.toString()).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }

    @Test
    void anEmptyInventoryPathIsNamed() {
        CliRun r = CliRun.run(home, "--inventory", "", "-t", "pm", "-a", "list");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("ctys: inventory file '' (given by --inventory) names no file: give the inventory's"
                + " path, e.g. ~/.config/ctys/inventory.yaml\n");
    }

    @Test
    void aFifoAsInventoryEndsTheCommandAtOnce() throws Exception {
        Path fifo = home.resolve("inventory.fifo");
        mkfifo(fifo);
        try {
            CliRun r = assertTimeoutPreemptively(HANG_GUARD,
                    () -> CliRun.run(home, "--timeout", "2", "--inventory", fifo.toString(), "-t", "pm", "-a", "list"));
            assertThat(r.status()).isEqualTo(3);
            assertThat(r.err()).isEqualTo("ctys: inventory file " + fifo + " is a FIFO (named pipe), not a regular file\n");
        } finally {
            release(fifo);
        }
    }

    @Test
    void aFifoAsPasswordFileEndsTheCommandAtOnce() throws Exception {
        Path fifo = home.resolve("bmc.pw");
        mkfifo(fifo);
        Path inv = inventory("machines:\n  lab01: {bmc: {address: 127.0.0.1, user: admin, password-file: bmc.pw}}\n");
        try {
            CliRun r = assertTimeoutPreemptively(HANG_GUARD, () -> CliRun.run(home, "--timeout", "2", "--inventory",
                    inv.toString(), "-n", "-t", "pm", "-a", "create=ipmi", "lab01"));
            assertThat(r.status()).isEqualTo(3);
            assertThat(r.err()).isEqualTo("ctys: secret file " + fifo + " is a FIFO (named pipe), not a regular file\n");
            assertThat(r.out()).isEmpty();
        } finally {
            release(fifo);
        }
    }

    @Test
    void aSecureOnFileOwnedByAnotherUserIsRefused() throws Exception {
        Path so = secret("lab01.secureon", "aa:bb:cc:dd:ee:ff\n");
        Files.setAttribute(so, "unix:uid", 65534);
        Path inv = inventory("machines:\n  lab01:\n    mac: aa:bb:cc:dd:ee:01\n"
                + "    wol: {broadcast: 127.0.0.1, port: 9, secureon-file: lab01.secureon}\n");
        CliRun r = CliRun.run(home, "--inventory", inv.toString(), "-n", "-t", "pm", "-a", "create=wol,ping:off", "lab01");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.firstErrLine()).startsWith("ctys: secret file " + so + " is owned by ")
                .contains("(uid 65534), not by you").contains("whoever owns it chooses what ctys sends");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void machineNamesOnTheCommandLineIgnoreCase() throws Exception {
        Path inv = inventory("machines:\n  lab01: {mac: aa:bb:cc:dd:ee:01, wol: {broadcast: 10.0.0.255}}\n"
                + "groups:\n  Rack2: [LAB01]\n");
        CliRun one = CliRun.run(home, "--inventory", inv.toString(), "-n", "-t", "pm", "-a", "create=wol", "LAB01");
        assertThat(one.status()).as(one.err()).isZero();
        assertThat(one.out()).contains("wakeonlan -i 10.0.0.255 -p 9 aa:bb:cc:dd:ee:01");
        CliRun group = CliRun.run(home, "--inventory", inv.toString(), "-n", "-t", "pm", "-a", "create=wol", "@rack2");
        assertThat(group.status()).as(group.err()).isZero();
        assertThat(group.out()).contains("aa:bb:cc:dd:ee:01");
    }

    @Test
    void aHostThatIsACommandStopsTheDryRunBeforeItPrintsAnything() throws Exception {
        Path pwn = home.resolve("pwn");
        Path inv = inventory("machines:\n  lab01:\n    host: \"$(touch " + pwn + ")\"\n");
        CliRun r = CliRun.run(home, "--inventory", inv.toString(), "-n", "-t", "cli", "-a", "create=cmd:true", "lab01");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).startsWith("ctys: " + inv + ":3: bad host of 'lab01': '$(touch " + pwn + ")'; expected a host name");
        assertThat(r.out()).isEmpty();
        assertThat(pwn).doesNotExist();
    }

    @Test
    void aPlantedCopyOfTheInventoryDoesNotDecideWhereCtysConnects() throws Exception {
        secret("bmc.pw", "s3cret\n");
        Path inv = inventory("machines:\n  lab01:\n    host: 10.0.0.11\n"
                + "    bmc: {address: 10.9.0.11, user: root, password-file: bmc.pw}\n");
        String[] args = {"--inventory", inv.toString(), "-n", "-t", "pm", "-a", "create=ipmi", "lab01"};
        CliRun first = CliRun.run(home, args);
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("-H 10.9.0.11 ");
        Path cache = home.resolve(".cache/ctys");
        List<Path> copies;
        try (var s = Files.list(cache)) {
            copies = s.toList();
        }
        assertThat(copies).hasSize(1);
        Path copy = copies.get(0);
        String text = new String(Files.readAllBytes(copy), StandardCharsets.ISO_8859_1);
        Files.write(copy, text.replace("10.9.0.11", "10.6.6.66").getBytes(StandardCharsets.ISO_8859_1));
        Files.setAttribute(copy, "unix:uid", 65534);
        CliRun planted = CliRun.run(home, args);
        assertThat(planted.status()).as(planted.err()).isZero();
        assertThat(planted.out()).contains("-H 10.9.0.11 ").doesNotContain("10.6.6.66");
        // the same planted copy, now the user's own but writable by everyone
        Files.write(copy, text.replace("10.9.0.11", "10.6.6.66").getBytes(StandardCharsets.ISO_8859_1));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-rw-rw-"));
        CliRun open = CliRun.run(home, Map.of(), args);
        assertThat(open.out()).contains("-H 10.9.0.11 ").doesNotContain("10.6.6.66");
    }

    /**
     * The inventory chooses where ctys connects and which secret files it sends: as OpenSSH refuses
     * such a ~/.ssh/config, one others can write or another user owns ends the command, exit 3.
     */
    @Test
    void anInventoryOthersCanWriteOrAnotherUserOwnsIsRefused() throws IOException {
        Path inv = inventory("machines:\n  lab01: {mac: aa:bb:cc:dd:ee:01}\n");
        Files.setPosixFilePermissions(inv, PosixFilePermissions.fromString("rw-rw-r--"));
        Files.setAttribute(inv, "unix:gid", 65534); // nogroup: a group that is not the owner's alone
        CliRun open = CliRun.run(home, "--inventory", inv.toString(), "-t", "pm", "-a", "list");
        assertThat(open.status()).isEqualTo(3);
        assertThat(open.err()).isEqualTo("ctys: bad owner or permissions on inventory file " + inv + ": it chooses where ctys"
                + " connects, what it runs and which secret files it sends, so it must belong to you or root and no one"
                + " else may write it (chmod go-w " + inv + ")\n");
        assertThat(open.out()).isEmpty();

        Files.setPosixFilePermissions(inv, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(CliRun.run(home, "--inventory", inv.toString(), "-t", "pm", "-a", "list").status()).isZero();

        Files.setAttribute(inv, "unix:uid", 65534);
        CliRun other = CliRun.run(home, "--inventory", inv.toString(), "-t", "pm", "-a", "list");
        assertThat(other.status()).isEqualTo(3);
        assertThat(other.err()).startsWith("ctys: bad owner or permissions on inventory file " + inv);
    }
}
