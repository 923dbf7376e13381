package org.ctys.engine.run;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.ctys.engine.run.VncDisplays.Display;
import org.ctys.spi.Output;
import org.ctys.spi.ViewVnc;

/**
 * START: a VNC server (TigerVNC's Xtigervnc) started on the machine and left running after the
 * viewer ends. It listens on loopback only ({@code -localhost}), so it is reached through SSH and
 * nothing else, and asks for the password of the user's {@code ~/.vnc/passwd} there (VncAuth);
 * without that file nothing is started.
 */
final class VncStart {

    private VncStart() {}

    /** The lowest display from 1 on (0 is usually the machine's own screen) that no server listens on. */
    static int firstFree(Map<Integer, Display> listening) {
        for (int n = 1; n <= ViewVnc.MAX_DISPLAY; n++) if (!listening.containsKey(n)) return n;
        return ViewVnc.MAX_DISPLAY + 1;
    }

    static Display start(ViewVnc v, Shells shells, int display) throws Shells.Failure, VncSession.NotFound {
        if (display > ViewVnc.MAX_DISPLAY) {
            throw new VncSession.NotFound("no-display", "no free VNC display on " + v.remote().host() + " (5900-5999 all listen)");
        }
        Output o = shells.exec(v.remote(), command(display), VncSession.ASK);
        if (!o.succeeded()) {
            String err = new String(o.stderr(), StandardCharsets.UTF_8).strip() + new String(o.stdout(), StandardCharsets.UTF_8).strip();
            throw new VncSession.NotFound("not-started", "cannot start Xtigervnc :" + display + " on " + v.remote().host()
                    + " (" + o.exitText() + ")" + (err.isEmpty() ? "" : ": " + String.join(" | ", err.lines().toList())));
        }
        return new Display("127.0.0.1", ViewVnc.BASE_PORT + display);
    }

    /** Starts the server in a session of its own and waits (at most 10 s, on the machine) until its port listens. */
    static String command(int n) {
        int port = ViewVnc.BASE_PORT + n;
        return "command -v Xtigervnc >/dev/null || { echo 'Xtigervnc not found (Debian package tigervnc-standalone-server)' >&2; exit 127; }; "
                + "test -r \"$HOME/.vnc/passwd\" || { echo \"no $HOME/.vnc/passwd: make one with vncpasswd\" >&2; exit 3; }; "
                + "log=\"$HOME/.vnc/ctys-" + n + ".log\"; "
                + "setsid Xtigervnc :" + n + " -localhost -SecurityTypes VncAuth -rfbauth \"$HOME/.vnc/passwd\""
                + " </dev/null >\"$log\" 2>&1 & pid=$!; i=0; "
                + "while [ $i -lt 100 ]; do ss -ltnH \"sport = :" + port + "\" | grep -q LISTEN && exit 0; "
                + "kill -0 $pid 2>/dev/null || { tail -n 3 \"$log\" >&2; exit 1; }; sleep 0.1; i=$((i+1)); done; "
                + "echo 'Xtigervnc :" + n + " does not listen after 10 s' >&2; exit 1";
    }
}
