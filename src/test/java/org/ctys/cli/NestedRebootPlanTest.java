package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REBOOT of a guest that is a host itself: once started again, it is asked what to bring back
 * only after it takes SSH logins (its hypervisor says "running" as soon as its init runs, before
 * its sshd and libvirtd answer: NestedStackIT met exactly that with a container).
 */
class NestedRebootPlanTest {
    @TempDir Path home;

    private Path inventory() throws Exception {
        return Files.writeString(home.resolve("inventory.yaml"), """
                machines:
                  lab01:
                    host: 127.0.0.1
                    ssh: {user: root, port: 2222}
                    hypervisor: kvm
                    uri: lxc:///system
                    guests:
                      c1:
                        host: 10.219.0.2
                        hypervisor: kvm
                        ssh: {user: root}
                        guests:
                          v1: {}
                """);
    }

    @Test
    void theRestartedHostIsAskedForItsGuestsOnlyOnceItTakesLogins() throws Exception {
        Path inv = inventory();
        for (String[] args : new String[][] {{"-t", "kvm", "-a", "cancel=l:c1,reboot", "lab01"}, {"-t", "pm", "-a", "cancel=reboot", "lab01"}}) {
            String[] all = new String[args.length + 3];
            all[0] = "--inventory";
            all[1] = inv.toString();
            all[2] = "-n";
            System.arraycopy(args, 0, all, 3, args.length);
            CliRun r = CliRun.run(home, all);
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).as(String.join(" ", args)).containsSubsequence(
                    "ssh root@10.219.0.2 'virsh -c qemu:///system shutdown v1'",
                    "ssh -p 2222 root@127.0.0.1 'virsh -c lxc:///system shutdown c1'",
                    "ssh -p 2222 root@127.0.0.1 'virsh -c lxc:///system start c1'",
                    "wait until ssh root@10.219.0.2 true succeeds",
                    "ssh root@10.219.0.2 'LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all --managed-save 2>/dev/null || LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all'");
        }
    }
}
