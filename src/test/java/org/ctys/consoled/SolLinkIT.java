package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.Inventory;
import org.ctys.inventory.SecretRef;
import org.ctys.transport.ipmi.BmcAddress;
import org.ctys.transport.ipmi.IpmiClient;
import org.ctys.transport.ipmi.IpmiSim;
import org.ctys.transport.ipmi.SolConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serial-over-LAN consoles of the daemon against OpenIPMI's ipmi_sim, whose host serial line is a
 * socat pty: the wait wakes on the BMC's packets, a wrong password is one clear line, a BMC that
 * dies and a console another session takes over are found by the quiet-time check.
 */
class SolLinkIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Short bounds so a dead BMC is found in seconds: asked after 1 s of quiet, 2 tries of 0.5 s. */
    private static final Openers.Timing FAST = new Openers.Timing(Duration.ofSeconds(10), Duration.ofSeconds(30),
            new IpmiClient.Timing(Duration.ofMillis(500), 2), Duration.ofSeconds(1));

    @TempDir Path dir;
    private IpmiSim sim;
    private Openers openers;

    @BeforeEach
    void start() throws IOException {
        sim = IpmiSim.start(Files.createDirectories(dir.resolve("bmc")), IpmiSim.Options.defaults().withSol().poweredOn(true));
        openers = new Openers(Inventory::empty, Openers.sshOptions(dir, w -> {}), FAST);
    }

    @AfterEach
    void stop() {
        if (openers != null) openers.close();
        if (sim != null) sim.close();
    }

    private Endpoint.Sol endpoint(String password, String mode) throws IOException {
        Path pw = dir.resolve("bmc-" + mode + ".pw");
        Files.writeString(pw, password + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString(mode));
        return new Endpoint.Sol(new BmcSettings(IpmiSim.HOST, sim.port(), sim.user(), SecretRef.file(pw),
                BmcSettings.DEFAULT_CIPHER_SUITE, false));
    }

    @Test
    void textGoesBothWaysAndTheWaitWakesOnTheBmcsPacket() throws Exception {
        try (OpenLink link = openers.open("lab08", endpoint(sim.password(), "rw-------"))) {
            sim.hostWrite("login: hello from the host\r\n");
            Reader r = new Reader(link);
            assertThat(r.until(s -> s.contains("login: hello from the host\r\n"), WAIT)).as(r.toString()).isTrue();
            byte[] typed = "root\r".getBytes(StandardCharsets.US_ASCII);
            link.write(typed, typed.length);
            assertThat(sim.hostReadUntil("root\r", WAIT)).endsWith("root\r");
            assertThat(link.sendBreak()).as("the BMC takes SOL's break").isTrue();

            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    sim.hostWrite("wake");
                } catch (IOException | InterruptedException e) {
                    // the wait below then runs out, and the test fails there
                }
            });
            long t0 = System.nanoTime();
            writer.start();
            link.await(20_000);
            long woke = System.nanoTime() - t0;
            writer.join();
            Reader rest = new Reader(link);
            assertThat(rest.until(s -> s.contains("wake"), WAIT)).as(rest.toString()).isTrue();
            assertThat(Duration.ofNanos(woke)).as("a 20 s wait ended by the packet sent after 0.3 s").isLessThan(Duration.ofSeconds(5));

            // quiet: the reader sleeps (the alive checks run elsewhere, once a second of quiet)
            long q0 = System.nanoTime();
            Reader idle = new Reader(link);
            assertThat(idle.until(s -> false, Duration.ofSeconds(3))).isFalse();
            assertThat(idle.ended).as("a quiet BMC that answers is alive").isNull();
            assertThat(idle.cpuNanos).as("reader CPU in 3 s of quiet").isLessThan((System.nanoTime() - q0) / 20);
        }
    }

    @Test
    void aWrongPasswordIsOneClearLineWithoutThePassword() throws IOException {
        Endpoint.Sol wrong = endpoint("not-" + sim.password(), "rw-------");
        assertThatThrownBy(() -> openers.open("lab08", wrong)).isInstanceOf(IOException.class)
                .hasMessage("wrong password for user '" + sim.user() + "' on BMC " + IpmiSim.HOST + ":" + sim.port()
                        + " (the BMC's key exchange does not match it)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(sim.password()));
    }

    @Test
    void aPasswordFileOthersCanReadIsRefusedBeforeTheBmcIsAsked() throws IOException {
        Endpoint.Sol open = endpoint(sim.password(), "rw-r--r--");
        assertThatThrownBy(() -> openers.open("lab08", open)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("sol " + IpmiSim.HOST + ":" + sim.port() + ": the password cannot be read: secret file ")
                .hasMessageContaining("has mode 0644");
    }

    /**
     * The daemon never takes a console over: a console another session holds (here another console
     * of the daemon's) is refused as busy, in one line, and the holder keeps it.
     */
    @Test
    void aConsoleHeldByAnotherSessionIsRefusedAsBusyAndTheHolderKeepsIt() throws Exception {
        Endpoint.Sol bmc = endpoint(sim.password(), "rw-------");
        try (OpenLink first = openers.open("lab08", bmc)) {
            assertThatThrownBy(() -> openers.open("lab08", bmc)).isInstanceOf(IOException.class)
                    .hasMessage("Serial-over-LAN of BMC " + IpmiSim.HOST + ":" + sim.port()
                            + " is in use by another session; FORCE takes it over");
            sim.hostWrite("still mine\r\n");
            Reader r = new Reader(first);
            assertThat(r.until(s -> s.contains("still mine\r\n"), WAIT)).as(r.toString()).isTrue();
            byte[] typed = "typed\r".getBytes(StandardCharsets.US_ASCII);
            first.write(typed, typed.length);
            assertThat(sim.hostReadUntil("typed\r", WAIT)).endsWith("typed\r");
        }
    }

    /**
     * An administrator takes the console over with FORCE ({@code ctys -t sol -a create=force}: the
     * same IPMI client call, on a session and UDP socket of its own): the BMC says nothing to the
     * daemon's session and SOL stays active, for the other one. The quiet-time check asks the BMC
     * which session holds the console and ends the link in one line; the daemon's reopen is refused
     * as busy (it never forces) until the other session leaves, and then it works again.
     */
    @Test
    void aConsoleTakenOverWithForceIsFoundWithinTheQuietTimeAndTheCheck() throws Exception {
        Endpoint.Sol bmc = endpoint(sim.password(), "rw-------");
        String console = "Serial-over-LAN of BMC " + IpmiSim.HOST + ":" + sim.port();
        OpenLink link = openers.open("lab08", bmc);
        try {
            sim.hostWrite("before\r\n");
            Reader r = new Reader(link);
            assertThat(r.until(s -> s.contains("before\r\n"), WAIT)).as(r.toString()).isTrue();

            BmcAddress address = new BmcAddress(IpmiSim.HOST, sim.port(), sim.user(), BmcSettings.DEFAULT_CIPHER_SUITE, false);
            try (IpmiClient admin = new IpmiClient(FAST.ipmi());
                 SolConsole taker = admin.sol(address, sim.password().getBytes(StandardCharsets.UTF_8), null, true)) {
                long t0 = System.nanoTime();
                assertThat(r.untilEnded(WAIT)).as(r.toString()).isTrue();
                assertThat(r.ended).hasMessage(console + " was taken over by another session");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("1 s of quiet, then one question of at most 2 tries of 2 x 0.5 s")
                        .isLessThan(Duration.ofSeconds(6));
                // as the daemon does with a link that ended: closed, then reopened after a back-off
                link.close();

                assertThatThrownBy(() -> openers.open("lab08", bmc)).as("the daemon's reopen never forces")
                        .isInstanceOf(IOException.class).hasMessage(console + " is in use by another session; FORCE takes it over");
                sim.hostWrite("for the administrator\r\n");
                StringBuilder seen = new StringBuilder();
                long until = System.nanoTime() + WAIT.toNanos();
                while (!seen.toString().contains("for the administrator") && System.nanoTime() < until) {
                    taker.await(500);
                    seen.append(new String(taker.read(), StandardCharsets.ISO_8859_1));
                }
                assertThat(seen.toString()).as("the administrator keeps the console after the daemon closed its own")
                        .contains("for the administrator");
            }
        } finally {
            link.close();
        }
        try (OpenLink again = openers.open("lab08", bmc)) {
            sim.hostWrite("mine again\r\n");
            Reader r = new Reader(again);
            assertThat(r.until(s -> s.contains("mine again\r\n"), WAIT)).as("once the other session left: " + r).isTrue();
        }
    }

    @Test
    void aBmcThatDiesIsFoundWithinTheQuietTimeAndTheCheck() throws Exception {
        try (OpenLink link = openers.open("lab08", endpoint(sim.password(), "rw-------"))) {
            sim.hostWrite("up\r\n");
            Reader r = new Reader(link);
            assertThat(r.until(s -> s.contains("up\r\n"), WAIT)).as(r.toString()).isTrue();
            sim.kill();
            long t0 = System.nanoTime();
            assertThat(r.untilEnded(WAIT)).as(r.toString()).isTrue();
            assertThat(r.ended).hasMessageContaining("BMC " + IpmiSim.HOST + ":" + sim.port()).hasMessageContaining("stopped answering");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("1 s of quiet, then at most 2 tries of 2 x 0.5 s")
                    .isLessThan(Duration.ofSeconds(8));
        }
    }
}
