package org.ctys.plugins.vnc;

/** The long help of -t vnc (and its man page). */
final class VncDetails {
    private VncDetails() {}

    static final String TEXT = """
            Finding the display:
            For a machine, ctys asks it over SSH which of the TCP ports 5900 to 5999 listen (ss -ltnH) and \
            takes DISPLAY:<n>, else the only one; several and no DISPLAY is an error that lists them. With \
            START, a machine where none listens (or not the one DISPLAY names) gets one: Xtigervnc :<n> \
            -localhost -SecurityTypes VncAuth -rfbauth ~/.vnc/passwd, started in a session of its own and left \
            running; it listens on the machine's loopback only, so it is reached through SSH alone, and it asks \
            for the password of that user's ~/.vnc/passwd (without that file nothing is started). For a guest, \
            HOST[GUEST], its hypervisor is asked on HOST: virsh vncdisplay GUEST (the inventory's uri, else \
            qemu:///system), or for a XEN host the vnc settings of the guest in xl list -l, as xl vncviewer \
            reads them (a display xl chooses at start, vncunused, is not in them: give the guest vncdisplay=<n>).

            Forwarding and the viewer:
            The display's port is forwarded by ctys's own SSH connection, through every jump host (-J, the \
            inventory, ProxyJump), to an ephemeral port on 127.0.0.1; no ssh process is started. The viewer is \
            CTYS_VNCVIEWER (a path or a name on PATH), else xtigervncviewer, else vncviewer, started on \
            127.0.0.1::<port>; without one the command is refused (exit status 3) before anything starts (Debian \
            package tigervnc-viewer). By default ctys returns once the viewer runs: a second ctys, detached \
            (setsid, its output in a log file named in the report), holds the forward and waits for the viewer. \
            When the viewer is closed the forward is closed and that ctys ends; when the SSH connection drops \
            the viewer sees its connection close and is ended too. FOREGROUND does the same without detaching: \
            ctys returns when the viewer is closed. A viewer that ends within a moment of its start (no DISPLAY, \
            for one) is a failure with its exit status. The forward's port on 127.0.0.1 serves the sockets of             the user running ctys only (their owner as /proc/net/tcp lists it): another local user who finds the             port in ps gets a connection that closes at once (ssh -L serves every local user).

            Password:
            A machine's (or guest's) inventory entry may carry vnc: {password-file: FILE} (mode 0600) or \
            {password-env: VARIABLE}: the VNC password itself, read before anything is sent. It reaches the \
            viewer only as its -passwd file, in the format vncpasswd writes, mode 0600 in a private directory, \
            removed when the viewer ends; never in argv, the viewer's environment (the variable is removed from             it), a log or the dry run.

            REUSE and CONNECT:
            CONNECT uses only a server that already listens (and excludes START); REUSE, the default, uses a \
            running one and starts one only when START is given. A guest is never started by -t vnc: use \
            -t kvm or -t xen with CONSOLE:VNC.

            Dry run:
            -n prints the equivalent commands: the question to the host, ssh -N -L \
            127.0.0.1:<local-port>:localhost:<port> with the same hops, and the viewer's command line (-passwd \
            <file> without its content).

            Examples:
            ctys -t vnc -a create=l:desk lab01
            ctys -t vnc -a create=display:2,fg -J gw1,gw2 root@lab07
            ctys -t vnc -a create lab01[web1]
            """;
}
