package org.ctys.plugins.xen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Proc;
import org.ctys.testkit.VncServer;
import org.ctys.testkit.Xvfb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ctys -t vnc -a create HOST[GUEST]} on a XEN host: the display is the one the guest's
 * configuration gives, as {@code xl list -l} prints it on the host (the STAND-IN xl, see
 * {@link StandInXenHost}: Xen cannot run here). Behind that address a real Xtigervnc stands in for
 * the guest's framebuffer; the real viewer under Xvfb shows its colour.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class VncXenIT {
    private static final Pattern OPENED = Pattern.compile("\\(pid (\\d+)\\) on 127\\.0\\.0\\.1::(\\d+), forward held by ctys pid (\\d+)");
    private Path work;
    private StandInXenHost host;
    private Xvfb xvfb;
    private VncServer framebuffer;
    private long viewer;

    @BeforeAll
    void start() throws Exception {
        Proc.require("xtigervncviewer", "tigervnc-viewer");
        work = Files.createTempDirectory("ctys-vnc-xen-it");
        host = StandInXenHost.onLoopback(work);
        host.reset();
        xvfb = Xvfb.start(work.resolve("xvfb.log"));
        framebuffer = VncServer.start(null, null, work.resolve("xvnc.log"));
    }

    @AfterAll
    void stop() {
        if (viewer > 0) ProcessHandle.of(viewer).ifPresent(ProcessHandle::destroyForcibly);
        if (framebuffer != null) framebuffer.close();
        if (xvfb != null) xvfb.close();
        if (host != null) host.close();
        Proc.deleteTree(work);
    }

    @Test
    void theDisplayInTheGuestsConfigurationIsForwardedAndShown() throws Exception {
        framebuffer.paint("#2060a0");
        host.config("web1", "vfb = [ 'vnc=1,vnclisten=127.0.0.1,vncdisplay=" + framebuffer.display + ",vncunused=0' ]");
        host.config("win", "type = \"hvm\"", "vnc = 1");
        host.start("web1");
        host.start("win");
        CtysRunner ctys = new CtysRunner(host.home).inventory(host.inventory("lab01", "{web1: {}, win: {}}"))
                .env("DISPLAY", ":" + xvfb.display());

        Proc.Outcome r = ctys.run("-t", "vnc", "-a", "create", "lab01[web1]");
        assertThat(r.exit()).as(r.toString()).isZero();
        Matcher m = OPENED.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        viewer = Long.parseLong(m.group(1));
        assertThat(host.commands()).contains("xl list -l web1");
        String[] last = {""};
        Proc.await(() -> (last[0] = VncServer.pixel(xvfb.display(), 512, 384)).equals("#2060A0"), Duration.ofSeconds(30),
                Duration.ofMillis(300));
        assertThat(last[0]).isEqualTo("#2060A0");

        // a display xl picks at start is not in the configuration: said so, nothing started
        Proc.Outcome unused = ctys.run("-t", "vnc", "-a", "create", "lab01[win]");
        assertThat(unused.exit()).as(unused.toString()).isEqualTo(1);
        assertThat(unused.out()).contains("vncunused");
    }
}
