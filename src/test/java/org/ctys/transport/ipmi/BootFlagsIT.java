package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot flags read back through ctys's own RMCP+ client (Get System Boot Options, parameter 5)
 * against OpenIPMI's ipmi_sim, with ipmitool as the independent witness: a device set once reads
 * back valid, and once the valid bit is cleared (as a BIOS does after using the flags) the next boot
 * goes to the disk.
 */
@Timeout(60)
class BootFlagsIT {

    @TempDir
    Path work;

    private IpmiSim sim;

    @AfterEach
    void stop() {
        if (sim != null) sim.close();
    }

    private BmcSession open(IpmiClient client) throws Exception {
        return client.open(new BmcAddress(IpmiSim.HOST, sim.port(), sim.user(), 3, false),
                sim.password().getBytes(StandardCharsets.UTF_8), null, IpmiClient.Privilege.OPERATOR);
    }

    /**
     * ipmi_sim hands only the device to its chassis program and answers data 1 as 00: the valid and
     * persistent bits are not kept. So the device carries the meaning here; the bits are read from
     * real BMCs' answers in BootFlagsTest.
     */
    @Test
    void pxeSetOnceReadsBackAsPxeAndTheDiskAfterwardsReadsBackAsTheDisk() throws Exception {
        sim = IpmiSim.start(work.resolve("bmc"), IpmiSim.Options.defaults());
        try (IpmiClient client = new IpmiClient(); BmcSession s = open(client)) {
            BootFlags before = s.bootFlags();
            assertThat(before.nextBootFromDisk()).as(before.text()).isTrue();

            s.bootDevice(BootDevice.PXE, false);
            assertThat(IpmiTool.ok(sim, "chassis", "bootparam", "get", "5")).contains("Force PXE");
            BootFlags set = s.bootFlags();
            assertThat(set.device()).isEqualTo("pxe");
            assertThat(set.valid()).as("ipmi_sim keeps no valid bit").isFalse();
            assertThat(sim.bootDevice()).isEqualTo("pxe");

            s.bootDevice(BootDevice.CDROM, false);
            assertThat(s.bootFlags().device()).isEqualTo("cdrom");
            assertThat(IpmiTool.ok(sim, "chassis", "bootparam", "get", "5")).contains("Force Boot from CD/DVD");

            // the next boot back to the disk, set by another client: ctys reads it so
            IpmiTool.ok(sim, "chassis", "bootdev", "disk");
            BootFlags disk = s.bootFlags();
            assertThat(disk.device()).isIn("none", "disk");
            assertThat(disk.nextBootFromDisk()).isTrue();
        }
    }
}
