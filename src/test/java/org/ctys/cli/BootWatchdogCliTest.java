package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -t boot -a create=...,WATCHDOG on the command line: the arm and the stop in the plan, and a TIMEOUT the watchdog cannot count refused. */
class BootWatchdogCliTest {
    @TempDir Path home;
    private Path script;
    private Map<String, String> env;

    @BeforeEach
    void files() throws IOException {
        script = home.resolve("fix.sh");
        Files.writeString(script, "#!/bin/sh\nfsck -y /dev/sda1\n");
        Path pw = home.resolve("bmc.pw");
        Files.writeString(pw, "secret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, """
                boot-server: {ssh: root@boot.example, config: /srv/bootd.yaml}
                machines:
                  lab07:
                    host: 10.0.0.7
                    mac: 52:54:00:12:34:07
                    bmc: {address: 10.0.1.7, port: 6230, user: admin, password-file: %s}
                """.formatted(pw));
        env = Map.of("CTYS_INVENTORY", inv.toString());
    }

    @Test
    void theWatchdogIsArmedBeforeThePowerOnAndStoppedWhenTheJobEnds() {
        CliRun r = CliRun.run(home, env, "-n", "-t", "boot", "-a", "create=script:" + script + ",timeout:5m,watchdog", "lab07");
        assertThat(r.status()).as(r.err()).isZero();
        String ipmitool = "ipmitool -I lanplus -C 3 -H 10.0.1.7 -p 6230 -U admin -E";
        assertThat(r.out()).contains("    in order:\n"
                + "      # Set Watchdog Timer (IPMI App 24h): SMS/OS, hard reset after 5m, no pre-timeout; " + ipmitool
                + " mc watchdog reset   # starts it\n"
                + "      " + ipmitool + " chassis bootdev pxe; " + ipmitool + " chassis power on   # or: chassis power cycle, when it is on\n"
                + "      ssh root@boot.example 'ctys-bootd --config /srv/bootd.yaml job await JOB_ID --limit 5m'  # each line it prints"
                + " is a change, followed as it comes\n"
                + "      " + ipmitool + " mc watchdog get   # has it reset the machine? the time was up: let it do so, then"
                + " # Set Watchdog Timer: stopped\n"
                + "      " + ipmitool + " chassis bootparam get 5   # the next boot must go to the disk again\n");
        assertThat(r.out() + r.err()).doesNotContain("secret");
    }

    @Test
    void aTimeoutBeyondTheWatchdogsCountIsAUsageErrorNamingBoth() {
        CliRun r = CliRun.run(home, env, "-t", "boot", "-a", "create=script:" + script + ",timeout:2h,watchdog", "lab07");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.firstErrLine()).contains("'WATCHDOG'").contains("'TIMEOUT:2h'").contains("6553.5s");
        // the longest it counts is still a job's time
        CliRun max = CliRun.run(home, env, "-n", "-t", "boot", "-a", "create=script:" + script + ",timeout:6553s,watchdog", "lab07");
        assertThat(max.status()).as(max.err()).isZero();
        assertThat(max.out()).contains("hard reset after 6553s");
    }
}
