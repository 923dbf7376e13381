package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ctys.engine.run.Progress;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.BmcWatchdog;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Note;
import org.ctys.spi.Plan;
import org.ctys.spi.Result;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.ctys.testkit.Proc;
import org.ctys.transport.ipmi.BmcAddress;
import org.ctys.transport.ipmi.BmcSession;
import org.ctys.transport.ipmi.IpmiClient;
import org.ctys.transport.ipmi.IpmiSim;
import org.ctys.transport.ipmi.IpmiTool;
import org.ctys.transport.ipmi.Watchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BMC watchdog armed for a job's time, against ipmi_sim with a QEMU (TCG) on its system
 * interface (ipmi-bmc-extern, codec VM): ipmi_sim accepts a watchdog whose action is a reset only
 * with such a machine connected, and carries the reset out by telling that QEMU, which with
 * -no-reboot exits instead of rebooting, so its exit is the reset seen from outside. ipmitool is
 * the independent witness of the timer's settings.
 */
@Timeout(120)
class WatchdogIT {
    private static final String QEMU = "/usr/bin/qemu-system-x86_64";
    @TempDir Path dir;
    private IpmiSim sim;
    private Process machine;

    @BeforeEach
    void start() throws Exception {
        Proc.require(QEMU, "qemu-system-x86");
        int vmPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(IpmiSim.HOST))) {
            vmPort = s.getLocalPort();
        }
        sim = IpmiSim.start(dir.resolve("bmc"), IpmiSim.Options.defaults().poweredOn(true).withSystemInterface(vmPort));
        machine = new ProcessBuilder(QEMU, "-machine", "pc,accel=tcg", "-nodefaults", "-display", "none", "-no-reboot",
                "-m", "64", "-chardev", "socket,id=ipmi0,host=" + IpmiSim.HOST + ",port=" + vmPort + ",reconnect=1",
                "-device", "ipmi-bmc-extern,chardev=ipmi0,id=bmc0", "-device", "isa-ipmi-kcs,bmc=bmc0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        awaitMachineConnected();
    }

    @AfterEach
    void stop() throws Exception {
        if (machine != null) {
            machine.destroy();
            if (!machine.waitFor(5, TimeUnit.SECONDS)) {
                machine.destroyForcibly();
                machine.waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (sim != null) sim.close();
    }

    /** ipmi_sim refuses a reset action (invalid data field) until the machine has connected and said it can be reset. */
    private void awaitMachineConnected() throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            IpmiTool.Result r = IpmiTool.run(sim, "raw", "0x06", "0x24", "0x04", "0x01", "0x00", "0x00", "0x64", "0x00");
            if (r.exit() == 0) break;
            assertThat(System.nanoTime()).as("QEMU connected to ipmi_sim's system interface: " + r.err()
                    + Files.readString(dir.resolve("qemu.log"))).isLessThan(until);
            Thread.sleep(200);
        }
        IpmiTool.ok(sim, "mc", "watchdog", "off");
    }

    private BmcSettings bmc() throws IOException {
        return sim.settings(dir, 3);
    }

    private static Report run(Step root) {
        Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> {
            throw new AssertionError("no SSH here");
        });
        return engine.run(new Plan("watchdog", List.of("lab07"), root));
    }

    /** A job's end: its verdict goes through the watchdog's stop, then is recorded as it comes out. */
    private static BmcWatchdog ended(BmcSettings bmc, Duration countdown, Verdict v, boolean timeWasUp) {
        return new BmcWatchdog("lab07", bmc, BmcWatchdog.Action.DISARM, countdown,
                new BmcWatchdog.Ending(v, timeWasUp, after -> new Note("lab07", after, Map.of())));
    }

    @Test
    void armedTheTimerIsSmsOsWithAHardResetAndTheCountdownAndDisarmedItIsStoppedWithTheMachineUntouched() throws Exception {
        try (IpmiClient client = new IpmiClient();
             BmcSession s = client.open(new BmcAddress(IpmiSim.HOST, sim.port(), sim.user(), 3, false),
                     sim.password().getBytes(StandardCharsets.UTF_8), null, IpmiClient.Privilege.OPERATOR)) {
            s.armWatchdog(Duration.ofSeconds(30));
            String armed = IpmiTool.ok(sim, "mc", "watchdog", "get");
            assertThat(armed).contains("SMS/OS").contains("Running").contains("Hard Reset").contains("Initial Countdown:      30.0 sec")
                    .contains("Pre-timeout interrupt:  None");
            Watchdog read = s.watchdog();
            assertThat(read.use()).isEqualTo(Watchdog.USE_SMS_OS);
            assertThat(read.action()).isEqualTo(Watchdog.ACTION_HARD_RESET);
            assertThat(read.initial()).isEqualTo(300);
            assertThat(read.firedAsSmsOs()).isFalse();

            s.disarmWatchdog(read.initial());
            assertThat(IpmiTool.ok(sim, "mc", "watchdog", "get")).contains("Stopped").contains("No action")
                    .contains("Timer Expiration Flags: None");
        }
        assertThat(machine.isAlive()).as("the machine was not reset").isTrue();
    }

    @Test
    void aJobWhoseTimeRanOutIsResetByTheWatchdogAndTheReportSaysSo() throws Exception {
        BmcSettings bmc = bmc();
        Duration countdown = Duration.ofSeconds(4);
        long started = System.nanoTime();
        Report r = run(new Step.Sequence(List.of(
                new BmcWatchdog("lab07", bmc, BmcWatchdog.Action.ARM, countdown, null),
                ended(bmc, countdown, Verdict.fail("expired", "fetched its script but posted no result before job J expired"), true),
                new BmcWatchdog("lab07", bmc, BmcWatchdog.Action.DISARM, countdown, null))));

        Result lab07 = r.results().get(0);
        assertThat(lab07.state()).as(lab07.message()).isEqualTo("watchdog-reset");
        assertThat(lab07.message()).isEqualTo("the BMC's watchdog reset lab07 after 4s: fetched its script but posted no result"
                + " before job J expired");
        assertThat(machine.waitFor(20, TimeUnit.SECONDS)).as("QEMU reset (and so ended, -no-reboot)").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(countdown);
        // stopped and its flag cleared once read
        assertThat(IpmiTool.ok(sim, "mc", "watchdog", "get")).contains("Stopped").contains("No action")
                .contains("Timer Expiration Flags: None");
    }

    @Test
    void aJobThatEndsInTimeLeavesTheWatchdogStoppedAndTheMachineRunning() throws Exception {
        BmcSettings bmc = bmc();
        Duration countdown = Duration.ofSeconds(5);
        Report r = run(new Step.Sequence(List.of(
                new BmcWatchdog("lab07", bmc, BmcWatchdog.Action.ARM, countdown, null),
                ended(bmc, countdown, Verdict.done("done", "script exit 0"), false),
                new BmcWatchdog("lab07", bmc, BmcWatchdog.Action.DISARM, countdown, null))));

        Result lab07 = r.results().get(0);
        assertThat(lab07.status()).as(lab07.message()).isEqualTo(Result.Status.OK);
        assertThat(lab07.message()).isEqualTo("script exit 0");
        assertThat(IpmiTool.ok(sim, "mc", "watchdog", "get")).contains("Stopped").contains("No action");
        // past the countdown: a timer left running would have reset it by now
        assertThat(machine.waitFor(countdown.plusSeconds(3).toMillis(), TimeUnit.MILLISECONDS)).as("QEMU still running").isFalse();
        assertThat(IpmiTool.ok(sim, "mc", "watchdog", "get")).contains("Timer Expiration Flags: None");
    }

    @Test
    void aFailureBeforeTheJobsEndIsFollowedByTheLastStop() throws Exception {
        BmcSettings bmc = bmc();
        Duration countdown = Duration.ofSeconds(5);
        Report r = run(new Step.Sequence(List.of(
                new BmcWatchdog("lab07", bmc, BmcWatchdog.Action.ARM, countdown, null),
                new Note("lab07", Verdict.fail("bmc-refused", "the power on was refused"), Map.of()),
                ended(bmc, countdown, Verdict.done("done", "never reached"), false),
                new BmcWatchdog("lab07", bmc, BmcWatchdog.Action.DISARM, countdown, null))));

        assertThat(r.results().get(0).state()).isEqualTo("bmc-refused");
        assertThat(IpmiTool.ok(sim, "mc", "watchdog", "get")).contains("Stopped").contains("No action");
        assertThat(machine.waitFor(countdown.plusSeconds(3).toMillis(), TimeUnit.MILLISECONDS)).as("QEMU still running").isFalse();
    }
}
