package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ctys.transport.ipmi.IpmiSim.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link IpmiSim} fixture proved with ipmitool alone: power control reaches the chassis script
 * and comes back in Get Chassis Status, soft off takes the simulated OS its time, the boot device is
 * recorded, wrong credentials are refused, SOL carries text both ways and belongs to one session at
 * a time, simulators run side by side, a failed start says why, and 64 of them start at once.
 */
@Timeout(120)
class IpmiSimFixtureIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static final int MANY = 64;

    @TempDir
    Path work;

    private final List<IpmiSim> sims = new ArrayList<>();

    private IpmiSim start(String name, Options options) throws IOException {
        IpmiSim sim = IpmiSim.start(work.resolve(name), options);
        sims.add(sim);
        return sim;
    }

    @AfterEach
    void stopAllAndLeaveNothingRunning() {
        sims.forEach(IpmiSim::close);
        List<String> left = ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .map(h -> h.info().command().orElse("?"))
                .filter(c -> c.endsWith("/ipmi_sim") || c.endsWith("/socat") || c.endsWith("/script")
                        || c.endsWith("/ipmitool"))
                .toList();
        assertThat(left).as("processes left behind").isEmpty();
    }

    @Test
    void powerControlReachesTheChassisAndComesBackInTheStatus() throws Exception {
        IpmiSim sim = start("power", Options.defaults());
        assertThat(status(sim)).isEqualTo("Chassis Power is off");
        assertThat(sim.powerState()).isFalse();

        IpmiTool.ok(sim, "chassis", "power", "on");
        assertThat(sim.powerState()).isTrue();
        assertThat(status(sim)).isEqualTo("Chassis Power is on");

        IpmiTool.ok(sim, "chassis", "power", "off");
        assertThat(sim.powerState()).isFalse();
        assertThat(status(sim)).isEqualTo("Chassis Power is off");

        IpmiTool.ok(sim, "chassis", "power", "on");
        // a cycle is power 0 now and power 1 a second later, from ipmi_sim's own timer
        IpmiTool.ok(sim, "chassis", "power", "cycle");
        await("the power back on after the cycle", () -> sim.actions().size() == 5);
        assertThat(sim.powerState()).isTrue();

        IpmiTool.ok(sim, "chassis", "power", "reset");
        assertThat(sim.powerState()).isTrue();

        IpmiTool.ok(sim, "chassis", "power", "soft");
        assertThat(sim.powerState()).isFalse();
        assertThat(status(sim)).isEqualTo("Chassis Power is off");

        assertThat(sim.actions()).containsExactly("power 1", "power 0", "power 1", "power 0", "power 1", "reset",
                "shutdown");
    }

    @Test
    void softOffPowersOffWhenTheOsIsDone() throws Exception {
        IpmiSim sim = start("acpi", Options.defaults().poweredOn(true).softOffAfter(Duration.ofMillis(1500)));
        assertThat(status(sim)).isEqualTo("Chassis Power is on");
        long asked = System.nanoTime();
        IpmiTool.ok(sim, "chassis", "power", "soft");
        assertThat(status(sim)).isEqualTo("Chassis Power is on");
        await("power off after the soft off", () -> status(sim).equals("Chassis Power is off"));
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(sim.powerState()).isFalse();
        assertThat(sim.actions()).containsExactly("shutdown");
    }

    @Test
    void anOsThatIgnoresAcpiStaysOnUntilAHardOff() throws Exception {
        IpmiSim sim = start("no-acpi", Options.defaults().poweredOn(true).ignoringSoftOff());
        IpmiTool.ok(sim, "chassis", "power", "soft");
        Thread.sleep(1500);
        assertThat(status(sim)).isEqualTo("Chassis Power is on");
        IpmiTool.ok(sim, "chassis", "power", "off");
        assertThat(status(sim)).isEqualTo("Chassis Power is off");
        assertThat(sim.actions()).containsExactly("shutdown", "power 0");
    }

    @Test
    void theBootDeviceIsRecordedAndReadBack() throws Exception {
        IpmiSim sim = start("boot", Options.defaults());
        assertThat(sim.bootDevice()).isEqualTo("default");

        IpmiTool.ok(sim, "chassis", "bootdev", "pxe");
        assertThat(sim.bootDevice()).isEqualTo("pxe");
        assertThat(IpmiTool.ok(sim, "chassis", "bootparam", "get", "5")).contains("Force PXE");

        IpmiTool.ok(sim, "chassis", "bootdev", "disk");
        assertThat(sim.bootDevice()).isEqualTo("default");

        // ipmi_sim has no name for the safe-mode boot device and answers 0xff (ipmitool still exits 0)
        IpmiTool.Result safe = IpmiTool.run(sim, "chassis", "bootdev", "safe");
        assertThat(safe.err()).contains("Set Chassis Boot Parameter 5 failed: Unspecified error");
        assertThat(sim.bootDevice()).isEqualTo("default");

        IpmiTool.ok(sim, "chassis", "identify", "5");
        assertThat(sim.actions()).containsExactly("boot pxe", "boot default", "identify 5 0");
    }

    @Test
    void wrongCredentialsAreRefused() throws Exception {
        IpmiSim sim = start("login", Options.defaults());
        // RAKP 2 comes with status 0 and an authentication code made with the real password
        IpmiTool.Result wrongPassword = IpmiTool.run(sim, sim.user(), "not-the-password", IpmiTool.LANPLUS, T,
                "-v", "-N", "1", "-R", "1", "chassis", "power", "status");
        assertThat(wrongPassword.exit()).isNotZero();
        assertThat(wrongPassword.output()).contains("RAKP 2 HMAC is invalid")
                .contains("Unable to establish IPMI v2 / RMCP+ session");

        IpmiTool.Result unknownUser = IpmiTool.run(sim, "nobody", sim.password(), IpmiTool.LANPLUS, T,
                "-v", "-N", "1", "-R", "1", "chassis", "power", "status");
        assertThat(unknownUser.exit()).isNotZero();
        assertThat(unknownUser.output()).contains("RAKP 2 message indicates an error : unauthorized name");

        IpmiTool.Result legacyNone = IpmiTool.run(sim, sim.user(), "not-the-password",
                List.of("-I", "lan", "-A", "NONE"), T, "-N", "1", "-R", "1", "chassis", "power", "status");
        assertThat(legacyNone.exit()).isNotZero();
        assertThat(legacyNone.output()).contains("Authentication type NONE not supported");

        IpmiTool.Result legacyMd5 = IpmiTool.run(sim, sim.user(), sim.password(), List.of("-I", "lan", "-A", "MD5"),
                T, "chassis", "power", "status");
        assertThat(legacyMd5.out()).contains("Chassis Power is off");
        assertThat(sim.actions()).isEmpty();
    }

    /** What a client must refuse by itself: this BMC would let it in without the password. */
    @Test
    void cipherSuiteZeroAndWeakAuthLetAWrongPasswordIn() throws Exception {
        IpmiSim strict = start("strict", Options.defaults());
        IpmiTool.Result suiteZero = IpmiTool.run(strict, strict.user(), "not-the-password",
                List.of("-I", "lanplus", "-C", "0"), T, "chassis", "power", "status");
        assertThat(suiteZero.exit()).isZero();
        assertThat(suiteZero.out()).contains("Chassis Power is off");

        IpmiSim weak = start("weak", Options.defaults().withWeakAuth());
        IpmiTool.Result legacyNone = IpmiTool.run(weak, weak.user(), "not-the-password",
                List.of("-I", "lan", "-A", "NONE"), T, "chassis", "power", "status");
        assertThat(legacyNone.exit()).isZero();
        assertThat(legacyNone.out()).contains("Chassis Power is off");
    }

    @Test
    void solCarriesTextBothWays() throws Exception {
        IpmiSim sim = start("sol", Options.defaults().withSol());
        try (IpmiTool.Sol console = IpmiTool.Sol.activate(sim, T)) {
            sim.hostWrite("ctys-host login: ");
            console.readUntil("ctys-host login: ", T);
            console.type("root\r");
            assertThat(sim.hostReadUntil("root\r", T)).isEqualTo("root\r");
            sim.hostWrite("\r\nLast login: never\r\n");
            console.readUntil("Last login: never", T);
            assertThat(console.deactivate()).isZero();
        }
    }

    @Test
    void solBelongsToOneSessionAndAnotherMayEndIt() throws Exception {
        IpmiSim sim = start("sol-twice", Options.defaults().withSol());
        try (IpmiTool.Sol first = IpmiTool.Sol.activate(sim, T)) {
            assertThat(IpmiTool.ok(sim, "raw", "0x06", "0x4a", "0x01").strip()).isEqualTo("01 01 00");

            IpmiTool.Result second = IpmiTool.run(sim, "sol", "activate");
            assertThat(second.exit()).isNotZero();
            assertThat(second.output()).contains("SOL payload already active on another session");
            // Activate Payload, SOL instance 1, as a client sends it: completion code 0x80
            IpmiTool.Result raw = IpmiTool.run(sim, "raw", "0x06", "0x48", "0x01", "0x01", "0xc6", "0x00", "0x00",
                    "0x00");
            assertThat(raw.exit()).isNotZero();
            assertThat(raw.output()).contains("rsp=0x80");

            IpmiTool.ok(sim, "sol", "deactivate");
            assertThat(IpmiTool.ok(sim, "raw", "0x06", "0x4a", "0x01").strip()).isEqualTo("01 00 00");
            sim.hostWrite("nobody reads this\r\n");
            Thread.sleep(1000);
            assertThat(first.screen()).doesNotContain("nobody reads this");
            assertThat(first.running()).as("ipmitool is not told its SOL has gone").isTrue();
            first.deactivate();
            assertThat(first.screen()).contains("SOL payload already de-activated");
        }
        try (IpmiTool.Sol again = IpmiTool.Sol.activate(sim, T)) {
            sim.hostWrite("back again\r\n");
            again.readUntil("back again", T);
        }
    }

    @Test
    void twoSimulatorsRunSideBySide() throws Exception {
        IpmiSim a = start("a", Options.defaults());
        IpmiSim b = start("b", Options.defaults().withUser("other").withPassword("other-pw"));
        assertThat(a.port()).isNotEqualTo(b.port());
        IpmiTool.ok(a, "chassis", "power", "on");
        assertThat(status(a)).isEqualTo("Chassis Power is on");
        assertThat(status(b)).isEqualTo("Chassis Power is off");
        assertThat(a.actions()).containsExactly("power 1");
        assertThat(b.actions()).isEmpty();
        IpmiTool.Result crossed = IpmiTool.run(b, a.user(), a.password(), IpmiTool.LANPLUS, T, "-N", "1", "-R", "1",
                "chassis", "power", "status");
        assertThat(crossed.exit()).isNotZero();
    }

    @Test
    void aKilledBmcAnswersNoMore() throws Exception {
        IpmiSim sim = start("dies", Options.defaults().withSol());
        assertThat(status(sim)).isEqualTo("Chassis Power is off");
        sim.kill();
        assertThat(sim.alive()).isFalse();
        IpmiTool.Result silent = IpmiTool.run(sim, sim.user(), sim.password(), IpmiTool.LANPLUS, T,
                "-N", "1", "-R", "1", "chassis", "power", "status");
        assertThat(silent.exit()).isNotZero();
    }

    @Test
    void aStartThatFailsSaysWhy() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertThatThrownBy(() -> start("taken", Options.defaults().withPort(taken.getLocalPort())))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited 1 at start")
                    .hasMessageContaining("Unable to bind to LAN port: Address already in use");
        }
    }

    @Test
    void sixtyFourStartAtOnce() throws Exception {
        List<Long> singles = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            IpmiSim one = start("one-" + i, Options.defaults());
            singles.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertThat(status(one)).isEqualTo("Chassis Power is off");
            one.close();
            sims.remove(one);
        }

        ExecutorService pool = Executors.newFixedThreadPool(MANY);
        try {
            List<Callable<IpmiSim>> starts = new ArrayList<>();
            for (int i = 0; i < MANY; i++) {
                String name = "many-" + i;
                starts.add(() -> IpmiSim.start(work.resolve(name)));
            }
            long t1 = System.nanoTime();
            List<Future<IpmiSim>> started = pool.invokeAll(starts, 60, TimeUnit.SECONDS);
            long all = System.nanoTime() - t1;
            AssertionError failed = null;
            for (Future<IpmiSim> f : started) {
                try {
                    sims.add(f.get());
                } catch (ExecutionException e) {
                    if (failed == null) {
                        failed = new AssertionError("a start failed: " + e.getCause(), e.getCause());
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
            assertThat(sims.stream().map(IpmiSim::port).distinct()).hasSize(MANY);

            List<Callable<String>> asks = new ArrayList<>();
            for (IpmiSim sim : sims) {
                asks.add(() -> status(sim));
            }
            long t2 = System.nanoTime();
            List<Future<String>> answers = pool.invokeAll(asks, 60, TimeUnit.SECONDS);
            long statuses = System.nanoTime() - t2;
            for (Future<String> f : answers) {
                assertThat(f.get()).isEqualTo("Chassis Power is off");
            }
            System.out.printf("ipmi_sim start: one after the other %s ms; %d at once on %d CPUs %d ms;"
                            + " ipmitool power status against all %d ms%n", singles, MANY,
                    Runtime.getRuntime().availableProcessors(), TimeUnit.NANOSECONDS.toMillis(all),
                    TimeUnit.NANOSECONDS.toMillis(statuses));
        } finally {
            pool.shutdownNow();
        }
    }

    private static String status(IpmiSim sim) {
        return IpmiTool.ok(sim, "chassis", "power", "status").strip();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long until = System.nanoTime() + T.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > until) {
                fail("no " + what + " within " + T.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
