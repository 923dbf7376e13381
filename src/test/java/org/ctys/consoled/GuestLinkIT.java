package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Inventory;
import org.ctys.inventory.InventoryLoader;
import org.ctys.testkit.Libvirt;
import org.ctys.testkit.VirshHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest consoles of the daemon: {@code virsh console} of a real QEMU (TCG) guest, run over OpenSSH
 * on its host (an sshd on loopback, the inventory's machine with its user and port), through the
 * project's SSH transport. The guest's init prints on ttyS0 and a shell answers there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuestLinkIT {
    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir static Path dir;
    private static Libvirt lv;
    private static VirshHost host;
    private static Openers openers;

    @BeforeAll
    static void start() throws Exception {
        lv = Libvirt.start();
        host = VirshHost.onLoopback(dir.resolve("host"));
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, """
                machines:
                  kvm01:
                    host: 127.0.0.1
                    ssh: {user: root, port: %d}
                    hypervisor: kvm
                """.formatted(host.sshd.port));
        Inventory inventory = InventoryLoader.parse(inv);
        openers = new Openers(() -> inventory, Openers.sshOptions(host.home, w -> {}));
    }

    @AfterAll
    static void stop() {
        if (openers != null) openers.close();
        if (host != null) host.close();
        if (lv != null) lv.close();
    }

    @Test
    @Order(1)
    void aGuestThatIsNotRunningEndsTheConsoleWithVirshsWords() throws Exception {
        lv.define(lv.consoleGuest("ctys-k2", "52:54:00:c7:06:02"));
        try (OpenLink link = openers.open("ctys-k2", new Endpoint.Guest("kvm01", "ctys-k2", Hypervisor.KVM, null))) {
            Reader r = new Reader(link);
            assertThat(r.untilEnded(WAIT)).as(r.toString()).isTrue();
            assertThat(r.ended.getMessage()).startsWith("virsh console ctys-k2 on kvm01: the console command ended with exit status 1 on ")
                    .contains("its last words: error:");
        }
    }

    /** Last: it kills the host's sshd, and with it every session to the host. */
    @Test
    @Order(2)
    void aRunningGuestsConsoleTakesInputSleepsWhenQuietAndEndsWhenSshIsLost() throws Exception {
        lv.define(lv.consoleGuest("ctys-k1", "52:54:00:c7:06:01"));
        lv.start("ctys-k1");
        lv.awaitReady("ctys-k1", BOOT);
        try (OpenLink link = openers.open("ctys-k1", new Endpoint.Guest("kvm01", "ctys-k1", Hypervisor.KVM, null))) {
            Reader r = new Reader(link);
            assertThat(r.until(s -> s.contains("Escape character is ^]"), WAIT)).as(r.toString()).isTrue();
            type(link, "\r");
            assertThat(r.until(s -> s.contains("ctys-guest#"), WAIT)).as(r.toString()).isTrue();
            type(link, "echo answer-$((6*7))\r");
            assertThat(r.until(s -> s.contains("answer-42"), WAIT)).as(r.toString()).isTrue();

            long t0 = System.nanoTime();
            Reader idle = new Reader(link);
            idle.until(s -> false, Duration.ofSeconds(2));
            assertThat(idle.cpuNanos).as("reader CPU in 2 s of a quiet console").isLessThan((System.nanoTime() - t0) / 20);

            host.sshd.kill();
            assertThat(r.untilEnded(WAIT)).as(r.toString()).isTrue();
            assertThat(r.ended.getMessage()).startsWith("virsh console ctys-k1 on kvm01: ");
        }
        // and a host that cannot be reached is one line naming the console and why
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> openers.open("ctys-k1",
                new Endpoint.Guest("kvm01", "ctys-k1", Hypervisor.KVM, null))).isInstanceOf(java.io.IOException.class)
                .hasMessage("virsh console ctys-k1 on kvm01: cannot connect to 127.0.0.1:" + host.sshd.port + ": Connection refused");
    }

    private static void type(OpenLink link, String text) throws java.io.IOException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        link.write(b, b.length);
    }
}
