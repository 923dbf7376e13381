package org.ctys.plugins.pm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Libvirt;
import org.ctys.testkit.LxcHost;
import org.ctys.testkit.Proc;
import org.ctys.testkit.TinyGuest;
import org.ctys.testkit.VirshHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real two-level stack: lab01 (an OpenSSH host on the loopback whose libvirt runs containers,
 * lxc:///system) runs the container ctys-c1, which has its own network namespace, sshd and
 * libvirtd and is itself the host of the QEMU guest ctys-v1. ctys reaches lab01 over SSH and
 * ctys-c1 over SSH at its own address; every change it reports is checked with virsh on the
 * level where it happened, and the order of what happened with the time stamps of the
 * container's init and of its libvirt's log of the guest.
 */
class NestedStackIT {
    private static final Duration READY = Duration.ofSeconds(180);
    private static final Duration LOGIN = Duration.ofSeconds(60);
    @TempDir static Path dir;
    private static Libvirt lv;
    private static VirshHost lab01;
    private static LxcHost c1;
    private static TinyGuest v1;
    private static CtysRunner ctys;

    @BeforeAll
    static void start() throws Exception {
        lv = Libvirt.startWithLxc();
        lab01 = VirshHost.onLoopback(dir.resolve("lab01"));
        c1 = LxcHost.define(lv, "ctys-c1", lab01.key, lab01.home);
        v1 = lv.acpiGuest("ctys-v1", "52:54:00:c7:0d:01");
        c1.start(LOGIN);
        c1.defineGuest(v1);
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, """
                machines:
                  lab01:
                    host: 127.0.0.1
                    ssh: {user: root, port: %d}
                    hypervisor: kvm
                    uri: lxc:///system
                    guests:
                      ctys-c1:
                        host: %s
                        hypervisor: kvm
                        ssh: {user: root}
                        guests:
                          ctys-v1: {}
                """.formatted(lab01.sshd.port, LxcHost.ADDRESS));
        ctys = new CtysRunner(lab01.home).inventory(inv).limit(Duration.ofSeconds(300));
    }

    @AfterAll
    static void stop() {
        List<Throwable> problems = new ArrayList<>();
        for (AutoCloseable c : new AutoCloseable[] {c1, lab01, lv}) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception | Error e) {
                problems.add(e);
            }
        }
        if (!problems.isEmpty()) {
            AssertionError e = new AssertionError(problems.get(0).getMessage(), problems.get(0));
            problems.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    /** The container runs and takes logins, ctys-v1 runs in it and is ready. */
    private static void stackRunning() throws Exception {
        if (!c1.state().equals("running")) {
            c1.start(LOGIN);
        } else {
            c1.initKnown(); // ctys may have started it last (a reboot)
            c1.awaitLogin(LOGIN);
        }
        if (!c1.guestState(v1.name()).orElseThrow().equals("running")) c1.startGuest(v1);
        c1.awaitGuestReady(v1, READY);
    }

    private static List<Instant> after(Instant mark, List<Instant> times) {
        return times.stream().filter(t -> !t.isBefore(mark)).toList();
    }

    @Test
    void cancelTakesTheInnerGuestDownThroughTheContainerThenTheContainer() throws Exception {
        stackRunning();
        Instant mark = Instant.now();
        Proc.Outcome r = ctys.run("-t", "pm", "-a", "cancel", "lab01");
        assertThat(r.exit()).as(r + "\ninit log:\n" + String.join("\n", c1.initLog())).isZero();
        assertThat(r.out()).containsSubsequence("lab01 ", "lab01[ctys-c1] ", "lab01[ctys-c1][ctys-v1] ");
        assertThat(c1.state()).as("ctys-c1 on lab01").isEqualTo("shut off");

        // the guest was shut down (its power button, not killed with the container), before the container stopped
        List<Instant> v1Down = after(mark, c1.qemuLogged(v1.name(), "shutting down, reason=shutdown"));
        List<Instant> c1Stopping = after(mark, c1.initLogged("stopping on"));
        assertThat(v1Down).as(String.join("\n", c1.qemuLog(v1.name()))).hasSize(1);
        assertThat(c1Stopping).as(String.join("\n", c1.initLog())).hasSize(1);
        assertThat(v1Down.get(0)).isBefore(c1Stopping.get(0));
        assertThat(c1.initLog()).anyMatch(l -> l.contains("initctl: runlevel 0"));

        // confirmed off inside too: the container's libvirt still has it defined, shut off
        c1.start(LOGIN);
        assertThat(c1.guestState(v1.name())).contains("shut off");
    }

    @Test
    void rebootOfTheContainerBringsItBackAndThenItsGuest() throws Exception {
        stackRunning();
        Instant mark = Instant.now();
        Proc.Outcome r = ctys.run("-t", "kvm", "-a", "cancel=l:ctys-c1,reboot", "lab01");
        assertThat(r.exit()).as(r + "\ninit log:\n" + String.join("\n", c1.initLog())).isZero();
        assertBroughtBackInOrder(mark, r);

        stackRunning();
        mark = Instant.now();
        Proc.Outcome pm = ctys.run("-t", "pm", "-a", "cancel=reboot", "lab01");
        assertThat(pm.exit()).as(pm.toString()).isZero();
        assertThat(pm.out()).contains("lab01 stays up");
        assertBroughtBackInOrder(mark, pm);
    }

    /** v1 off, c1 off, c1 started, its sshd up, v1 started: in that order, each once, and all running now. */
    private static void assertBroughtBackInOrder(Instant mark, Proc.Outcome r) {
        String why = r + "\ninit log:\n" + String.join("\n", c1.initLog()) + "\nv1's log:\n" + String.join("\n", c1.qemuLog(v1.name()));
        assertThat(c1.state()).as(why).isEqualTo("running");
        assertThat(c1.ssh(Duration.ofSeconds(30), "true").exit()).as("SSH into ctys-c1 again").isZero();
        assertThat(c1.guestState(v1.name())).as(why).contains("running");
        c1.awaitGuestReady(v1, READY);

        List<Instant> v1Down = after(mark, c1.qemuLogged(v1.name(), "shutting down, reason=shutdown"));
        List<Instant> c1Stopped = after(mark, c1.initLogged("stopped"));
        List<Instant> c1Started = after(mark, c1.initLogged("init started"));
        List<Instant> sshdUp = after(mark, c1.initLogged("sshd started"));
        List<Instant> v1Up = after(mark, c1.qemuLogged(v1.name(), "starting up"));
        assertThat(List.of(v1Down.size(), c1Stopped.size(), c1Started.size(), sshdUp.size(), v1Up.size()))
                .as(why).containsOnly(1);
        assertThat(v1Down.get(0)).as(why).isBefore(c1Stopped.get(0));
        assertThat(c1Stopped.get(0)).as(why).isBefore(c1Started.get(0));
        assertThat(c1Started.get(0)).as(why).isBefore(sshdUp.get(0));
        assertThat(sshdUp.get(0)).as(why).isBefore(v1Up.get(0));
        System.out.printf("nested reboot: v1 off %s, c1 off %s, c1 started %s, c1 sshd %s, v1 started %s (ctys took %d ms)%n",
                v1Down.get(0), c1Stopped.get(0), c1Started.get(0), sshdUp.get(0), v1Up.get(0), r.took().toMillis());
    }

    @Test
    void aDeafGuestInTheContainerKeepsTheContainerUpAndIsNamed() throws Exception {
        stackRunning();
        TinyGuest d1 = lv.deafGuest("ctys-d1", "52:54:00:c7:0d:02");
        c1.defineGuest(d1);
        try {
            c1.startGuest(d1);
            c1.awaitGuestReady(d1, READY);
            Proc.Outcome r = ctys.run("-t", "pm", "-a", "cancel=timeout:3s", "lab01");
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.out()).contains("lab01[ctys-c1][ctys-d1]").contains("not shut off after").contains("blocked");
            assertThat(c1.state()).as("ctys-c1 on lab01").isEqualTo("running");
            assertThat(c1.guestState(d1.name())).contains("running");
            assertThat(c1.guestState(v1.name())).contains("shut off");
        } finally {
            if (c1.state().equals("running")) {
                c1.virsh("destroy", d1.name());
                c1.virsh("undefine", d1.name());
            }
        }
    }

    @Test
    void theDryRunShowsBothLevelsAsTypedCommands() {
        Proc.Outcome r = ctys.run("-n", "-t", "pm", "-a", "cancel", "lab01");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).containsSubsequence(
                "ssh -p " + lab01.sshd.port + " root@127.0.0.1 'LC_ALL=C.UTF-8 LANGUAGE= virsh -c lxc:///system list --all --managed-save 2>/dev/null || LC_ALL=C.UTF-8 LANGUAGE= virsh -c lxc:///system list --all'  # what runs there",
                "lab01: if the inventory's guests of lab01 run (ctys-c1)",
                "ssh root@" + LxcHost.ADDRESS + " 'LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all --managed-save 2>/dev/null || LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all'  # what runs there",
                "lab01[ctys-c1]: if the inventory's guests of lab01[ctys-c1] run (ctys-v1)",
                "ssh root@" + LxcHost.ADDRESS + " 'virsh -c qemu:///system shutdown ctys-v1'",
                "ssh root@" + LxcHost.ADDRESS + " 'LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system domstats --state 2>/dev/null || LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all' says shut off",
                "ssh -p " + lab01.sshd.port + " root@127.0.0.1 'virsh -c lxc:///system shutdown ctys-c1'",
                "ssh -p " + lab01.sshd.port + " root@127.0.0.1 'LC_ALL=C.UTF-8 LANGUAGE= virsh -c lxc:///system domstats --state 2>/dev/null || LC_ALL=C.UTF-8 LANGUAGE= virsh -c lxc:///system list --all' says shut off");
    }
}
