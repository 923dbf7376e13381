package org.ctys.engine.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ctys.engine.run.VncDisplays.Display;
import org.ctys.spi.Output;
import org.ctys.spi.Verdict;
import org.ctys.spi.ViewVnc;

/**
 * The foreground side of a VNC view: finds (or starts) the display, forwards its port, runs the
 * viewer and waits for it. The forward is closed when the viewer ends; the viewer is ended
 * (SIGTERM) when the forward's SSH connection drops, since a viewer may keep a "connection closed"
 * dialog open for ever. Interrupting the waiting thread ends both.
 */
public final class VncSession {
    /** Bound of each command that asks for (or starts) the display. */
    static final Duration ASK = Duration.ofSeconds(30);
    /** A viewer still running this long after its start counts as started (a bad DISPLAY ends it before). */
    static final Duration SETTLE = Duration.ofMillis(700);
    private static final File NULL = new File("/dev/null");

    /** Told once the viewer runs: the forward's local port and the viewer's pid. */
    public interface Started {
        void viewing(int localPort, long viewerPid);
    }

    private VncSession() {}

    /**
     * @param password  the VNC password's bytes, or null
     * @param viewerLog where the viewer's output goes, or null for this process's own streams
     */
    public static Verdict run(ViewVnc v, Shells shells, byte[] password, File viewerLog, Started started)
            throws InterruptedException {
        Display display;
        try {
            display = find(v, shells);
        } catch (Shells.Failure f) {
            return f.verdict();
        } catch (NotFound e) {
            return Verdict.fail(e.state, e.getMessage());
        }
        Shells.Tunnel tunnel;
        try {
            tunnel = shells.forward(v.remote(), display.address(), display.port());
        } catch (Shells.Failure f) {
            return f.verdict();
        }
        try (tunnel; VncPasswordFile file = password == null ? null : VncPasswordFile.write(password)) {
            ProcessBuilder pb = new ProcessBuilder(v.viewerCommand(file == null ? null : file.path().toString(),
                    tunnel.localPort())).redirectInput(NULL);
            // the viewer reads the password from its file; the variable it came from is not passed on
            // (/proc/PID/environ of a viewer that runs for hours)
            if (v.password() != null && v.password().kind() == org.ctys.inventory.SecretRef.Kind.ENV) {
                pb.environment().remove(v.password().location());
            }
            if (viewerLog != null) {
                pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(viewerLog));
            } else {
                pb.inheritIO().redirectInput(NULL);
            }
            Process viewer = pb.start();
            try {
                tunnel.whenClosed(viewer::destroy);
                if (viewer.waitFor(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) {
                    return Verdict.fail("viewer-failed", v.viewer() + " ended at once (exit status " + viewer.exitValue()
                            + ") on 127.0.0.1::" + tunnel.localPort() + " -> " + display);
                }
                started.viewing(tunnel.localPort(), viewer.pid());
                int status = viewer.waitFor();
                if (!tunnel.isOpen()) {
                    return Verdict.fail("disconnected", "the SSH connection to " + v.remote().host()
                            + " closed; the viewer was ended");
                }
                return status == 0 ? Verdict.done("closed", "viewer of " + display + " closed")
                        : Verdict.fail("viewer-failed", v.viewer() + " ended with exit status " + status);
            } finally {
                viewer.destroy();
                if (!viewer.waitFor(2, TimeUnit.SECONDS)) {
                    viewer.destroyForcibly();
                    viewer.waitFor(2, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            return Verdict.fail("viewer-failed", "cannot start " + v.viewer() + ": " + e.getMessage());
        }
    }

    /** A display that is not there; {@code state} is the report's word for it. */
    static final class NotFound extends Exception {
        final String state;

        NotFound(String state, String message) {
            super(message);
            this.state = state;
        }
    }

    static Display find(ViewVnc v, Shells shells) throws Shells.Failure, NotFound {
        String where = v.remote().host();
        Output o = shells.exec(v.remote(), v.finder().command(), ASK);
        String out = new String(o.stdout(), StandardCharsets.UTF_8);
        if (!o.succeeded()) {
            String err = new String(o.stderr(), StandardCharsets.UTF_8).strip();
            throw new NotFound("no-display", v.finder().command() + " on " + where + " failed (" + o.exitText() + ")"
                    + (err.isEmpty() ? "" : ": " + firstLine(err)));
        }
        if (v.finder() instanceof ViewVnc.Virsh) {
            try {
                return VncDisplays.virsh(out);
            } catch (IllegalArgumentException e) {
                throw new NotFound("no-display", e.getMessage() + " (does " + ((ViewVnc.Virsh) v.finder()).domain()
                        + " have <graphics type='vnc'/>?)");
            }
        }
        if (v.finder() instanceof ViewVnc.Xl xl) {
            java.util.List<String> consoles;
            try {
                consoles = new org.ctys.stack.Xl().parseDetails(out).stream().filter(d -> d.name().equals(xl.domain()))
                        .findFirst().map(org.ctys.stack.GuestDetails::consoles).orElse(java.util.List.of());
            } catch (IllegalArgumentException e) {
                throw new NotFound("no-display", e.getMessage());
            }
            java.util.Optional<Display> fixed;
            try {
                fixed = VncDisplays.xl(consoles);
            } catch (IllegalArgumentException e) {
                throw new NotFound("no-display", e.getMessage());
            }
            return fixed.orElseThrow(() -> new NotFound("no-display", consoles.contains("vnc")
                    ? xl.domain() + " has VNC on a port xl chooses at start (vncunused); give it vncdisplay=<n> in its configuration"
                    : xl.domain() + " has no VNC display (vfb = [ 'vnc=1' ] in its configuration)"));
        }
        Integer wanted = ((ViewVnc.Listening) v.finder()).display();
        Map<Integer, Display> displays = VncDisplays.listening(out);
        if (wanted != null) {
            Display d = displays.get(wanted);
            if (d != null) return d;
            if (v.start()) return VncStart.start(v, shells, wanted);
            throw new NotFound("no-display", "no VNC server on display :" + wanted + " of " + where
                    + (displays.isEmpty() ? "" : " (listening: " + names(displays) + ")") + "; START starts one");
        }
        if (displays.size() == 1) return displays.values().iterator().next();
        if (displays.isEmpty()) {
            if (v.start()) return VncStart.start(v, shells, VncStart.firstFree(displays));
            throw new NotFound("no-display", "no VNC server listens on " + where + " (TCP ports 5900-5999); START starts one");
        }
        throw new NotFound("several-displays", "several VNC servers on " + where + ": " + names(displays)
                + "; pick one with DISPLAY:<n>");
    }

    private static String names(Map<Integer, Display> displays) {
        return String.join(", ", displays.keySet().stream().map(n -> ":" + n).toList());
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
