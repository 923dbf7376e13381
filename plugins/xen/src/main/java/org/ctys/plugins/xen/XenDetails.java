package org.ctys.plugins.xen;

import org.ctys.stack.Consoles;

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
            without either is used as it is).\s""" + Consoles.guestConsoleHelp("xl", "xl console has no take-over: FORCE is a usage error. ") + """

            LIST and ENUMERATE:
            LIST shows one row per guest from xl list (Domain-0 is the host itself and not listed): state, \
            id, memory, vCPUs, autostart (a link in /etc/xen/auto), and the console kinds it offers \
            (consoles: SERIAL for every guest, VNC when its configuration has a display, from xl list -l; CLI, \
            XTERM, GTERM when the inventory knows its address; "?" when the host could not say). ENUMERATE adds MACs and consoles from \
            xl list -l and prints inventory lines to paste (a guest whose name the pasted inventory would \
            not take, as with KVM, is written as a comment saying why, so that the paste still loads).

            Names:
            A guest whose name is all digits is refused and never acted on by that name: xl reads digits \
            as a domain id, which may be another guest's (exit 1, "ambiguous-name"). So is a name with a /, \
            or . or .., as xl's config and save files are named after the guest and such a name leads out of \
            /etc/xen and /var/lib/xen/save. xl list rows are read \
            from the right, so a name with spaces, even one that looks like columns, is one guest; a state \
            row must name the asked guest.

            Tests:
            xl cannot run without the Xen hypervisor; ctys's tests drive a stand-in xl that speaks xl's \
            command line and output formats (Xen 4.17) on a test host.
            """;

    private XenDetails() {}
}
