package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM stack's dry runs: the whole walk, as the commands a person would type, for the guests
 * the inventory lists; nothing is contacted.
 */
class StackDryRunTest {
    @TempDir Path home;
    private Map<String, String> env;

    @BeforeEach
    void inventory() throws IOException {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, """
                defaults:
                  ssh: {user: root}
                machines:
                  lab01:
                    host: 10.0.0.1
                    hypervisor: kvm
                    bmc: {address: 10.0.0.101, user: admin, password-file: bmc.pw}
                    guests:
                      web1: {host: 10.0.1.40}
                      c1:
                        hypervisor: kvm
                        via-host-only: true
                        guests:
                          vm1: {}
                  lab02:
                    host: 10.0.0.2
                    hypervisor: xen
                    guests:
                      dom1: {}
                  lab03:
                    host: 10.0.0.3
                    hypervisor: kvm
                    uri: lxc:///system
                  lab06:
                    host: 2001:db8::10
                    ssh: {port: 2222}
                """);
        Path pw = home.resolve("bmc.pw");
        Files.writeString(pw, "not-shown-anywhere");
        Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        env = Map.of("CTYS_INVENTORY", inv.toString());
    }

    private CliRun dry(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "-n";
        System.arraycopy(args, 0, all, 1, args.length);
        CliRun r = CliRun.run(home, env, all);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("not-shown-anywhere");
        return r;
    }

    /** Bare, "2001:db8::10:2222" would be the address 2001:db8::10:2222 on port 22: another machine. */
    @Test
    void aHostWithAnIpv6AddressAndAPortIsAJumpHostInBrackets() {
        String out = dry("-t", "cli", "-a", "create=cmd:true", "lab06[vm9]").out();
        assertThat(out).contains("ssh -J 'root@[2001:db8::10]:2222' root@vm9 true");
    }

    @Test
    void pmCancelShowsTheNestedWalkDeepestFirstAndTheBmcLast() {
        String out = dry("-t", "pm", "-a", "cancel=ipmi", "lab01").out();
        assertThat(out).containsSubsequence(
                "ssh root@10.0.0.1 'LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all --managed-save 2>/dev/null || LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all'",
                "# lab01: if the inventory's guests of lab01 run (web1, c1):",
                "ssh root@10.0.0.1 'virsh -c qemu:///system shutdown web1'",
                "until ssh root@10.0.0.1 'LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system domstats --state 2>/dev/null || LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all' says shut off: every 250ms, at most 2m",
                "ssh -J root@10.0.0.1 root@c1 'LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all --managed-save",
                "ssh -J root@10.0.0.1 root@c1 'virsh -c qemu:///system shutdown vm1'",
                "# once lab01[c1][vm1] ended well:",
                "ssh root@10.0.0.1 'virsh -c qemu:///system shutdown c1'",
                "# once lab01[web1], lab01[c1] ended well:",
                "ipmitool -I lanplus -C 3 -H 10.0.0.101 -U admin -E chassis power soft");
    }

    @Test
    void guestTypesNameTheirHostsUriAndShowWhatTheyWaitFor() {
        assertThat(dry("-t", "kvm", "-a", "cancel=l:x1,force,timeout:30s", "lab03").out())
                .contains("ssh root@10.0.0.3 'virsh -c lxc:///system shutdown x1'")
                .contains("says shut off: every 250ms, at most 30s, or as soon as virsh event there says so; if not, then:")
                .contains("ssh root@10.0.0.3 'virsh -c lxc:///system destroy x1'");
        assertThat(dry("-t", "xen", "-a", "cancel=all", "lab02").out())
                .contains("ssh root@10.0.0.2 'xl shutdown -F dom1'").contains("'xl list dom1' says shut off: every 250ms, at most 2m\n");
        assertThat(dry("-t", "kvm", "-a", "cancel=l:web1,suspend", "lab01").out())
                .contains("'virsh -c qemu:///system managedsave web1'");
    }

    @Test
    void createWaitsForTheGuestsAddressWhenTheInventoryKnowsIt() {
        String known = dry("-t", "kvm", "-a", "create=l:web1,sshping:5%1s", "lab01").out();
        assertThat(known).containsSubsequence("# lab01[web1]: unless it runs:", "ssh root@10.0.0.1 'virsh -c qemu:///system start web1'",
                "says running", "wait until 10.0.1.40 answers ping or TCP 22: up to 60 tries, 2s apart, at most 2m",
                "wait until ssh root@10.0.1.40 true succeeds: up to 5 tries, 1s apart");
        // vm1 has no host: in the inventory, so there is no address to wait for
        assertThat(dry("-t", "kvm", "-a", "create", "lab01[c1][vm1]").out()).doesNotContain("answers ping");
        CliRun r = CliRun.run(home, env, "-n", "-t", "kvm", "-a", "create", "lab01[web1]");
        assertThat(r.status()).isZero();
        // the address is waited for only once the guest runs: the plan says so after asking
        assertThat(r.out()).contains("virsh -c qemu:///system list --all --uuid");
    }

    @Test
    void theSeedLinesOfTheOriginalManualArePlansNow() {
        assertThat(dry("-t", "pm", "-a", "cancel=l:tst100,POWEROFF:0", "lab01").out())
                .startsWith("ctys -t PM -a CANCEL (tst100): shut down the guests of 1 machine").contains("lab01 stays up");
        assertThat(dry("-t", "pm", "-a", "cancel=l:tst001,REBOOT,SELF", "lab01").out())
                .startsWith("ctys -t PM -a CANCEL (tst001): shut down the guests of and reboot 1 machine")
                .contains("systemctl --no-block reboot").contains("wait until 10.0.0.1 answers ping or TCP 22");
    }

    @Test
    void everyTypesListInOneRun() {
        String out = dry("-T", "all", "-a", "list").out();
        assertThat(out).contains("ctys -t KVM -a LIST: the guests of 3 hosts (virsh)").contains("ctys -t XEN -a LIST: the guests of 1 host (xl)")
                .contains("ctys -t PM -a LIST");
    }
}
