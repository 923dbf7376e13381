package org.ctys.plugins.xen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ctys.testkit.CtysPane;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Proc;
import org.ctys.testkit.Tmux;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * CONSOLE:SERIAL of XEN guests: {@code xl console} on the guest's host over OpenSSH, on a pseudo
 * terminal, with ctys on a terminal (a tmux pane). The host's xl is the STAND-IN of
 * {@link StandInXenHost}: its console answers each line and reports its terminal's size, so what
 * is typed, the window size and its changes, and xl's escape (Ctrl-]) are seen at the far end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class XenConsoleIT {
    private Path work;
    private StandInXenHost host;
    private CtysRunner ctys;
    private Tmux tmux;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("ctys-xen-console-it");
        host = StandInXenHost.onLoopback(work);
        ctys = new CtysRunner(host.home).inventory(host.inventory("lab01", "{}"));
        tmux = new Tmux("xen-console-it");
    }

    @AfterAll
    void stop() {
        if (tmux != null) tmux.close();
        if (host != null) host.close();
        Proc.deleteTree(work);
    }

    @Test
    void createWithConsoleSerialStartsTheGuestAndAttachesWithTheWindowSizeUntilTildeDot() throws Exception {
        host.config("ctys-x1");
        pane("x1", "-t", "xen", "-a", "create=l:ctys-x1,console:serial", "lab01");
        // the pseudo terminal on the host has this pane's size (120 x 30)
        tmux.await("x1", s -> s.contains("[stand-in console of ctys-x1] terminal 30 120"), "the console's first line");
        assertThat(host.row("ctys-x1")).as("xl list ctys-x1 on the host").isNotNull();
        tmux.type("x1", "hello there");
        tmux.await("x1", s -> s.contains("ctys-x1: hello there"), "the console's answer");
        tmux.resize("x1", 100, 40);
        // the resize (SIGWINCH, then SSH's window-change) and the typed line race on their way to the
        // far end, as they do for a person: ask again until the new size has arrived, 20 s at most
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        boolean seen = false;
        while (!seen && System.nanoTime() < until) {
            tmux.type("x1", "size");
            seen = tmux.screen("x1").contains("terminal 40 100")
                    || Proc.await(() -> tmux.screen("x1").contains("terminal 40 100"), Duration.ofSeconds(2), Duration.ofMillis(200));
        }
        assertThat(seen).as("the new window size at the far end within 20 s:\n" + tmux.screen("x1")).isTrue();
        tmux.send("x1", "~.");
        assertEnded("x1", 0);
        assertThat(host.commands()).contains("xl create /etc/xen/ctys-x1.cfg", "xl console ctys-x1");
    }

    @Test
    void ctrlBracketIsXlsEscapeAndEndsTheConsoleWithStatusZero() throws Exception {
        host.config("ctys-x2");
        host.start("ctys-x2");
        pane("x2", "-t", "xen", "-a", "create=l:ctys-x2,connect,console:serial", "lab01");
        tmux.await("x2", s -> s.contains("[stand-in console of ctys-x2]"), "the console's first line");
        tmux.key("x2", "C-]");
        assertEnded("x2", 0);
        assertThat(tmux.screen("x2")).contains("the console of lab01[ctys-x2] ended with status 0");
    }

    @Test
    void listShowsTheSerialConsoleOfEveryGuest() throws Exception {
        host.config("ctys-x3");
        host.start("ctys-x3");
        Proc.Outcome r = ctys.run("-X", "-t", "xen", "-a", "list", "lab01");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("lab01[ctys-x3];"))).singleElement().asString()
                .contains(";consoles=SERIAL");
    }

    private void pane(String session, String... args) throws Exception {
        CtysPane.open(tmux, ctys, work, session, args);
    }

    /** ctys ended with {@code status} and the terminal is exactly as before ({@code stty -g}). */
    private void assertEnded(String session, int status) throws Exception {
        CtysPane.assertEnded(tmux, work, session, status);
    }
}
