package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ctys.engine.run.Progress;
import org.ctys.exit.ExitStatus;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.BmcPower;
import org.ctys.spi.BootFlagsCheck;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Plan;
import org.ctys.spi.Result;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.ctys.transport.ipmi.IpmiSim;
import org.ctys.transport.ipmi.IpmiTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A boot job's BMC side through ctys's own RMCP+ client against ipmi_sim: the boot device is set for
 * the next boot and the machine powered on, or cycled when it is on; afterwards the boot flags are
 * read back, and a device still set fails the machine while the disk lets its verdict stand. The
 * simulator's chassis program records every request; ipmitool is the independent witness.
 */
@Timeout(90)
class BootOnceIT {
    @TempDir Path dir;
    private IpmiSim sim;

    @AfterEach
    void stop() {
        if (sim != null) sim.close();
    }

    private BmcSettings bmc() throws Exception {
        return sim.settings(dir, 3);
    }

    private static Report run(Step root) {
        Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> {
            throw new AssertionError("no SSH here");
        });
        return engine.run(new Plan("boot", List.of("lab07"), root));
    }

    private static Step job(BmcSettings bmc, String via) {
        return new Step.Sequence(List.of(new BmcPower("lab07", bmc, BmcPower.Procedure.BOOT_ONCE, via, null, false, "NONE"),
                new BootFlagsCheck("lab07", bmc, Verdict.done("done", "script exit 0"))));
    }

    @Test
    void aMachineThatIsOffIsPoweredOnAndABootDeviceStillSetAfterwardsFailsIt() throws Exception {
        sim = IpmiSim.start(dir.resolve("bmc"), IpmiSim.Options.defaults());
        Report r = run(job(bmc(), "PXE"));

        assertThat(sim.actions()).containsExactly("boot pxe", "power 1");
        assertThat(IpmiTool.ok(sim, "chassis", "power", "status")).contains("Chassis Power is on");
        Result lab07 = r.results().get(0);
        // nothing used the boot device (no BIOS here): the check says so
        assertThat(lab07.status()).isEqualTo(Result.Status.FAILED);
        assertThat(lab07.state()).isEqualTo("boot-flags-set");
        assertThat(lab07.message()).isEqualTo("script exit 0; but the BMC still names pxe as the boot device (it keeps no valid"
                + " bit), not the disk");
        assertThat(lab07.fields()).containsEntry("next-boot", "pxe");
        assertThat(r.status()).isEqualTo(ExitStatus.FAILED);
    }

    @Test
    void aMachineThatIsOnIsCycledAndTheDiskAfterwardsLetsTheVerdictStand() throws Exception {
        sim = IpmiSim.start(dir.resolve("bmc"), IpmiSim.Options.defaults().poweredOn(true));
        BmcSettings bmc = bmc();
        // between the boot and the check, what the machine's firmware does once it has used the device
        // (here ipmitool, reading the password from its file): the next boot is the disk's again
        String firmware = "/usr/bin/ipmitool -I lanplus -C 3 -H " + IpmiSim.HOST + " -p " + sim.port() + " -U " + sim.user()
                + " -f " + dir.resolve("bmc.pw") + " chassis bootdev disk";
        Report r = run(new Step.Sequence(List.of(
                new BmcPower("lab07", bmc, BmcPower.Procedure.BOOT_ONCE, "CDROM", null, false, "NONE"),
                new RunCommand("lab07", null, firmware, Duration.ofSeconds(30), Verdict.proceed("used", "boot device used")),
                new BootFlagsCheck("lab07", bmc, Verdict.done("done", "script exit 0")))));

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sim.actions().size() < 4 && System.nanoTime() < deadline) Thread.sleep(50);
        // the cycle's power 1 comes from ipmi_sim's own timer a second later, before or after the firmware's step
        assertThat(sim.actions().subList(0, 2)).containsExactly("boot cdrom", "power 0");
        assertThat(sim.actions()).containsExactlyInAnyOrder("boot cdrom", "power 0", "boot default", "power 1");
        Result lab07 = r.results().get(0);
        assertThat(lab07.status()).as(lab07.message()).isEqualTo(Result.Status.OK);
        assertThat(lab07.message()).isEqualTo("script exit 0; the next boot goes to the disk");
        assertThat(lab07.fields()).containsEntry("next-boot", "disk");
        assertThat(r.status()).isEqualTo(ExitStatus.OK);
    }
}
