package org.ctys.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ctys.inventory.SecretRef;

/**
 * A VNC display of a machine, or of a guest's hypervisor, shown in a local viewer: the display is
 * found (or started) on {@code remote}, its port forwarded through the SSH connection and its hops
 * to an ephemeral port on 127.0.0.1, and the viewer started on that port. The forward lives exactly
 * as long as the viewer. Detached (the default), a second ctys is started in a session of its own
 * that holds the forward and waits for the viewer ({@code keeperArgs}); this ctys reports once that
 * one has the viewer running.
 *
 * @param target     the report's name
 * @param remote     the host the display's port is reached from (the machine, or the guest's host)
 * @param finder     how the display is found there
 * @param start      START: a server is started when none runs (Xtigervnc), on this display or the first free
 * @param viewer     the local viewer's program
 * @param password   where the VNC password is kept, or null when the server asks for none
 * @param detached   return once the viewer runs; false: wait for it (FOREGROUND, and the detached keeper)
 * @param keeperArgs the arguments of the detached ctys (its FOREGROUND run), without the program itself
 */
public record ViewVnc(String target, Remote remote, Finder finder, boolean start, String viewer, SecretRef password,
                      boolean detached, List<String> keeperArgs) implements Step {

    /** The lowest VNC port: display n listens on 5900 + n. */
    public static final int BASE_PORT = 5900;
    /** Displays 0..99, the ports 5900..5999 that VNC servers use. */
    public static final int MAX_DISPLAY = 99;

    public ViewVnc {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(finder, "finder");
        keeperArgs = List.copyOf(keeperArgs);
    }

    /** How the display is found on the remote host. */
    public sealed interface Finder permits Listening, Virsh, Xl {
        /** The command that asks, as the remote shell runs it. */
        String command();
    }

    /**
     * A VNC server of the machine itself: the TCP ports 5900..5999 that listen there, as {@code ss}
     * lists them; {@code display} picks one, else the only one.
     */
    public record Listening(Integer display) implements Finder {
        @Override
        public String command() { return "ss -ltnH"; }
    }

    /** A libvirt guest's display: {@code virsh vncdisplay} on its host. */
    public record Virsh(String uri, String domain) implements Finder {
        @Override
        public String command() {
            return "virsh -c " + ShellWords.quote(uri) + " vncdisplay " + ShellWords.quote(domain);
        }
    }

    /** A Xen guest's display: its vfb (or HVM) vnc settings in {@code xl list -l}, as {@code xl vncviewer} reads them. */
    public record Xl(String domain) implements Finder {
        @Override
        public String command() { return "xl list -l " + ShellWords.quote(domain); }
    }

    @Override
    public List<SecretUse> secrets() {
        return password == null ? List.of() : List.of(new SecretUse(password, SecretUse.Form.BYTES, true));
    }

    /** The viewer's command line for the forwarded port; {@code passwordFile} null when there is no password. */
    public List<String> viewerCommand(String passwordFile, int localPort) {
        return viewerCommand(passwordFile, String.valueOf(localPort));
    }

    private List<String> viewerCommand(String passwordFile, String localPort) {
        List<String> c = new ArrayList<>();
        c.add(viewer);
        if (passwordFile != null) c.addAll(List.of("-passwd", passwordFile));
        // host::port is a TCP port, host:n a display number, in every VNC viewer
        c.add("127.0.0.1::" + localPort);
        return c;
    }

    /**
     * What a person would type for the same: ask for the display, forward it ({@code ssh -L} on an
     * ephemeral port), start the viewer. Never the password, only where it goes.
     */
    @Override
    public String describe() {
        String displayPort = finder instanceof Listening l && l.display() != null
                ? String.valueOf(BASE_PORT + l.display()) : "<port>";
        List<String> lines = new ArrayList<>();
        if (!(finder instanceof Listening l && l.display() != null && !start)) {
            lines.add(remote.describe() + " " + ShellWords.quote(finder.command()) + "   # find the display"
                    + (start ? "; none: start Xtigervnc -localhost" : ""));
        }
        lines.add(withForward(remote.describe(), displayPort) + "   # the forward, 127.0.0.1 only");
        String viewerLine = ShellWords.join(viewerCommand(password == null ? null : "<file>", "<local-port>"));
        lines.add(viewerLine + (password == null ? "" : "   # <file>: the password, mode 0600, removed when the viewer ends")
                + (detached ? "   # detached: " + ShellWords.join(keeperLine()) : ""));
        return String.join("\n", lines);
    }

    private static String withForward(String ssh, String displayPort) {
        // "ssh [-J ...] [-p n] user@host" -> "ssh -N -L '127.0.0.1:<local-port>:localhost:PORT' [-J ...] ..."
        return "ssh -N -L " + ShellWords.quote("127.0.0.1:<local-port>:localhost:" + displayPort) + ssh.substring("ssh".length());
    }

    private List<String> keeperLine() {
        List<String> c = new ArrayList<>();
        c.add("setsid");
        c.add("ctys");
        c.addAll(keeperArgs);
        return c;
    }
}
