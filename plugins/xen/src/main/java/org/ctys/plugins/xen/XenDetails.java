package org.ctys.plugins.xen;

/** The long help of the XEN type, also its man page's body. */
final class XenDetails {
    static final String TEXT = """
            Where xl runs:
            On the guest's host (dom0), over SSH like every remote step of ctys; for localhost on this \
            host, without SSH. Targets are the hosts, with L:<guest> (or ALL for CANCEL), or stack \
            addresses host[guest].

            Confirmed, never slept:
            CANCEL runs xl shutdown (without -w) and asks xl list every 250ms until the guest is gone, \
            bounded by TIMEOUT (default 2m); a guest still there after TIMEOUT fails the command (exit 1) \
            unless FORCE, which then runs xl destroy and confirms it gone. REBOOT is a confirmed shutdown \
            followed by xl create /etc/xen/<guest>.cfg, confirmed running. RESET is xl trigger <guest> \
            reset. SUSPEND is xl save to /var/lib/xen/save/<guest> (the xendomains convention); RESUME \
            restores it (xl restore) and removes the file, or unpauses a paused guest. PAUSE is xl pause. \
            CREATE L:<guest> runs xl create /etc/xen/<guest>.cfg (a saved guest is restored, a paused one \
            unpaused) and confirms it runs; F:<file> creates from that configuration file.

            Consoles (CONSOLE:):
            CREATE=L:<guest>,CONSOLE:<kind> opens a console once the guest runs (started first when it \
            does not; with CONNECT only a running guest, with REUSE either; a guest that runs already \
            without either is used as it is). SERIAL attaches this terminal to xl console of the guest \
            on its host, run over SSH on a pseudo terminal of this terminal's type and size (window \
            changes follow). xl console has no take-over: FORCE is a usage error. CLI opens an SSH shell on the guest, as ctys -t cli -a create \
            host[guest] does, once it takes SSH logins (SSHPING is implied; SSHPING:OFF skips it); the \
            guest needs an inventory entry with its address (host:), else the command is refused (exit 3). \
            XTERM and GTERM open that shell in a new window titled host[guest], detached, one per guest \
            (a row of its own, "host[guest] (xterm)"). VNC shows the guest's display at its hypervisor in a \
            local viewer once it runs, as ctys -t vnc -a create host[guest] does (its port forwarded over \
            SSH from the host, detached, a row of its own "host[guest] (vnc)", one viewer per guest). \
            NONE: no console (the \
            default). CLI and SERIAL take this terminal: one guest only (several are a usage error naming \
            them). F:<file> with a console is refused: the guest's name is known only once it is created.

            Leaving a console:
            ~. after a newline leaves the serial console (exit 0) and closes the channel, which ends xl \
            console on the host; ~~ sends one ~, ~? lists the escapes. Ctrl-] is passed to xl, whose \
            own escape it is: its console ends, and ctys ends with status 0 as after ~. A console that \
            ends otherwise (the guest stopped, xl failed, the connection broke) is reported (exit 1). \
            The terminal is restored exactly (stty -g before and after equal). For a guest of localhost \
            xl console runs on this terminal directly, with only its own escape, Ctrl-].

            LIST and ENUMERATE:
            LIST shows one row per guest from xl list (Domain-0 is the host itself and not listed): state, \
            id, memory, vCPUs, autostart (a link in /etc/xen/auto), and the console kinds it offers \
            (consoles: SERIAL for every guest, VNC when its configuration has a display, from xl list -l; CLI, \
            XTERM, GTERM when the inventory knows its address; "?" when the host could not say). ENUMERATE adds MACs and consoles from \
            xl list -l and prints inventory lines to paste.

            Tests:
            xl cannot run without the Xen hypervisor; ctys's tests drive a stand-in xl that speaks xl's \
            command line and output formats (Xen 4.17) on a test host.
            """;

    private XenDetails() {}
}
