package org.ctys.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real VNC server, TigerVNC's Xtigervnc, on a free display in a network namespace (or this
 * host's), listening on that namespace's loopback only, its screen painted one colour with
 * {@code xsetroot -solid}. With a password file (vncpasswd's format) it asks for that password.
 */
public final class VncServer implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(20);
    private final Process process;
    private final String namespace;
    public final int display;

    private VncServer(Process process, String namespace, int display) {
        this.process = process;
        this.namespace = namespace;
        this.display = display;
    }

    /**
     * @param namespace where it runs (ip netns exec), or null for this host
     * @param passwd    a vncpasswd file, or null for no authentication
     */
    public static VncServer start(String namespace, Path passwd, Path log) throws IOException {
        String xvnc = Proc.require("Xtigervnc", "tigervnc-standalone-server");
        Proc.require("ss", "iproute2");
        for (int n = 40; n < 90; n++) {
            if (Files.exists(Path.of("/tmp/.X" + n + "-lock")) || Files.exists(Path.of("/tmp/.X11-unix/X" + n))) continue;
            List<String> c = in(namespace);
            c.addAll(List.of(xvnc, ":" + n, "-localhost", "-geometry", "1024x768", "-depth", "24"));
            if (passwd == null) c.addAll(List.of("-SecurityTypes", "None"));
            else c.addAll(List.of("-SecurityTypes", "VncAuth", "-rfbauth", passwd.toString()));
            Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            VncServer s = new VncServer(p, namespace, n);
            if (Proc.await(() -> !p.isAlive() || s.listening(), START_LIMIT, Duration.ofMillis(100)) && p.isAlive()) return s;
            Proc.stop(p);
            if (!Files.readString(log).contains("already active")) {
                throw new AssertionError("Xtigervnc :" + n + " did not start: " + Files.readString(log));
            }
        }
        throw new AssertionError("no free X display number between :40 and :89");
    }

    /** The TCP port: 5900 + display. */
    public int port() { return 5900 + display; }

    private boolean listening() {
        List<String> c = in(namespace);
        c.addAll(List.of("ss", "-ltnH", "sport = :" + port()));
        return Proc.quietly(c.toArray(String[]::new)).out().contains("LISTEN");
    }

    /** Paints the root window {@code colour} (an X colour name or #rrggbb). */
    public void paint(String colour) {
        List<String> c = in(namespace);
        c.addAll(List.of("env", "DISPLAY=:" + display, Proc.require("xsetroot", "x11-xserver-utils"), "-solid", colour));
        Proc.ok(c.toArray(String[]::new));
    }

    /** The colour of one pixel of an X display's root window, as ImageMagick names it: {@code #FF8000}. */
    public static String pixel(int xDisplay, int x, int y) {
        String imp = Proc.require("import", "imagemagick");
        String txt = Proc.quietly("env", "DISPLAY=:" + xDisplay, imp, "-window", "root", "-crop", "1x1+" + x + "+" + y,
                "-depth", "8", "txt:-").out(); // 8 bits a channel: #RRGGBB, not ImageMagick's 16-bit #RRRRGGGGBBBB
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#[0-9A-Fa-f]{6}").matcher(txt);
        return m.find() ? m.group().toUpperCase(java.util.Locale.ROOT) : "(no pixel: " + txt.strip() + ")";
    }

    private static List<String> in(String namespace) {
        List<String> c = new ArrayList<>();
        if (namespace != null) c.addAll(List.of(Proc.require("ip", "iproute2"), "netns", "exec", namespace));
        return c;
    }

    @Override
    public void close() {
        Proc.stop(process);
    }
}
