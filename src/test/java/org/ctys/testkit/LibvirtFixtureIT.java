package org.ctys.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libvirt fixture against the real daemon: its guests answer {@code virsh shutdown} as their
 * kind says, virsh works through a real SSH host, and a run that crashed is cleaned up by the
 * next. Prints boot-to-ready and shutdown times.
 */
class LibvirtFixtureIT {
    /** A TCG boot on a busy 2-core machine; about 10 s when idle. */
    private static final Duration READY_LIMIT = Duration.ofSeconds(120);
    /** An ACPI guest is off within this after virsh shutdown (about 0.5 s when idle). */
    private static final Duration ACPI_LIMIT = Duration.ofSeconds(8);
    /** Longer than {@link #ACPI_LIMIT}: a deaf guest still runs after this. */
    private static final Duration DEAF_WAIT = ACPI_LIMIT.plusSeconds(2);
    private static final Duration SLOW_DELAY = Duration.ofSeconds(4);

    @TempDir Path dir;

    @AfterEach
    void noQemuLeft() {
        assertThat(Libvirt.qemuProcesses().map(h -> h.pid() + " " + h.info().commandLine().orElse("")))
                .as("QEMU processes of the fixture after close()").isEmpty();
    }

    @Test
    void anAcpiGuestIsShutOffByVirshShutdown() throws Exception {
        long s0 = System.nanoTime();
        Libvirt lv = Libvirt.start();
        System.out.printf("libvirt fixture: daemons up (virsh version answers) after %d ms%n",
                Duration.ofNanos(System.nanoTime() - s0).toMillis());
        try {
            TinyGuest g = lv.acpiGuest("ctys-acpi1", "52:54:00:c7:00:01");
            lv.define(g);
            assertThat(lv.state(g.name())).contains("shut off");
            lv.start(g.name());
            Duration boot = lv.awaitReady(g.name(), READY_LIMIT);
            assertThat(lv.state(g.name())).contains("running");
            assertThat(lv.virshOk("domiflist", g.name()).out()).contains("52:54:00:c7:00:01").contains("ethernet");
            assertThat(lv.virshOk("dumpxml", g.name()).out()).contains("<graphics type='vnc'")
                    .contains("listen='127.0.0.1'");

            long t0 = System.nanoTime();
            lv.virshOk("shutdown", g.name());
            boolean off = lv.awaitOff(g.name(), ACPI_LIMIT);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(off).as("ACPI guest off within %s; console:%n%s", ACPI_LIMIT, lv.serial(g.name())).isTrue();
            assertThat(lv.state(g.name())).contains("shut off");
            assertThat(lv.serial(g.name())).contains("power button");
            System.out.printf("libvirt fixture: ACPI guest boot-to-ready %d ms, virsh shutdown to 'shut off' %d ms%n",
                    boot.toMillis(), took.toMillis());
        } finally {
            long c0 = System.nanoTime();
            lv.close();
            System.out.printf("libvirt fixture: close() (undefine, daemons stopped and waited for) took %d ms%n",
                    Duration.ofNanos(System.nanoTime() - c0).toMillis());
        }
    }

    @Test
    void aDeafGuestIgnoresShutdownAndOnlyDestroyStopsIt() throws Exception {
        try (Libvirt lv = Libvirt.start()) {
            TinyGuest g = lv.deafGuest("ctys-deaf1", "52:54:00:c7:00:02");
            lv.create(g);
            Duration boot = lv.awaitReady(g.name(), READY_LIMIT);

            lv.virshOk("shutdown", g.name());
            assertThat(lv.awaitOff(g.name(), DEAF_WAIT)).as("deaf guest went off on ACPI shutdown").isFalse();
            assertThat(lv.state(g.name())).contains("running");

            long t0 = System.nanoTime();
            lv.destroy(g.name());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            // created with virsh create: transient, so gone once off
            assertThat(lv.state(g.name())).isEmpty();
            System.out.printf("libvirt fixture: deaf guest boot-to-ready %d ms, still running %d ms after virsh shutdown,"
                    + " virsh destroy %d ms%n", boot.toMillis(), DEAF_WAIT.toMillis(), took.toMillis());
        }
    }

    @Test
    void aSlowGuestRunsUntilItsDelayThenPowersOff() throws Exception {
        try (Libvirt lv = Libvirt.start()) {
            TinyGuest g = lv.slowGuest("ctys-slow1", "52:54:00:c7:00:03", SLOW_DELAY);
            lv.define(g);
            lv.start(g.name());
            Duration boot = lv.awaitReady(g.name(), READY_LIMIT);

            long t0 = System.nanoTime();
            lv.virshOk("shutdown", g.name());
            assertThat(lv.awaitOff(g.name(), SLOW_DELAY.minusMillis(500))).as("slow guest off before its delay").isFalse();
            assertThat(lv.state(g.name())).contains("running");
            boolean off = lv.awaitOff(g.name(), ACPI_LIMIT);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(off).as("slow guest off within %s after its delay; console:%n%s", ACPI_LIMIT, lv.serial(g.name()))
                    .isTrue();
            assertThat(took).isGreaterThanOrEqualTo(SLOW_DELAY);
            System.out.printf("libvirt fixture: slow guest (%d ms) boot-to-ready %d ms, virsh shutdown to 'shut off' %d ms%n",
                    SLOW_DELAY.toMillis(), boot.toMillis(), took.toMillis());
        }
    }

    @Test
    void virshWorksThroughARealSshHost() throws Exception {
        try (Libvirt lv = Libvirt.start(); VirshHost host = VirshHost.onLoopback(dir)) {
            TinyGuest g = lv.acpiGuest("ctys-ssh1", "52:54:00:c7:00:04");
            lv.define(g);
            Duration limit = Duration.ofSeconds(30);

            Proc.Outcome list = host.ssh(limit, "virsh -c qemu:///system list --all --name");
            assertThat(list.exit()).as("%s", list).isZero();
            assertThat(list.out().lines()).contains(g.name());

            Proc.Outcome start = host.ssh(limit, "virsh -c qemu:///system start " + g.name());
            assertThat(start.exit()).as("%s", start).isZero();
            lv.awaitReady(g.name(), READY_LIMIT);
            assertThat(host.ssh(limit, "virsh -c qemu:///system domstate " + g.name()).out().strip()).isEqualTo("running");

            Proc.Outcome shutdown = host.ssh(limit, "virsh -c qemu:///system shutdown " + g.name());
            assertThat(shutdown.exit()).as("%s", shutdown).isZero();
            assertThat(lv.awaitOff(g.name(), ACPI_LIMIT)).isTrue();
            assertThat(host.ssh(limit, "virsh -c qemu:///system domstate " + g.name()).out().strip()).isEqualTo("shut off");
            assertThat(Files.readString(host.sshd.log())).contains("Accepted publickey for root");
        }
    }

    @Test
    void theNextStartCleansUpWhatACrashedRunLeft() throws Exception {
        Libvirt crashed = Libvirt.start();
        Path crashedDir = crashed.dir;
        try {
            TinyGuest g = crashed.deafGuest("ctys-crash1", "52:54:00:c7:00:05");
            crashed.define(g);
            crashed.start(g.name());
            long oldLibvirtd = Long.parseLong(Files.readString(Path.of("/run/libvirtd.pid")).strip());
            long oldVirtlogd = Long.parseLong(Files.readString(Path.of("/run/virtlogd.pid")).strip());
            // the test JVM "dies" here: crashed is never closed, its daemons and its guest run on

            try (Libvirt lv = Libvirt.start()) {
                assertThat(alive(oldLibvirtd)).as("the crashed run's libvirtd").isFalse();
                assertThat(alive(oldVirtlogd)).as("the crashed run's virtlogd").isFalse();
                assertThat(lv.virshOk("list", "--all", "--name").out()).doesNotContain(g.name());
                assertThat(Libvirt.qemuProcesses()).as("the crashed run's QEMU").isEmpty();
            }
        } finally {
            Proc.deleteTree(crashedDir);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(h -> !Proc.ended(h)).orElse(false);
    }
}
