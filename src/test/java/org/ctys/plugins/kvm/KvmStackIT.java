package org.ctys.plugins.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Libvirt;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.TinyGuest;
import org.ctys.testkit.VirshHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KVM type and PM CANCEL's stack against a real libvirtd with QEMU (TCG) guests, reached
 * through a real OpenSSH host: every change ctys reports is checked with virsh itself.
 */
class KvmStackIT {
    private static final Duration READY = Duration.ofSeconds(180);
    @TempDir static Path dir;
    private static Libvirt lv;
    private static VirshHost host;
    private static OpenSshd noVirsh;
    private static CtysRunner ctys;

    @BeforeAll
    static void start() throws Exception {
        lv = Libvirt.start();
        host = VirshHost.onLoopback(dir.resolve("host"));
        // a second host where the shell finds no virsh: every command runs with a PATH without it
        noVirsh = OpenSshd.onLoopback(dir.resolve("novirsh"), host.key.publicKey(),
                List.of("ForceCommand env PATH=/nonexistent /bin/sh -c \"$SSH_ORIGINAL_COMMAND\""));
        noVirsh.trustIn(host.home);
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, """
                defaults:
                  ssh: {user: root}
                machines:
                  lab01:
                    host: 127.0.0.1
                    ssh: {port: %d}
                    hypervisor: kvm
                  lab02:
                    host: 127.0.0.1
                    ssh: {port: %d}
                    hypervisor: kvm
                """.formatted(host.sshd.port, noVirsh.port));
        ctys = new CtysRunner(host.home).inventory(inv).limit(Duration.ofSeconds(240));
    }

    @AfterAll
    static void stop() {
        if (noVirsh != null) noVirsh.close();
        if (host != null) host.close();
        if (lv != null) lv.close();
    }

    private static TinyGuest running(TinyGuest g) throws Exception {
        booting(g);
        lv.awaitReady(g.name(), READY);
        return g;
    }

    private static TinyGuest booting(TinyGuest g) throws Exception {
        lv.define(g);
        lv.start(g.name());
        return g;
    }

    @Test
    void aGuestIsShutDownConfirmedByItsStateAndStartedAgain() throws Exception {
        TinyGuest g = running(lv.acpiGuest("ctys-k1", "52:54:00:c7:01:01"));
        Proc.Outcome off = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-k1", "lab01");
        assertThat(off.exit()).as(off.toString()).isZero();
        assertThat(off.out()).contains("lab01[ctys-k1]").contains("shut-off").contains("shut off after");
        assertThat(lv.state(g.name())).contains("shut off");

        Proc.Outcome on = ctys.run("-t", "kvm", "-a", "create=l:ctys-k1", "lab01");
        assertThat(on.exit()).as(on.toString()).isZero();
        assertThat(on.out()).contains("running after");
        assertThat(lv.state(g.name())).contains("running");
        lv.awaitReady(g.name(), READY);

        Proc.Outcome again = ctys.run("-t", "kvm", "-a", "create=l:ctys-k1", "lab01");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("runs already; nothing changed");

        // the stack address names the same guest
        Proc.Outcome byAddress = ctys.run("-t", "kvm", "-a", "cancel", "lab01[ctys-k1]");
        assertThat(byAddress.exit()).as(byAddress.toString()).isZero();
        assertThat(lv.state(g.name())).contains("shut off");
    }

    @Test
    void aGuestsStopIsHeardFromVirshEventAndTheEventStreamEndsWithTheRun() throws Exception {
        // stops 3 s after its ACPI button: long after the event stream has started
        TinyGuest g = lv.guest("ctys-kev", TinyGuest.Kind.SLOW, "52:54:00:c7:01:09", 128, Duration.ofSeconds(3));
        running(g);
        Proc.Outcome off = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-kev", "lab01");
        assertThat(off.exit()).as(off.toString()).isZero();
        assertThat(off.out()).contains("lab01[ctys-kev]").contains("shut-off").contains("told by virsh event");
        assertThat(lv.state(g.name())).contains("shut off");
        // the host's virsh event and the shell that held it ended when ctys closed their input
        assertThat(Proc.await(() -> ProcessHandle.allProcesses().noneMatch(h -> h.info().commandLine().orElse("")
                .contains("event --loop --event lifecycle")), Duration.ofSeconds(10))).as("no virsh event left on the host").isTrue();
    }

    @Test
    void aGuestThatIgnoresShutdownFailsAfterItsTimeoutAndIsDestroyedOnlyWithForce() throws Exception {
        TinyGuest g = running(lv.deafGuest("ctys-k2", "52:54:00:c7:01:02"));
        Proc.Outcome stays = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-k2,timeout:3s", "lab01");
        assertThat(stays.exit()).as(stays.toString()).isEqualTo(1);
        assertThat(stays.out()).contains("lab01[ctys-k2]").contains("still-running").contains("not shut off after")
                .contains("still running");
        assertThat(lv.state(g.name())).contains("running");

        Proc.Outcome forced = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-k2,timeout:2s,force", "lab01");
        assertThat(forced.exit()).as(forced.toString()).isZero();
        assertThat(forced.out()).contains("destroyed");
        assertThat(lv.state(g.name())).contains("shut off");
    }

    @Test
    void pmCancelTakesEveryRunningGuestDownAtOnceAndTheHostStaysUp() throws Exception {
        booting(lv.acpiGuest("ctys-p1", "52:54:00:c7:02:01"));
        booting(lv.slowGuest("ctys-p2", "52:54:00:c7:02:02", Duration.ofSeconds(3)));
        lv.awaitReady("ctys-p1", READY);
        lv.awaitReady("ctys-p2", READY);
        lv.define(lv.acpiGuest("ctys-p3", "52:54:00:c7:02:03"));
        Proc.Outcome r = ctys.run("-t", "pm", "-a", "cancel=l:tst100,POWEROFF:0", "lab01");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("lab01[ctys-p1]").contains("lab01[ctys-p2]").doesNotContain("lab01[ctys-p3]")
                .contains("ctys-p3 (shut off)").contains("lab01 stays up");
        assertThat(lv.state("ctys-p1")).contains("shut off");
        assertThat(lv.state("ctys-p2")).contains("shut off");
        assertThat(r.out()).containsSubsequence("lab01 ", "lab01[ctys-p1]", "lab01[ctys-p2]");
    }

    /**
     * A guest named beyond ASCII (libvirt takes any UTF-8 name): in the C locale virsh's table
     * prints it as escapes that lose the name, so the stack walk that reads the table must read it
     * in C.UTF-8 to find the guest, shut it down by its name and confirm it off. The test's JVM
     * must name files in UTF-8 for libvirt's log of the guest (the pom gives the ITs LANG=C.UTF-8).
     */
    @Test
    void aGuestNamedBeyondAsciiIsFoundShutDownAndConfirmedByItsName() throws Exception {
        assertThat(System.getProperty("sun.jnu.encoding")).as("file names of the test JVM").isEqualTo("UTF-8");
        String name = "ctys-gäst-ü1";
        running(lv.acpiGuest(name, "52:54:00:c7:08:01"));
        Proc.Outcome r = ctys.run("-t", "pm", "-a", "cancel", "lab01");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("lab01[" + name + "]").contains("shut-off").contains("lab01 stays up");
        assertThat(lv.state(name)).contains("shut off");
    }

    /**
     * virsh looks a domain word up as an id before a name: a guest named after another running
     * guest's id would have that other guest shut down in its place, and the report would say the
     * named one was asked. ctys refuses the name and leaves it running; the guest whose id it is
     * goes down as itself. libvirt gives ids in order, so the guest named K+2 (started by name while
     * no domain has that id, as K+1) is followed by ctys-n3, which gets id K+2.
     */
    @Test
    void aGuestNamedLikeAnotherGuestsIdIsRefusedAndTheOtherIsNotStoppedInItsPlace() throws Exception {
        running(lv.acpiGuest("ctys-n1", "52:54:00:c7:04:01"));
        int k = Integer.parseInt(lv.virshOk("domid", "ctys-n1").out().strip());
        String named = Integer.toString(k + 2);
        running(lv.acpiGuest(named, "52:54:00:c7:04:02"));
        // its UUID while no domain has the id K+2: later the fixture's own virsh calls by name would reach ctys-n3
        String uuid = lv.virshOk("domuuid", named).out().strip();
        running(lv.acpiGuest("ctys-n3", "52:54:00:c7:04:03"));
        assertThat(lv.virshOk("domid", "ctys-n3").out().strip()).as("libvirt's next id").isEqualTo(named);
        try {
            Proc.Outcome one = ctys.run("-t", "kvm", "-a", "cancel=l:" + named, "lab01");
            assertThat(one.exit()).as(one.toString()).isEqualTo(1);
            assertThat(one.out()).contains("lab01[" + named + "]").contains("ambiguous-name")
                    .contains("virsh takes '" + named + "' for a domain id before a name");
            assertThat(lv.state("ctys-n3")).as("the guest whose id it is").contains("running");

            Proc.Outcome all = ctys.run("-t", "kvm", "-a", "cancel=all", "lab01");
            assertThat(all.exit()).as(all.toString()).isEqualTo(1);
            assertThat(all.out()).contains("lab01[ctys-n3]").contains("shut-off").contains("lab01[" + named + "]")
                    .contains("ambiguous-name");
            assertThat(lv.state("ctys-n1")).contains("shut off");
            assertThat(lv.state("ctys-n3")).contains("shut off");
            assertThat(lv.virshOk("domstate", uuid).out().strip()).as("refused by name, still running").isEqualTo("running");
        } finally {
            lv.virsh("destroy", uuid);
            lv.virsh("destroy", "ctys-n1");
            lv.virsh("destroy", "ctys-n3");
        }
    }

    @Test
    void aGuestThatDoesNotStopKeepsItsHostFromBeingDoneAndIsNamed() throws Exception {
        booting(lv.deafGuest("ctys-b1", "52:54:00:c7:03:01"));
        booting(lv.acpiGuest("ctys-b2", "52:54:00:c7:03:02"));
        lv.awaitReady("ctys-b1", READY);
        lv.awaitReady("ctys-b2", READY);
        Proc.Outcome r = ctys.run("-t", "pm", "-a", "cancel=timeout:3s", "lab01");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("lab01[ctys-b1]").contains("not shut off after");
        assertThat(r.out()).contains("blocked").contains("lab01[ctys-b1] (still-running");
        assertThat(lv.state("ctys-b2")).contains("shut off");
        assertThat(lv.state("ctys-b1")).contains("running");
        lv.destroy("ctys-b1");
    }

    @Test
    void listAndEnumerateShowTheGuestsLive() throws Exception {
        running(lv.acpiGuest("ctys-l1", "52:54:00:c7:04:01"));
        lv.define(lv.acpiGuest("ctys-l2", "52:54:00:c7:04:02"));
        Proc.Outcome list = ctys.run("-X", "-t", "kvm", "-a", "list", "lab01");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("lab01[ctys-l1]").contains("state=running").contains("memory=128MiB").contains("vcpus=1")
                .contains("lab01[ctys-l2]").contains("state=shut off");
        Proc.Outcome en = ctys.run("-t", "kvm", "-a", "enumerate", "lab01");
        assertThat(en.exit()).as(en.toString()).isZero();
        // the fixture's guests write their serial line to a file (no pty console to attach to): VNC only
        assertThat(en.out()).contains("hypervisor: kvm").containsPattern("ctys-l1: \\{mac: \\[52:54:00:c7:04:01\\]\\}   # running, 128MiB,"
                + " 1 vCPU; consoles: vnc:127.0.0.1:59\\d\\d").contains("ctys-l2: {mac: [52:54:00:c7:04:02]}   # shut off");

        // localhost: virsh runs here, without SSH
        Proc.Outcome local = ctys.run("-X", "-t", "kvm", "-a", "list", "localhost");
        assertThat(local.exit()).as(local.toString()).isZero();
        assertThat(local.out()).contains("localhost[ctys-l1]").contains("state=running");

        // PM LIST asks the hypervisor for the guests, live; -T asks every type over one SSH login per host
        Proc.Outcome pm = ctys.run("-X", "-t", "pm", "-a", "list", "lab01");
        assertThat(pm.exit()).as(pm.toString()).isZero();
        assertThat(pm.out()).contains("ctys-l1 (running)").contains("ctys-l2 (shut off)");
        long before = logins();
        Proc.Outcome all = ctys.run("-X", "-T", "all", "-a", "list", "lab01");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.out()).contains("lab01[ctys-l1]").contains("ctys-l1 (running)");
        assertThat(logins() - before).as("SSH logins to lab01 for -T all").isEqualTo(1);
        lv.destroy("ctys-l1");
    }

    /** Logins the host's sshd accepted so far. */
    private static long logins() throws Exception {
        return Files.readAllLines(host.sshd.log()).stream().filter(l -> l.contains("Accepted publickey")).count();
    }

    @Test
    void suspendSavesTheGuestAndResumeBringsItBack() throws Exception {
        TinyGuest g = running(lv.acpiGuest("ctys-s1", "52:54:00:c7:05:01"));
        Proc.Outcome save = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-s1,suspend", "lab01");
        assertThat(save.exit()).as(save.toString()).isZero();
        assertThat(lv.virshOk("dominfo", g.name()).out()).containsPattern("Managed save:\\s+yes");
        Proc.Outcome list = ctys.run("-X", "-t", "kvm", "-a", "list", "lab01");
        assertThat(list.out()).contains("lab01[ctys-s1]").contains("state=saved");
        Proc.Outcome resume = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-s1,resume", "lab01");
        assertThat(resume.exit()).as(resume.toString()).isZero();
        assertThat(lv.state(g.name())).contains("running");
        assertThat(lv.virshOk("dominfo", g.name()).out()).containsPattern("Managed save:\\s+no");

        Proc.Outcome pause = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-s1,pause", "lab01");
        assertThat(pause.exit()).as(pause.toString()).isZero();
        assertThat(lv.state(g.name())).contains("paused");
        Proc.Outcome unpause = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-s1,resume", "lab01");
        assertThat(unpause.exit()).as(unpause.toString()).isZero();
        assertThat(lv.state(g.name())).contains("running");
        lv.destroy(g.name());
    }

    @Test
    void rebootIsAConfirmedShutdownAndAConfirmedStart() throws Exception {
        TinyGuest g = running(lv.acpiGuest("ctys-r1", "52:54:00:c7:06:01"));
        Proc.Outcome r = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-r1,reboot", "lab01");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("running after");
        assertThat(lv.state(g.name())).contains("running");
        lv.awaitReady(g.name(), READY);

        // RESET: virsh reset restarts the guest inside the same QEMU: its console shows a second boot
        Proc.Outcome reset = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-r1,reset", "lab01");
        assertThat(reset.exit()).as(reset.toString()).isZero();
        assertThat(reset.out()).contains("running after");
        assertThat(Proc.await(() -> lv.serial(g.name()).split("ctys-guest: ready", -1).length > 2, READY, Duration.ofMillis(200)))
                .as("a second boot after the reset:%n%s", lv.serial(g.name())).isTrue();
        lv.destroy(g.name());
    }

    @Test
    void createFromAnXmlFileOnTheHostConfirmsTheGuestItNames() throws Exception {
        TinyGuest g = lv.acpiGuest("ctys-f1", "52:54:00:c7:07:01");
        Proc.Outcome r = ctys.run("-t", "kvm", "-a", "create=f:" + g.xml(), "lab01");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("lab01[ctys-f1]").contains("created ctys-f1 from ");
        assertThat(lv.state(g.name())).contains("running");
        lv.destroy(g.name());
    }

    @Test
    void faultsAreNamedAndTouchNothing() throws Exception {
        Proc.Outcome nosuch = ctys.run("-t", "kvm", "-a", "cancel", "lab01[ctys-nosuch]");
        assertThat(nosuch.exit()).as(nosuch.toString()).isEqualTo(1);
        assertThat(nosuch.out()).contains("no guest 'ctys-nosuch' on lab01 (it has: ");

        Proc.Outcome missing = ctys.run("-t", "kvm", "-a", "list", "lab02");
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(1);
        assertThat(missing.out()).contains("virsh is not installed on lab02");

        Proc.Outcome pmMissing = ctys.run("-t", "pm", "-a", "cancel", "lab02");
        assertThat(pmMissing.exit()).as(pmMissing.toString()).isEqualTo(1);
        assertThat(pmMissing.out()).contains("virsh is not installed on lab02");
    }
}
