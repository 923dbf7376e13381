package org.ctys.engine.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ctys.spi.ViewVnc;

/**
 * Reads where a VNC display listens from what the remote host prints: {@code ss -ltnH} for a
 * machine's own servers, {@code virsh vncdisplay} and {@code xl list -l} for a guest's. A display
 * is an address as the remote host reaches it and a TCP port.
 */
public final class VncDisplays {

    private VncDisplays() {}

    /** Where to connect on the remote host: {@code address} as that host sees it. */
    public record Display(String address, int port) {
        public int number() { return port - ViewVnc.BASE_PORT; }

        @Override
        public String toString() { return "display :" + number() + " (" + address + ":" + port + ")"; }
    }

    /**
     * The VNC displays (ports 5900..5999) among the listening sockets {@code ss -ltnH} printed, by
     * display number. A server listening on every address (or on loopback) is reached at
     * 127.0.0.1; one bound to ::1 only at ::1; one bound to another address at that address.
     */
    public static Map<Integer, Display> listening(String ssOutput) {
        Map<Integer, List<String>> byPort = new TreeMap<>();
        for (String line : ssOutput.split("\n")) {
            String[] f = line.strip().split("\\s+");
            // State Recv-Q Send-Q Local:Port Peer:Port [Process]
            if (f.length < 5 || !f[0].equals("LISTEN")) continue;
            String local = f[3];
            int colon = local.lastIndexOf(':');
            if (colon < 0) continue;
            int port;
            try {
                port = Integer.parseInt(local.substring(colon + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (port < ViewVnc.BASE_PORT || port > ViewVnc.BASE_PORT + ViewVnc.MAX_DISPLAY) continue;
            byPort.computeIfAbsent(port, p -> new ArrayList<>()).add(unbracket(local.substring(0, colon)));
        }
        Map<Integer, Display> displays = new LinkedHashMap<>();
        byPort.forEach((port, addresses) -> displays.put(port - ViewVnc.BASE_PORT, new Display(reachAt(addresses), port)));
        return displays;
    }

    private static String reachAt(List<String> addresses) {
        for (String a : addresses) {
            if (a.equals("*") || a.equals("0.0.0.0") || a.startsWith("127.")) return "127.0.0.1";
        }
        for (String a : addresses) if (a.equals("::") || a.equals("::1")) return "::1";
        String a = addresses.get(0);
        int zone = a.indexOf('%'); // 127.0.0.53%lo: an address bound to an interface
        return zone < 0 ? a : a.substring(0, zone);
    }

    private static String unbracket(String a) {
        return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
    }

    /**
     * What {@code virsh vncdisplay} prints: {@code 127.0.0.1:0}, {@code :1} (every address),
     * {@code [::1]:2}; the number is the display, port 5900 + n.
     */
    public static Display virsh(String stdout) {
        String s = stdout.strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) s = s.substring(0, nl).strip();
        int colon = s.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("virsh vncdisplay printed no display: \"" + s + "\"");
        int n;
        try {
            n = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("virsh vncdisplay printed no display number: \"" + s + "\"");
        }
        if (n < 0 || n > 65535 - ViewVnc.BASE_PORT) {
            throw new IllegalArgumentException("virsh vncdisplay printed a display out of range (0-" + (65535 - ViewVnc.BASE_PORT)
                    + "): \"" + s + "\"");
        }
        String host = unbracket(s.substring(0, colon));
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("*") || host.equals("localhost")) host = "127.0.0.1";
        if (host.equals("::")) host = "::1";
        return new Display(host, ViewVnc.BASE_PORT + n);
    }

    /**
     * The first fixed VNC display among a Xen guest's consoles ({@code vnc:ADDR:PORT}); empty when
     * the guest has VNC on a port xl chooses at start (vncunused), which its configuration does not say.
     */
    public static java.util.Optional<Display> xl(List<String> consoles) {
        for (String c : consoles) {
            if (!c.startsWith("vnc:")) continue;
            String rest = c.substring("vnc:".length());
            int colon = rest.lastIndexOf(':');
            if (colon < 0) throw new IllegalArgumentException("the guest's configuration names no VNC port: \"" + c + "\"");
            String host = rest.substring(0, colon);
            if (host.equals("0.0.0.0")) host = "127.0.0.1";
            int port = Integer.parseInt(rest.substring(colon + 1)); // not a number: a NumberFormatException, an IllegalArgumentException
            if (port < 1 || port > 65535) throw new IllegalArgumentException("the guest's VNC port is out of range: \"" + c + "\"");
            return java.util.Optional.of(new Display(host, port));
        }
        return java.util.Optional.empty();
    }
}
