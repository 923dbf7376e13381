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
 * CONSOLE: on CREATE as plans: the steps that bring the machine up, then the console, as the
 * commands a person would type; and the errors that stop a command line before anything is sent.
 */
class ConsoleDryRunTest {
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
                    mac: "52:54:00:00:00:01"
                    hypervisor: kvm
                    bmc: {address: 10.0.0.101, user: admin, password-file: bmc.pw}
                    serial: {device: /dev/ttyS7, speed: 9600, parity: e, bits: 7}
                    vnc: {password-file: bmc.pw}
                    guests:
                      web1: {host: 10.0.1.40}
                  lab02:
                    host: 10.0.0.2
                    mac: "52:54:00:00:00:02"
                    hypervisor: xen
                """);
        Path pw = home.resolve("bmc.pw");
        Files.writeString(pw, "not-shown-anywhere");
        Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // the window consoles look for their terminal on PATH: one that is there, whatever this machine has
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String t : new String[] {"xterm", "gnome-terminal", "xtigervncviewer"}) {
            Path p = Files.writeString(bin.resolve(t), "#!/bin/sh\nexit 1\n");
            p.toFile().setExecutable(true);
        }
        env = Map.of("CTYS_INVENTORY", inv.toString(), "PATH", bin + ":/usr/bin:/bin");
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

    private CliRun refused(int status, String... args) {
        CliRun r = CliRun.run(home, env, args);
        assertThat(r.status()).as(r.err()).isEqualTo(status);
        assertThat(r.out()).isEmpty();
        return r;
    }

    @Test
    void kvmConsoleSerialStartsTheGuestThenAttachesToVirshConsoleOnItsHost() {
        String out = dry("-t", "kvm", "-a", "create=l:web1,console:serial", "lab01").out();
        assertThat(out).containsSubsequence("then its console",
                "ssh root@10.0.0.1 'virsh -c qemu:///system start web1'",
                "ssh -t root@10.0.0.1 'virsh -c qemu:///system console web1'   # leave with ~. after a newline");
        assertThat(dry("-t", "kvm", "-a", "create=l:web1,console:serial,force,connect", "lab01").out())
                .contains("ssh -t root@10.0.0.1 'virsh -c qemu:///system console --force web1'");
        assertThat(dry("-t", "xen", "-a", "create=l:dom1,console:serial", "lab02").out())
                .contains("ssh -t root@10.0.0.2 'xl console dom1'");
    }

    @Test
    void aGuestsSshConsoleWaitsForALoginAtItsAddressThenOpensTheShell() {
        String out = dry("-t", "kvm", "-a", "create=l:web1,console:cli", "lab01").out();
        assertThat(out).containsSubsequence("virsh -c qemu:///system start web1",
                "wait until ssh root@10.0.1.40 true succeeds", "ssh -t root@10.0.1.40");
        String windows = dry("-t", "kvm", "-a", "create=l:web1,console:xterm,reuse", "lab01").out();
        assertThat(windows).containsSubsequence("then a window each", "# once lab01[web1] ended well:",
                "xterm -T 'lab01[web1]' -e ctys --inventory", "-t cli -a create -- 'root@lab01[web1]'");
    }

    @Test
    void pmConsolesFollowTheWake() {
        assertThat(dry("-t", "pm", "-a", "create=console:cli,reuse", "lab01").out()).containsSubsequence(
                "then a shell on lab01", "wakeonlan", "wait until ssh root@10.0.0.1 true succeeds", "ssh -t root@10.0.0.1");
        assertThat(dry("-t", "pm", "-a", "create=console:cli,sshping:off", "lab01").out())
                .doesNotContain("true succeeds").contains("ssh -t root@10.0.0.1");
        assertThat(dry("-t", "pm", "-a", "create=console:gterm", "lab01", "lab02").out()).containsSubsequence(
                "then a window each", "# once lab01 ended well:", "gnome-terminal --title=lab01",
                "# once lab02 ended well:", "gnome-terminal --title=lab02");
        assertThat(dry("-t", "pm", "-a", "create=console:sol", "lab01").out())
                .containsSubsequence("wakeonlan", "ipmitool -I lanplus -C 3 -H 10.0.0.101 -U admin -E sol activate");
    }

    @Test
    void consolesThatCannotBeOpenedStopTheCommandLine() {
        assertThat(refused(3, "-t", "pm", "-a", "create=console:sol", "lab02").err()).contains("no BMC known for 'lab02'");
        assertThat(refused(3, "-t", "kvm", "-a", "create=l:db9,console:cli", "lab01").err())
                .contains("no address known for guest 'db9' of lab01[db9]");
    }

    @Test
    void pmConsoleVncShowsEachMachinesRunningDisplayOnceItTakesLogins() {
        String out = dry("-t", "pm", "-a", "create=console:vnc,reuse", "lab01", "lab02").out();
        String viewer = home.resolve("bin/xtigervncviewer").toString();
        assertThat(out).containsSubsequence("then a VNC viewer each", "wakeonlan",
                "wait until ssh root@10.0.0.1 true succeeds", "wait until ssh root@10.0.0.2 true succeeds",
                "# once lab01 ended well:", "ssh root@10.0.0.1 'ss -ltnH'   # find the display",
                "ssh -N -L '127.0.0.1:<local-port>:localhost:<port>' root@10.0.0.1",
                viewer + " -passwd '<file>' '127.0.0.1::<local-port>'",
                "# detached: setsid ctys --inventory " + home.resolve("inventory.yaml") + " -t vnc -a create=FOREGROUND -- root@lab01",
                "# once lab02 ended well:", "ssh root@10.0.0.2 'ss -ltnH'", viewer + " '127.0.0.1::<local-port>'",
                "-t vnc -a create=FOREGROUND -- root@lab02");
        // the same step -t vnc plans for the machine
        String direct = dry("-t", "vnc", "-a", "create", "lab01").out();
        String viewLine = direct.lines().filter(l -> l.contains("127.0.0.1::<local-port>")).findFirst().orElseThrow().strip();
        assertThat(out).contains(viewLine);
    }

    @Test
    void guestConsoleVncShowsItsHypervisorsDisplayOnceItRuns() {
        String out = dry("-t", "kvm", "-a", "create=l:web1,console:vnc,reuse", "lab01").out();
        assertThat(out).containsSubsequence("then a VNC viewer each", "virsh -c qemu:///system start web1",
                "# once lab01[web1] ended well:", "ssh root@10.0.0.1 'virsh -c qemu:///system vncdisplay web1'   # find the display",
                "ssh -N -L '127.0.0.1:<local-port>:localhost:<port>' root@10.0.0.1",
                "-t vnc -a create=FOREGROUND -- 'root@lab01[web1]'");
        String direct = dry("-t", "vnc", "-a", "create", "lab01[web1]").out();
        String viewLine = direct.lines().filter(l -> l.contains("127.0.0.1::<local-port>")).findFirst().orElseThrow().strip();
        assertThat(out).contains(viewLine);
        assertThat(dry("-t", "xen", "-a", "create=l:dom1,console:vnc", "lab02").out())
                .containsSubsequence("xl create", "# once lab02[dom1] ended well:", "ssh root@10.0.0.2 'xl list -l dom1'");
    }

    @Test
    void pmConsoleSerialAttachesTheInventorysLineAfterTheWake() {
        String out = dry("-t", "pm", "-a", "create=console:serial,reuse", "lab01").out();
        assertThat(out).containsSubsequence("then its serial line", "wakeonlan",
                "picocom -b 9600 -d 7 -y e -p 1 -f n /dev/ttyS7   # the serial line at 9600 7e1")
                .doesNotContain("true succeeds");
        assertThat(out.strip()).as("the console is the last step").endsWith("leave with ~. after a newline");
    }

    @Test
    void vncAndSerialConsolesThatCannotBeOpenedStopTheCommandLine() {
        assertThat(refused(3, "-t", "pm", "-a", "create=console:serial", "lab02").err())
                .contains("no serial line known for 'lab02'").contains("inventory.yaml");
        assertThat(refused(2, "-t", "pm", "-a", "create=console:serial", "lab01", "lab02").err())
                .contains("CONSOLE:SERIAL attaches this one terminal to one machine, not 2");
        CliRun noViewer = CliRun.run(home, Map.of("CTYS_INVENTORY", env.get("CTYS_INVENTORY"), "PATH", "/nonexistent",
                "CTYS_VNCVIEWER", "/nonexistent/viewer"), "-t", "kvm", "-a", "create=l:web1,console:vnc", "lab01");
        assertThat(noViewer.status()).as(noViewer.err()).isEqualTo(3);
        assertThat(noViewer.err()).contains("CTYS_VNCVIEWER=/nonexistent/viewer is not an executable program");
        assertThat(noViewer.out()).isEmpty();
    }
}
