package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Libvirt;
import org.ctys.testkit.Proc;
import org.ctys.testkit.TinyGuest;
import org.ctys.testkit.VirshHost;
import org.ctys.testkit.Xvfb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ctys -t vnc -a create HOST[GUEST]} on a real QEMU/TCG guest with a VNC display under a
 * real libvirtd, its host an OpenSSH server: ctys asks the host (virsh vncdisplay), forwards the
 * port and starts xtigervncviewer under Xvfb. The assertion is what the guest's own screen holds:
 * the colours of its text screen (virsh screenshot, taken by libvirt, not through ctys) other than
 * the background all appear on the Xvfb screen, which was black before the viewer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class VncGuestIT {
    private static final Duration READY = Duration.ofSeconds(180);
    private static final Pattern OPENED = Pattern.compile("\\(pid (\\d+)\\) on 127\\.0\\.0\\.1::(\\d+), forward held by ctys pid (\\d+)");
    private Path dir;
    private Libvirt lv;
    private VirshHost host;
    private Xvfb xvfb;
    private CtysRunner ctys;
    private long viewer;
    private long consoleViewer;

    @BeforeAll
    void start() throws Exception {
        Proc.require("xtigervncviewer", "tigervnc-viewer");
        dir = Files.createTempDirectory("ctys-vnc-guest-it");
        lv = Libvirt.start();
        host = VirshHost.onLoopback(dir.resolve("host"));
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, """
                machines:
                  lab01:
                    host: 127.0.0.1
                    ssh: {port: %d, user: root}
                    hypervisor: kvm
                """.formatted(host.sshd.port));
        xvfb = Xvfb.start(dir.resolve("xvfb.log"));
        ctys = new CtysRunner(host.home).inventory(inv).env("DISPLAY", ":" + xvfb.display());
    }

    @AfterAll
    void stop() {
        if (viewer > 0) ProcessHandle.of(viewer).ifPresent(ProcessHandle::destroyForcibly);
        if (consoleViewer > 0) ProcessHandle.of(consoleViewer).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        });
        if (xvfb != null) xvfb.close();
        if (host != null) host.close();
        if (lv != null) lv.close();
        Proc.deleteTree(dir);
    }

    @Test
    void theGuestsScreenAppearsInTheViewer() throws Exception {
        TinyGuest g = lv.acpiGuest("ctys-v1", "52:54:00:c7:0a:01");
        lv.define(g);
        lv.start(g.name());
        lv.awaitReady(g.name(), READY);
        Set<String> guestColours = colours(guestScreenshot(g.name()));
        guestColours.remove("#000000");
        assertThat(guestColours).as("the guest's text screen shows something besides its background").isNotEmpty();
        assertThat(colours(rootScreenshot())).as("Xvfb before the viewer").containsExactly("#000000");

        Proc.Outcome r = ctys.run("-t", "vnc", "-a", "create", "lab01[" + g.name() + "]");
        assertThat(r.exit()).as(r.toString()).isZero();
        Matcher m = OPENED.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        viewer = Long.parseLong(m.group(1));
        String display = lv.virshOk("vncdisplay", g.name()).out().strip();
        assertThat(display).as("libvirt's own answer").matches("127\\.0\\.0\\.1:\\d+");

        Set<String>[] seen = new Set[1];
        boolean shown = Proc.await(() -> (seen[0] = colours(rootScreenshot())).containsAll(guestColours),
                Duration.ofSeconds(40), Duration.ofMillis(500));
        assertThat(shown).as("the viewer shows the guest's colours " + guestColours + "; Xvfb has " + seen[0]).isTrue();

        Proc.Outcome dry = ctys.run("-n", "-t", "vnc", "-a", "create", "lab01[" + g.name() + "]");
        assertThat(dry.out()).contains("virsh -c qemu:///system vncdisplay " + g.name());
    }

    /** CONSOLE:VNC of KVM CREATE plans the same view: REUSE of a guest that runs, then its display in a viewer. */
    @Test
    void kvmCreateWithConsoleVncReusesTheRunningGuestAndOpensAViewerOnItsDisplay() throws Exception {
        TinyGuest g = lv.acpiGuest("ctys-v3", "52:54:00:c7:0a:03");
        lv.define(g);
        lv.start(g.name());
        lv.awaitReady(g.name(), READY);
        assertThat(xvfb.windows()).as("no window of the guest before").doesNotContain(g.name());

        Proc.Outcome r = ctys.run("-t", "kvm", "-a", "create=l:" + g.name() + ",reuse,console:vnc", "lab01");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("lab01[" + g.name() + "]").contains("runs; used as it is")
                .contains("lab01[" + g.name() + "] (vnc)");
        Matcher m = OPENED.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        consoleViewer = Long.parseLong(m.group(1));
        assertThat(ProcessHandle.of(consoleViewer).map(ProcessHandle::isAlive)).as("the viewer runs detached").contains(true);
        // QEMU names its VNC desktop after the guest; the viewer's window carries that name
        boolean window = Proc.await(() -> xvfb.windows().contains(g.name()), Duration.ofSeconds(20));
        assertThat(window).as("a viewer window of " + g.name() + ":\n" + xvfb.windows()).isTrue();
        assertThat(lv.state(g.name())).contains("running");

        // closing the viewer ends the ctys that held the forward; the screen is left as it was for the next test
        long keeper = Long.parseLong(m.group(3));
        ProcessHandle.of(consoleViewer).ifPresent(h -> {
            h.destroy();
            h.onExit().join();
        });
        assertThat(Proc.await(() -> ProcessHandle.of(keeper).map(h -> !h.isAlive()).orElse(true), Duration.ofSeconds(20)))
                .as("the keeper (pid " + keeper + ") ended with the viewer").isTrue();
        assertThat(Proc.await(() -> !xvfb.windows().contains(g.name()), Duration.ofSeconds(20))).as(xvfb.windows()).isTrue();
    }

    @Test
    void aGuestWithoutADisplayOrNotRunningFailsWithLibvirtsWord() throws Exception {
        TinyGuest g = lv.acpiGuest("ctys-v2", "52:54:00:c7:0a:02");
        lv.define(g);
        Proc.Outcome r = ctys.run("-t", "vnc", "-a", "create", "lab01[" + g.name() + "]");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("vncdisplay").contains("not running");
    }

    private Path guestScreenshot(String name) {
        Path ppm = dir.resolve(name + ".ppm");
        lv.virshOk("screenshot", name, ppm.toString());
        return ppm;
    }

    private Path rootScreenshot() {
        Path png = dir.resolve("root.png");
        Proc.ok("env", "DISPLAY=:" + xvfb.display(), Proc.require("import", "imagemagick"), "-window", "root", png.toString());
        return png;
    }

    /** The colours of a picture, 8 bits a channel: ImageMagick's histogram. */
    private static Set<String> colours(Path picture) {
        String hist = Proc.ok(Proc.require("convert", "imagemagick"), picture.toString(), "-depth", "8", "-format", "%c",
                "histogram:info:-").out();
        Set<String> c = new TreeSet<>();
        Matcher m = Pattern.compile("#[0-9A-Fa-f]{6}\\b").matcher(hist);
        while (m.find()) c.add(m.group().toUpperCase(java.util.Locale.ROOT));
        return c;
    }
}
