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

/**
 * -t boot on the command line: the plan of a job as typed commands (ssh ... ctys-bootd ..., ipmitool
 * ...), where the boot server comes from, and every mistake refused with its status before anything
 * is sent.
 */
class BootCliTest {
    @TempDir Path home;
    private Path script;
    private Path pw;

    @BeforeEach
    void files() throws IOException {
        script = home.resolve("fix.sh");
        Files.writeString(script, "#!/bin/sh\nfsck -y /dev/sda1\n");
        pw = home.resolve("bmc.pw");
        Files.writeString(pw, "secret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
    }

    private CliRun run(Map<String, String> env, String... args) { return CliRun.run(home, env, args); }

    private Map<String, String> inventory(String bootServer) throws IOException {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, bootServer + """
                machines:
                  lab07:
                    host: 10.0.0.7
                    mac: 52:54:00:12:34:07
                    bmc: {address: 10.0.1.7, port: 6230, user: admin, password-file: %s}
                  lab08:
                    host: 10.0.0.8
                    mac: 52:54:00:12:34:08
                    bmc: {address: 10.0.1.8, user: admin, password-file: %s}
                  nomac:
                    bmc: {address: 10.0.1.9, user: admin, password-file: %s}
                  nobmc: {host: 10.0.0.10, mac: 52:54:00:12:34:10}
                  boot: {host: 10.0.0.2, ssh: {user: ops, port: 2222, jump: [root@gw]}}
                """.formatted(pw, pw, pw));
        return Map.of("CTYS_INVENTORY", inv.toString());
    }

    private Map<String, String> withServer() throws IOException {
        return inventory("boot-server: {ssh: root@boot.example, config: /srv/bootd.yaml}\n");
    }

    @Test
    void createPrintsEveryStepAsTypedWithTheJobIdAPlaceholder() throws IOException {
        CliRun r = run(withServer(), "-n", "-t", "boot", "-a", "create=script:" + script + ",via:pxe,timeout:5m", "lab07");
        assertThat(r.status()).as(r.err()).isZero();
        String ipmitool = "ipmitool -I lanplus -C 3 -H 10.0.1.7 -p 6230 -U admin -E";
        assertThat(r.out()).isEqualTo("ctys -t BOOT -a CREATE: 1 machine boot once from PXE into the recovery system, which runs "
                + script + " (server boot.example, at most 5m each)\n"
                + "  ssh root@boot.example 'ctys-bootd --config /srv/bootd.yaml job add --machine lab07 --mac 52:54:00:12:34:07"
                + " --via pxe --limit 5m'  # standard input: " + script + "; its answer decides the rest; then:\n"
                + "    in order:\n"
                + "      " + ipmitool + " chassis bootdev pxe; " + ipmitool + " chassis power on   # or: chassis power cycle, when it is on\n"
                + "      ssh root@boot.example 'ctys-bootd --config /srv/bootd.yaml job await JOB_ID --limit 5m'  # each line it prints"
                + " is a change, followed as it comes\n"
                + "      " + ipmitool + " chassis bootparam get 5   # the next boot must go to the disk again\n");
        assertThat(r.out() + r.err()).doesNotContain("secret");
    }

    @Test
    void consoleSolIsOpenedFirstAndTheJobRunsBesideIt() throws IOException {
        CliRun r = run(withServer(), "-n", "-t", "boot", "-a", "create=script:" + script + ",console:sol", "lab07");
        assertThat(r.status()).as(r.err()).isZero();
        String ipmitool = "ipmitool -I lanplus -C 3 -H 10.0.1.7 -p 6230 -U admin -E";
        assertThat(r.out()).contains("\n  on this terminal, while the steps below it run (left when its boot job has ended; the user may"
                + " leave earlier):\n    " + ipmitool + " sol activate   # leave with ~. after a newline\n    ssh root@boot.example"
                + " 'ctys-bootd --config /srv/bootd.yaml job add --machine lab07");
        assertThat(r.out() + r.err()).doesNotContain("secret");
    }

    @Test
    void manyMachinesEachGetTheirOwnJobAtTheSameTimeCdromAndKeepAsAsked() throws IOException {
        CliRun r = run(withServer(), "-n", "-t", "boot", "-a", "create=script:" + script + ",via:cdrom,keep", "lab[07-08]");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 machines boot once from CDROM").contains("at most 10m each").contains("at the same time:")
                .contains("job add --machine lab07 --mac 52:54:00:12:34:07 --via cdrom --limit 10m --keep'")
                .contains("job add --machine lab08 --mac 52:54:00:12:34:08 --via cdrom --limit 10m --keep'")
                .contains("-H 10.0.1.8 -U admin -E chassis bootdev cdrom");
    }

    @Test
    void theServerIsReachedAsItsMachineEntrySaysAndLocalhostRunsHere() throws IOException {
        CliRun viaEntry = run(inventory("boot-server: {ssh: boot}\n"), "-n", "-t", "boot", "-a", "list");
        assertThat(viaEntry.status()).as(viaEntry.err()).isZero();
        assertThat(viaEntry.out()).contains("ssh -J root@gw -p 2222 ops@10.0.0.2 'ctys-bootd --config /etc/ctys/bootd.yaml job list --json'");

        CliRun local = run(inventory("boot-server: {ssh: localhost}\n"), "-n", "-t", "boot", "-a", "create=script:" + script, "lab07");
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(local.out()).contains("sh -c 'ctys-bootd --config /etc/ctys/bootd.yaml job add --machine lab07")
                .doesNotContain("ssh ");

        // SERVER: names the host; the inventory's config path stays
        CliRun other = run(withServer(), "-n", "-t", "boot", "-a", "cancel=job:ABCDEFGHJKMN,server:alice@b2:2200");
        assertThat(other.status()).as(other.err()).isZero();
        assertThat(other.out()).contains("ssh -p 2200 alice@b2 'ctys-bootd --config /srv/bootd.yaml job cancel ABCDEFGHJKMN'");
    }

    @Test
    void cancelAllListsTheMachinesJobsFirst() throws IOException {
        CliRun r = run(withServer(), "-n", "-t", "boot", "-a", "cancel=all", "lab07");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("the pending jobs of lab07 on boot.example")
                .contains("ssh root@boot.example 'ctys-bootd --config /srv/bootd.yaml job list --json'");
    }

    @Test
    void badInputIsRefusedWithOneLineAndItsStatusBeforeAnythingIsSent() throws IOException {
        Map<String, String> env = withServer();
        assertUsage(run(env, "-t", "boot", "-a", "create", "lab07"), "CREATE needs SCRIPT:<file>");
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + home.resolve("none.sh"), "lab07"), "none.sh': no such file");
        Path empty = Files.createFile(home.resolve("empty.sh"));
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + empty, "lab07"), "the script is empty");
        Path big = home.resolve("big.sh");
        Files.write(big, new byte[1024 * 1024 + 1]);
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + big, "lab07"), "larger than the limit of 1024 KiB");
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + home, "lab07"), "is a directory");
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + script + ",via:usb", "lab07"), "'usb' is not one of PXE|CDROM");
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + script + ",timeout:5s", "lab07"), "between 10s and 24h");
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + script + ",console:sol", "lab07", "lab08"),
                "'CONSOLE:SOL' puts one machine's console on this terminal: name one machine, not 2");
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + script + ",console:vnc", "lab07"), "'vnc' is not one of SOL");
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + script), "no machine");
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + script, "lab07[vm1]"), "is a stack address");
        assertUsage(run(env, "-t", "boot", "-a", "create=script:" + script + ",server:a@b@", "lab07"), "SERVER:a@b@");
        assertUsage(run(env, "-t", "boot", "-a", "cancel", "lab07"), "CANCEL needs JOB:<id> or ALL");
        assertUsage(run(env, "-t", "boot", "-a", "cancel=all"), "name them");
        assertUsage(run(env, "-t", "boot", "-a", "cancel=job:a;b"), "no job id");
        assertUsage(run(env, "-t", "boot", "-a", "cancel=job:ABC", "lab07", "lab08"), "is one job");
        assertUsage(run(env, "-t", "boot", "-a", "cancel=job:ABC,all", "lab07"), "exclude each other");

        assertConfig(run(env, "-t", "boot", "-a", "create=script:" + script, "nobmc"), "no BMC known for 'nobmc'");
        assertConfig(run(env, "-t", "boot", "-a", "create=script:" + script, "nomac"), "no MAC known for 'nomac'");
        assertConfig(run(env, "-t", "boot", "-a", "create=script:" + script, "lab07", "unknown"), "no BMC known for 'unknown'");
        assertConfig(run(inventory(""), "-t", "boot", "-a", "create=script:" + script, "lab07"), "no boot server: give SERVER:");
        assertConfig(run(inventory(""), "-t", "boot", "-a", "list"), "no boot server");
    }

    @Test
    void aBadBootServerEntryIsAConfigurationErrorNamingItsLine() throws IOException {
        assertConfig(run(inventory("boot-server: {config: /x.yaml}\n"), "-t", "boot", "-a", "list"), "boot-server needs ssh:");
        assertConfig(run(inventory("boot-server: {ssh: b, config: x.yaml}\n"), "-t", "boot", "-a", "list"), "absolute");
        assertConfig(run(inventory("boot-server: {ssh: b, port: 22}\n"), "-t", "boot", "-a", "list"), "unknown key 'port' in boot-server");
        assertConfig(run(inventory("boot-server: {ssh: 'b:0'}\n"), "-t", "boot", "-a", "list"), "bad port '0'");
    }

    @Test
    void allTypesLeaveTheBootServerOutAndTheTypesHelpTellsTheFlow() {
        CliRun all = run(Map.of(), "-n", "-T", "all", "-a", "list");
        assertThat(all.status()).as(all.err()).isZero();
        assertThat(all.out()).doesNotContain("BOOT");
        CliRun help = run(Map.of(), "-t", "boot", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("create=[SCRIPT:<file>],[VIA:PXE|CDROM],[TIMEOUT:<d>],[KEEP],[CONSOLE:SOL],[SERVER:[<user>@]<host>[:<port>]]")
                .contains("cancel=[JOB:<id>],[ALL]").contains("the next boot must go to the disk");
    }

    private static void assertUsage(CliRun r, String message) {
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.firstErrLine()).contains(message);
    }

    private static void assertConfig(CliRun r, String message) {
        assertThat(r.status()).as(r.err()).isEqualTo(3);
        assertThat(r.firstErrLine()).contains(message);
    }
}
