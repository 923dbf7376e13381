package org.ctys.plugins.pm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Libvirt;
import org.ctys.testkit.Proc;
import org.ctys.testkit.TinyGuest;
import org.ctys.transport.ipmi.IpmiSim;
import org.ctys.transport.ipmi.IpmiTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PM CANCEL=IPMI of a machine that has both a BMC (OpenIPMI's ipmi_sim on 127.0.0.1) and real
 * libvirt guests reached over SSH ({@link SelfHost}): the guests go down over SSH first, each
 * confirmed off, and only then is the BMC asked; a guest that does not stop keeps the BMC
 * untouched; FORCE goes to the BMC at once without SSH. ipmitool (-C 3) is the independent judge
 * of the chassis power.
 */
class PmCancelIpmiIT {
    @TempDir Path dir;
    Libvirt lv;
    SelfHost host;
    IpmiSim bmc;

    @BeforeEach
    void peers() throws Exception {
        lv = Libvirt.start();
        host = SelfHost.start(Files.createDirectories(dir.resolve("host")), "pmipmi", "10.237.2");
        bmc = IpmiSim.start(Files.createDirectories(dir.resolve("bmc")), IpmiSim.Options.defaults().poweredOn(true));
    }

    @AfterEach
    void stop() {
        try {
            if (bmc != null) bmc.close();
        } finally {
            try {
                if (host != null) host.close();
            } finally {
                if (lv != null) lv.close();
            }
        }
    }

    Path inventory(List<String> guests) throws Exception {
        Path pw = dir.resolve("bmc.pw");
        Files.writeString(pw, bmc.password() + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        return host.inventory(guests, "bmc: {address: 127.0.0.1, port: " + bmc.port() + ", user: " + bmc.user()
                + ", password-file: " + pw + "}");
    }

    String power() {
        IpmiTool.Result r = IpmiTool.run(bmc, "chassis", "power", "status");
        assertThat(r.exit()).as(r.output()).isZero();
        return r.out().strip();
    }

    void boot(TinyGuest g) throws Exception {
        lv.define(g);
        lv.start(g.name());
        lv.awaitReady(g.name(), PmCancelSelfIT.READY);
    }

    CtysRunner ctys(Path inv) {
        return new CtysRunner(host.home).inventory(inv).limit(PmCancelSelfIT.RUN_LIMIT);
    }

    @Test
    void ipmiShutsTheGuestsDownOverSshFirstThenTheBmcPowersOff() throws Exception {
        TinyGuest g = lv.acpiGuest("ctys-bmc1", "52:54:00:5e:3f:01");
        boot(g);
        Path inv = inventory(List.of(g.name()));

        String guestWhenBmcAsked = null;
        try (CtysRunner.Running r = ctys(inv).start("-t", "pm", "-a", "cancel=ipmi", "lab01")) {
            // the moment the BMC hears of it, the guest must already be off
            long until = System.nanoTime() + PmCancelSelfIT.RUN_LIMIT.toNanos();
            while (r.isAlive() && System.nanoTime() < until) {
                if (guestWhenBmcAsked == null && Files.exists(bmc.workDir().resolve("actions.log")) && !bmc.actions().isEmpty()) {
                    guestWhenBmcAsked = lv.state(g.name()).orElse("gone");
                }
                Thread.sleep(20);
            }
            int exit = r.end(Duration.ofSeconds(5));
            Proc.Outcome o = r.outcome();
            System.out.println("PmCancelIpmiIT: " + o);
            assertThat(exit).as("%s", o).isZero();
            assertThat(guestWhenBmcAsked).as("the guest when the BMC was first asked").isEqualTo("shut off");
            assertThat(host.callsOf("virsh")).contains("virsh -c qemu:///system shutdown " + g.name());
            assertThat(host.callsOf("systemctl")).as("no halt over SSH with IPMI").isEmpty();
            assertThat(bmc.actions()).containsExactly("shutdown");
            assertThat(power()).isEqualTo("Chassis Power is off");
            assertThat(o.err()).contains(g.name());
        }
    }

    @Test
    void aDeafGuestKeepsTheBmcFromBeingAsked() throws Exception {
        TinyGuest g = lv.deafGuest("ctys-bmc2", "52:54:00:5e:3f:02");
        boot(g);
        Path inv = inventory(List.of(g.name()));

        Proc.Outcome o = ctys(inv).run("-t", "pm", "-a", "cancel=ipmi,timeout:5s", "lab01");
        System.out.println("PmCancelIpmiIT: " + o);

        assertThat(o.exit()).as("%s", o).isEqualTo(1);
        assertThat(o.err()).contains(g.name()).contains("still-running");
        assertThat(Files.exists(bmc.workDir().resolve("actions.log")) ? bmc.actions() : List.of()).as("BMC requests").isEmpty();
        assertThat(power()).isEqualTo("Chassis Power is on");
        assertThat(lv.state(g.name())).contains("running");
    }

    @Test
    void ipmiForceGoesToTheBmcAtOnceWithoutSsh() throws Exception {
        // the guests are listed, but FORCE means the BMC stops everything: nothing is asked over SSH
        Path inv = inventory(List.of("ctys-bmc3"));

        Proc.Outcome o = ctys(inv).run("-t", "pm", "-a", "cancel=ipmi,force", "lab01");
        System.out.println("PmCancelIpmiIT: " + o);

        assertThat(o.exit()).as("%s", o).isZero();
        assertThat(bmc.actions()).containsExactly("power 0");
        assertThat(power()).isEqualTo("Chassis Power is off");
        assertThat(host.sshdLog()).as("sshd log").doesNotContain("Accepted");
        assertThat(host.calls()).isEmpty();
    }
}
