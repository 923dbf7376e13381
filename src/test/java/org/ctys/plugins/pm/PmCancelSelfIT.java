package org.ctys.plugins.pm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Libvirt;
import org.ctys.testkit.Proc;
import org.ctys.testkit.TinyGuest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PM CANCEL with SELF against a real machine that is not this one: {@link SelfHost}, an sshd in a
 * network namespace whose sessions find stand-in {@code systemctl}, {@code shutdown} and
 * {@code wall} first on their PATH, reaching the fixture's real libvirtd and its TCG guests. When
 * the stand-in records a halt, the test makes the host go down as a real one looks from outside
 * (sshd gone, link down) and, for a reboot, come back a few seconds later. ctys must confirm each
 * guest off before the halt, confirm the halt by the host's silence, and on REBOOT bring the
 * guests back in the inventory's order.
 */
class PmCancelSelfIT {
    static final Duration READY = Duration.ofSeconds(120);
    /** A rebooted host stays silent this long before its link and sshd come back. */
    static final Duration REBOOT_GAP = Duration.ofSeconds(3);
    static final Duration RUN_LIMIT = Duration.ofSeconds(150);

    @TempDir Path dir;
    Libvirt lv;
    SelfHost host;

    @BeforeEach
    void peers() throws Exception {
        lv = Libvirt.start();
        host = SelfHost.start(Files.createDirectories(dir.resolve("host")), "pmself", "10.237.1");
    }

    @AfterEach
    void stop() {
        try {
            if (host != null) host.close();
        } finally {
            if (lv != null) lv.close();
        }
    }

    /** Starts the guests at once (a TCG boot takes 10-20 s), then waits until each is ready. */
    void boot(TinyGuest... guests) throws Exception {
        for (TinyGuest g : guests) {
            lv.define(g);
            lv.start(g.name());
        }
        for (TinyGuest g : guests) lv.awaitReady(g.name(), READY);
    }

    CtysRunner ctys(Path inventory) {
        return new CtysRunner(host.home).inventory(inventory).limit(RUN_LIMIT);
    }

    /** What the test saw while ctys ran. */
    record Seen(Proc.Outcome outcome, long downAt, long upAt, long endedAt, List<String> guestStatesAtHalt) {
        /** The recorded time of a call, in epoch milliseconds like the others. */
        static long ms(SelfHost.Call c) { return c.nanos() / 1_000_000; }
    }

    /**
     * Runs ctys; when a stand-in records a halt ({@code systemctl --no-block poweroff|reboot},
     * {@code shutdown -h|-r}) and the session that ran it has ended, the host goes down (and,
     * for a reboot, comes back after {@link #REBOOT_GAP}). Notes each guest's state at that moment.
     */
    Seen run(Path inventory, List<String> guests, String... args) throws Exception {
        try (CtysRunner.Running r = ctys(inventory).start(args)) {
            long downAt = 0;
            long upAt = 0;
            List<String> atHalt = new ArrayList<>();
            long until = System.nanoTime() + RUN_LIMIT.toNanos();
            while (r.isAlive() && System.nanoTime() < until) {
                Optional<SelfHost.Call> halt = haltCall();
                if (downAt == 0 && halt.isPresent() && !host.sessionRuns(host.standIns + "/")) {
                    for (String g : guests) atHalt.add(g + "=" + lv.state(g).orElse("gone"));
                    Thread.sleep(300); // a real system tears sessions down a moment after systemctl returns
                    host.down();
                    downAt = System.currentTimeMillis();
                    if (halt.get().words().contains("reboot") || halt.get().words().contains("-r")) {
                        Thread.sleep(REBOOT_GAP.toMillis());
                        host.up();
                        upAt = System.currentTimeMillis();
                    }
                }
                Thread.sleep(50);
            }
            r.end(Duration.ofSeconds(5));
            long endedAt = System.currentTimeMillis();
            Proc.Outcome o = r.outcome();
            System.out.println("PmCancelSelfIT: " + o);
            return new Seen(o, downAt, upAt, endedAt, atHalt);
        }
    }

    Optional<SelfHost.Call> haltCall() {
        return host.calls().stream().map(SelfHost.Call::parse)
                .filter(c -> c.words().matches("systemctl --no-block (poweroff|reboot)|shutdown -[hr] now")).findFirst();
    }

    @Test
    void selfShutsTheGuestDownThenPowersTheHostOffAndConfirmsItDown() throws Exception {
        TinyGuest g = lv.acpiGuest("ctys-self1", "52:54:00:5e:2f:01");
        boot(g);
        Path inv = host.inventory(List.of(g.name()));

        Seen s = run(inv, List.of(g.name()), "-t", "pm", "-a", "cancel=self", "lab01");

        assertThat(s.outcome().exit()).as("%s", s.outcome()).isZero();
        assertThat(s.guestStatesAtHalt()).as("guest states when the halt was asked").containsExactly(g.name() + "=shut off");
        assertThat(host.callsOf("systemctl")).containsExactly("systemctl --no-block poweroff");
        assertThat(host.callsOf("shutdown")).isEmpty();
        assertThat(s.downAt()).as("the host went down").isPositive();
        assertThat(s.endedAt()).as("ctys waited for the host's silence").isGreaterThan(s.downAt());
        assertThat(s.outcome().both()).contains("powered off").contains(g.name());
        // shut down before the halt: virsh shutdown recorded before systemctl
        List<String> order = host.calls().stream().map(l -> SelfHost.Call.parse(l).words())
                .filter(w -> w.startsWith("virsh -c qemu:///system shutdown") || w.startsWith("systemctl")).toList();
        assertThat(order).containsExactly("virsh -c qemu:///system shutdown " + g.name(), "systemctl --no-block poweroff");
    }

    static final String VIRSH = "virsh -c qemu:///system ";
    /** The question every guest's state wait asks of its host (one for all its guests). */
    static final String STATE = VIRSH + "domstats --state";

    /** Whether the host was asked its guests' states after it ran {@code words}. */
    boolean stateAskedAfter(String words) {
        Optional<SelfHost.Call> first = host.call(words);
        return first.isPresent() && host.calls().stream().map(SelfHost.Call::parse)
                .anyMatch(c -> c.words().equals(STATE) && c.nanos() > first.get().nanos());
    }

    /** The recorded words of every call that starts with one of {@code prefixes}, in order. */
    List<String> callsStartingWith(String... prefixes) {
        return host.calls().stream().map(l -> SelfHost.Call.parse(l).words())
                .filter(w -> List.of(prefixes).stream().anyMatch(w::startsWith)).toList();
    }

    @Test
    void theRebootSeedLineBringsTheGuestsBackInTheInventorysOrderEachConfirmedRunning() throws Exception {
        // started a then b (virsh lists them so); the inventory says b, then a
        TinyGuest a = lv.acpiGuest("ctys-rb-a", "52:54:00:5e:2f:11");
        TinyGuest b = lv.acpiGuest("ctys-rb-b", "52:54:00:5e:2f:12");
        boot(a, b);
        Path inv = host.inventory(List.of(b.name(), a.name()));

        Seen s = run(inv, List.of(a.name(), b.name()), "-t", "pm", "-a", "cancel=l:tst001,REBOOT,SELF", "lab01");

        assertThat(s.outcome().exit()).as("%s", s.outcome()).isZero();
        assertThat(s.guestStatesAtHalt()).containsExactlyInAnyOrder(a.name() + "=shut off", b.name() + "=shut off");
        assertThat(host.callsOf("systemctl")).containsExactly("systemctl --no-block reboot");
        assertThat(s.upAt()).as("the host came back").isPositive();
        assertThat(lv.state(a.name())).contains("running");
        assertThat(lv.state(b.name())).contains("running");
        assertThat(s.outcome().both()).contains("tst001").contains("rebooted and back");
        SelfHost.Call startB = host.call(VIRSH + "start " + b.name()).orElseThrow();
        SelfHost.Call startA = host.call(VIRSH + "start " + a.name()).orElseThrow();
        assertThat(Seen.ms(startB)).as("guests started once the host was back").isGreaterThanOrEqualTo(s.upAt());
        assertThat(startB.nanos()).as("the inventory's first guest first").isLessThan(startA.nanos());
        // b confirmed running (its state asked) before a was started
        assertThat(host.calls().stream().map(SelfHost.Call::parse)
                .anyMatch(c -> c.words().equals(STATE) && c.nanos() > startB.nanos() && c.nanos() < startA.nanos()))
                .as("%s's state asked between the two starts; calls:%n%s", b.name(), String.join("\n", host.calls())).isTrue();
    }

    @Test
    void poweroffWithADelayWarnsTheUsersAndHaltsThatMuchLater() throws Exception {
        Path inv = host.inventory(List.of());

        Seen s = run(inv, List.of(), "-t", "pm", "-a", "cancel=POWEROFF:3s,self", "lab01");

        assertThat(s.outcome().exit()).as("%s", s.outcome()).isZero();
        SelfHost.Call wall = host.call("wall ").orElseThrow(() -> new AssertionError("no wall: " + host.calls()));
        assertThat(wall.words()).isEqualTo("wall ctys: lab01 goes down in 3s");
        SelfHost.Call halt = host.call("systemctl --no-block poweroff").orElseThrow();
        assertThat(halt.nanos() - wall.nanos()).as("ns from wall to the halt").isGreaterThanOrEqualTo(3_000_000_000L);
        assertThat(s.outcome().both()).contains("powered off");
    }

    @Test
    void initThreeIsolatesMultiUserAndLeavesTheHostUp() throws Exception {
        Path inv = host.inventory(List.of());

        Seen s = run(inv, List.of(), "-t", "pm", "-a", "cancel=init:3", "lab01");

        assertThat(s.outcome().exit()).as("%s", s.outcome()).isZero();
        assertThat(host.callsOf("systemctl")).containsExactly("systemctl isolate multi-user.target");
        assertThat(host.callsOf("shutdown")).isEmpty();
        assertThat(s.downAt()).as("host halted").isZero();
        assertThat(host.linkUp()).isTrue();
        assertThat(s.outcome().both()).contains("switched to run level 3").doesNotContain("power off");
    }

    @Test
    void thePoweroffSeedLineTakesTheGuestsDownAndLeavesTheHostUp() throws Exception {
        TinyGuest g = lv.acpiGuest("ctys-seed0", "52:54:00:5e:2f:21");
        boot(g);
        Path inv = host.inventory(List.of(g.name()));

        Seen s = run(inv, List.of(g.name()), "-t", "pm", "-a", "cancel=l:tst100,POWEROFF:0", "lab01");

        assertThat(s.outcome().exit()).as("%s", s.outcome()).isZero();
        assertThat(lv.state(g.name())).contains("shut off");
        assertThat(host.callsOf("systemctl")).isEmpty();
        assertThat(host.callsOf("shutdown")).isEmpty();
        assertThat(host.callsOf("wall")).as("POWEROFF:0 warns nobody").isEmpty();
        assertThat(host.linkUp()).isTrue();
        assertThat(s.outcome().both()).contains("tst100").contains("lab01 stays up").contains(g.name());
    }

    @Test
    void wolOnAVethIsRefusedByEthtoolAndTheHostIsNotHalted() throws Exception {
        // the real ethtool: veth has no Wake-on-LAN ("netlink error: Operation not supported", exit 75)
        Path inv = host.inventory(List.of());

        Seen s = run(inv, List.of(), "-t", "pm", "-a", "cancel=self,wol", "lab01");

        assertThat(s.outcome().exit()).as("%s", s.outcome()).isEqualTo(1);
        assertThat(s.outcome().both()).contains("Operation not supported");
        assertThat(host.callsOf("systemctl")).isEmpty();
        assertThat(host.callsOf("shutdown")).isEmpty();
        assertThat(s.downAt()).isZero();
        assertThat(host.linkUp()).isTrue();
    }

    @Test
    void wolArmedPrintsAWakeLineThatCtysItselfAccepts() throws Exception {
        host.acceptWol();
        Path inv = host.inventory(List.of());

        Seen s = run(inv, List.of(), "-t", "pm", "-a", "cancel=self,wol,broadcast:10.237.1.255", "lab01");

        assertThat(s.outcome().exit()).as("%s", s.outcome()).isZero();
        assertThat(callsStartingWith("ethtool", "systemctl")).containsExactly("ethtool -s eth0 wol g", "systemctl --no-block poweroff");
        String err = s.outcome().both();
        int at = err.indexOf("wake it with: ");
        assertThat(at).as(err).isNotNegative();
        String line = err.substring(at + "wake it with: ".length()).lines().findFirst().orElseThrow().strip();
        assertThat(line).isEqualTo("ctys -t pm -a create=wol,broadcast:10.237.1.255 lab01");
        List<String> words = new ArrayList<>(List.of(line.split(" ")));
        words.set(0, "-n");
        Proc.Outcome dry = ctys(inv).run(words.toArray(String[]::new));
        assertThat(dry.exit()).as("%s", dry).isZero();
        assertThat(dry.both()).contains("10.237.1.255").contains(SelfHost.MAC);
    }

    @Test
    void aGuestThatNeverStopsKeepsTheHostUpAndIsNamed() throws Exception {
        TinyGuest g = lv.deafGuest("ctys-deaf9", "52:54:00:5e:2f:31");
        boot(g);
        Path inv = host.inventory(List.of(g.name()));

        Seen s = run(inv, List.of(g.name()), "-t", "pm", "-a", "cancel=self,timeout:5s", "lab01");

        assertThat(s.outcome().exit()).as("%s", s.outcome()).isEqualTo(1);
        assertThat(s.outcome().both()).contains(g.name()).contains("still-running");
        assertThat(host.callsOf("systemctl")).isEmpty();
        assertThat(host.callsOf("shutdown")).isEmpty();
        assertThat(host.linkUp()).isTrue();
        assertThat(lv.state(g.name())).contains("running");
    }

    @Test
    void sshDroppingWhileAGuestStopsEndsBoundedWithoutHaltingTheHost() throws Exception {
        TinyGuest g = lv.slowGuest("ctys-slow8", "52:54:00:5e:2f:41", Duration.ofSeconds(30));
        boot(g);
        Path inv = host.inventory(List.of(g.name()));

        try (CtysRunner.Running r = ctys(inv).start("-t", "pm", "-a", "cancel=self,timeout:60s", "lab01")) {
            // the same question also told ctys what runs: the wait is on once it is asked after the shutdown
            assertThat(Proc.await(() -> stateAskedAfter(VIRSH + "shutdown " + g.name()) || !r.isAlive(), Duration.ofSeconds(60)))
                    .as("ctys asks the guest's state; stderr: %s", r.err()).isTrue();
            host.killSshd();
            long killed = System.nanoTime();
            int exit = r.end(Duration.ofSeconds(90));
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            Proc.Outcome o = r.outcome();
            System.out.println("PmCancelSelfIT: after SSH dropped (" + took.toMillis() + " ms): " + o);
            assertThat(exit).as("%s", o).isEqualTo(1);
            assertThat(o.out()).contains("lab01[" + g.name() + "]").contains("cannot connect to " + host.address + ":22")
                    .contains("not done: its guests are not all shut down");
            assertThat(host.callsOf("systemctl")).isEmpty();
            assertThat(host.linkUp()).isTrue();
        }
    }

    @Test
    void ctrlCDuringTheWalkReportsWhichGuestsAreDownAndHaltsNothing() throws Exception {
        TinyGuest quick = lv.acpiGuest("ctys-int-a", "52:54:00:5e:2f:51");
        TinyGuest slow = lv.slowGuest("ctys-int-b", "52:54:00:5e:2f:52", Duration.ofSeconds(40));
        boot(quick, slow);
        Path inv = host.inventory(List.of(quick.name(), slow.name()));

        try (CtysRunner.Running r = ctys(inv).start("-t", "pm", "-a", "cancel=self", "lab01")) {
            assertThat(Proc.await(() -> !r.isAlive() || (lv.state(quick.name()).orElse("").equals("shut off")
                    && host.call(STATE).isPresent()), Duration.ofSeconds(60)))
                    .as("%s off and %s stopping; stderr: %s", quick.name(), slow.name(), r.err()).isTrue();
            Thread.sleep(1000); // the walk notices the quick guest is off
            Proc.Outcome o = r.signal("INT", Duration.ofSeconds(30));
            System.out.println("PmCancelSelfIT: after Ctrl-C: " + o);
            assertThat(o.exit()).as("%s", o).isEqualTo(130);
            // the report: each guest's row says what was last known of it
            assertThat(o.out().lines().filter(l -> l.startsWith("lab01[" + quick.name() + "]")).findFirst().orElse(""))
                    .as("%s", o).contains("INTERRUPTED").contains("shut-off: shut off after");
            assertThat(o.out().lines().filter(l -> l.startsWith("lab01[" + slow.name() + "]")).findFirst().orElse(""))
                    .as("%s", o).contains("INTERRUPTED").contains("not shut off yet");
            assertThat(o.out().lines().filter(l -> l.startsWith("lab01 ")).findFirst().orElse("")).as("%s", o).contains("INTERRUPTED");
            assertThat(host.callsOf("systemctl")).isEmpty();
            assertThat(host.linkUp()).isTrue();
            assertThat(lv.state(slow.name())).contains("running");
        }
    }
}
