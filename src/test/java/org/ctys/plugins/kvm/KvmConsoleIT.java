package org.ctys.plugins.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.ctys.testkit.CtysPane;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Libvirt;
import org.ctys.testkit.Proc;
import org.ctys.testkit.Tmux;
import org.ctys.testkit.VirshHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONSOLE:SERIAL of KVM guests: {@code virsh console} of a real QEMU (TCG) guest, run on its host
 * over OpenSSH on a pseudo terminal, on a terminal (a tmux pane). The guest's kernel and init print
 * on ttyS0, a pseudo terminal on the host, and a shell answers there.
 */
class KvmConsoleIT {
    private static final Duration BOOT = Duration.ofSeconds(180);
    @TempDir static Path dir;
    private static Libvirt lv;
    private static VirshHost host;
    private static CtysRunner ctys;
    private static Tmux tmux;

    @BeforeAll
    static void start() throws Exception {
        lv = Libvirt.start();
        host = VirshHost.onLoopback(dir.resolve("host"));
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, """
                machines:
                  lab01:
                    host: 127.0.0.1
                    ssh: {user: root, port: %d}
                    hypervisor: kvm
                """.formatted(host.sshd.port));
        ctys = new CtysRunner(host.home).inventory(inv).limit(Duration.ofSeconds(240));
        tmux = new Tmux("kvm-console-it");
    }

    @AfterAll
    static void stop() {
        if (tmux != null) tmux.close();
        if (host != null) host.close();
        if (lv != null) lv.close();
    }

    @Test
    void createWithConsoleSerialStartsTheGuestShowsItsBootAndTakesInputUntilTildeDot() throws Exception {
        lv.define(lv.consoleGuest("ctys-c1", "52:54:00:c7:05:01"));
        String pane = "boot";
        pane(pane, "-t", "kvm", "-a", "create=l:ctys-c1,console:serial", "lab01");
        // the init's lines on ttyS0 are boot text the console shows as the guest comes up
        await(pane, s -> s.contains("ctys-guest: ready ctys-c1"), "the guest's boot text on its console", BOOT);
        tmux.key(pane, "Enter");
        await(pane, s -> s.contains("ctys-guest#"), "the guest's shell prompt", Tmux.WAIT);
        tmux.type(pane, "echo answer-$((6*7))");
        await(pane, s -> s.contains("answer-42"), "the guest shell's answer", Tmux.WAIT);
        assertThat(lv.state("ctys-c1")).contains("running");
        // busybox's shell asks the terminal where its cursor is after each prompt; the terminal's answer
        // arrives as typed input after the Enter, and ~. typed once the prompt shows must still leave
        freshPrompt(pane);
        tmux.send(pane, "~.");
        assertEnded(pane, 0);
        // the channel was closed and virsh with it: the console is free for the next client, no FORCE needed
        pane("again", "-t", "kvm", "-a", "create=l:ctys-c1,connect,console:serial", "lab01");
        await("again", s -> s.contains("attached to the console of lab01[ctys-c1]") && s.contains("Escape character is ^]"),
                "the second attach, virsh connected", Tmux.WAIT);
        tmux.key("again", "Enter");
        await("again", s -> s.contains("ctys-guest#"), "the guest's prompt again", Tmux.WAIT);
        freshPrompt("again");
        tmux.send("again", "~.");
        assertEnded("again", 0);

        // a guest of this host: virsh console on this terminal itself, no SSH, its own escape Ctrl-] leaves
        pane("local", "-t", "kvm", "-a", "create=l:ctys-c1,connect,console:serial", "localhost");
        await("local", s -> s.contains("Escape character is ^]"), "virsh console on this terminal", Tmux.WAIT);
        tmux.key("local", "Enter");
        await("local", s -> s.contains("ctys-guest#"), "the guest's prompt through the local virsh", Tmux.WAIT);
        tmux.key("local", "C-]");
        assertEnded("local", 0);
    }

    @Test
    void forceTakesTheConsoleOverAndCtrlBracketEndsItWithStatusZero() throws Exception {
        lv.define(lv.consoleGuest("ctys-c2", "52:54:00:c7:05:02"));
        lv.start("ctys-c2");
        lv.awaitReady("ctys-c2", BOOT);
        pane("holder", "-t", "kvm", "-a", "create=l:ctys-c2,connect,console:serial", "lab01");
        await("holder", s -> s.contains("Escape character is ^]"), "the holder attached, virsh connected", Tmux.WAIT);
        tmux.key("holder", "Enter");
        await("holder", s -> s.contains("ctys-guest#"), "the guest's prompt in the holder's console", Tmux.WAIT);

        // a second client without FORCE: virsh refuses, and ctys says so (exit 1)
        pane("refused", "-t", "kvm", "-a", "create=l:ctys-c2,reuse,console:serial", "lab01");
        assertEnded("refused", 1);
        assertThat(tmux.screen("refused")).contains("Active console session").contains("console-ended");

        pane("taker", "-t", "kvm", "-a", "create=l:ctys-c2,reuse,console:serial,force", "lab01");
        await("taker", s -> s.contains("Escape character is ^]"), "the taker attached, virsh connected", Tmux.WAIT);
        // the holder's virsh lost its console: its ctys ends
        await("holder", s -> s.contains("left the console of lab01[ctys-c2]"), "the holder's console ending", Tmux.WAIT);
        // its virsh ended with an error: the holder's ctys reports the console as ended (exit 1)
        assertEnded("holder", 1);
        assertThat(tmux.screen("holder")).contains("console-ended");
        tmux.key("taker", "Enter");
        tmux.type("taker", "echo taken-$((40+2))");
        await("taker", s -> s.contains("taken-42"), "the guest's answer in the taker's console", Tmux.WAIT);
        // Ctrl-] reaches virsh, whose console ends as asked: exit 0, the terminal restored. It comes
        // right behind a terminal's cursor report, in one read, as a busy terminal delivers them:
        // virsh ends only on a Ctrl-] that starts what it reads, so ctys sends the key alone
        tmux.send("taker", "\u001b[24;1R\u001d");
        assertEnded("taker", 0);
    }

    @Test
    void connectToAGuestThatIsOffFailsWithoutAttachingAndListShowsItsConsoles() throws Exception {
        lv.define(lv.consoleGuest("ctys-c3", "52:54:00:c7:05:03"));
        lv.define(lv.acpiGuest("ctys-c4", "52:54:00:c7:05:04"));
        Proc.Outcome r = ctys.run("-t", "kvm", "-a", "create=l:ctys-c3,connect,console:serial", "lab01");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("lab01[ctys-c3]").contains("CONNECT uses a running guest only");
        assertThat(r.err()).doesNotContain("attached to the console");

        // a pty serial line and a VNC display (dumpxml) / a file serial line and a VNC display
        Proc.Outcome list = ctys.run("-X", "-t", "kvm", "-a", "list", "lab01");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out().lines().filter(l -> l.startsWith("lab01[ctys-c3];"))).singleElement().asString()
                .contains(";consoles=SERIAL,VNC");
        assertThat(list.out().lines().filter(l -> l.startsWith("lab01[ctys-c4];"))).singleElement().asString()
                .contains(";consoles=VNC");
        Proc.Outcome json = ctys.run("--output", "json", "-t", "kvm", "-a", "list", "lab01");
        assertThat(json.out()).contains("\"consoles\" : \"SERIAL,VNC\"");
    }

    /**
     * Enter on an empty line, then the guest's next prompt below the last one. busybox waits 50 ms for the
     * rest of an escape sequence: when the slow guest (TCG, a loaded machine) gets the terminal's cursor
     * report later than that, the report's tail ({@code [22;13R}) lands on the prompt line as typed text.
     * That is the guest's timing, not the console's, and the prompt still counts as fresh.
     */
    private static void freshPrompt(String session) throws InterruptedException {
        tmux.key(session, "Enter");
        await(session, s -> {
            List<String> lines = s.lines().map(l -> l.strip().replaceFirst("\\s*\\[\\d+;\\d+R$", ""))
                    .filter(l -> !l.isEmpty()).toList();
            return lines.size() >= 2 && lines.get(lines.size() - 1).equals("ctys-guest#")
                    && lines.get(lines.size() - 2).equals("ctys-guest#");
        }, "a fresh prompt after Enter", Tmux.WAIT);
    }

    private static void pane(String session, String... args) throws Exception {
        CtysPane.open(tmux, ctys, dir, session, args);
    }

    /** Keys typed before virsh has connected its console reach the pseudo terminal only: the tests wait for its banner. */
    private static String await(String session, Predicate<String> ready, String what, Duration limit) throws InterruptedException {
        return tmux.await(session, ready, what, limit);
    }

    /** ctys ended with {@code status} and the terminal is exactly as before ({@code stty -g}). */
    private static void assertEnded(String session, int status) throws Exception {
        CtysPane.assertEnded(tmux, dir, session, status);
    }
}
