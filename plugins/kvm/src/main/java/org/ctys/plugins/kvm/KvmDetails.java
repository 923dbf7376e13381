package org.ctys.plugins.kvm;

import org.ctys.stack.Consoles;

/** The long help of the KVM type, also its man page's body. */
final class KvmDetails {
    static final String TEXT = """
            Where virsh runs:
            On the guest's host, over SSH like every remote step of ctys (~/.ssh/config, -l, -J and the \
            inventory's jump hosts apply; known_hosts is checked); for localhost on this host, without SSH. \
            Every command names its connection: virsh -c URI, the URI from the host's inventory entry \
            (uri:), else qemu:///system. Targets are the hosts, with L:<guest> (or ALL for CANCEL); a \
            stack address host[guest] names the guest directly, and host[guest][guest2] a guest of a guest \
            that is a host itself (reached through its host when the inventory says via-host-only).

            Confirmed, never slept:
            Every change is confirmed by the state virsh domstats reports, asked every 250ms (once for all the guests that wait on a host) on the one SSH \
            connection ctys keeps per host, bounded by TIMEOUT (default 2m). While guests of a host are waited for, one \
            virsh event --loop --event lifecycle runs there too: the event that says a guest stopped (or started, paused, \
            resumed) ends its wait at once ("told by virsh event" in the report); it ends when the waits do. CANCEL asks the guest to \
            shut down (virsh shutdown: ACPI; the guests of one host with one virsh, its commands separated by ;) and waits until it is shut off; a guest still running after \
            TIMEOUT fails the command (exit 1) with its state named, unless FORCE, which then destroys it \
            (virsh destroy) and confirms it off. REBOOT is a confirmed shutdown followed by virsh start, \
            confirmed running. RESET is virsh reset. SUSPEND is virsh managedsave: the guest's memory goes \
            to disk and the guest stops; RESUME (or CREATE, or virsh start) brings it back as it was. PAUSE \
            is virsh suspend (the CPUs stop, memory stays in RAM); RESUME of a paused guest is virsh resume. \
            A guest that is not in a state the action applies to (CANCEL of a shut off guest) is reported \
            as it is and left alone. A guest that is a host itself (hypervisor: kvm or xen in its inventory \
            entry) has its own guests shut down first, deepest first, and comes back with them on REBOOT.

            CREATE:
            L:<guest> starts a guest its host defines (virsh start; a saved guest is restored, a paused \
            one resumed) and waits until it runs; one that runs already is left alone and reported so \
            (CONNECT: only a running guest is used; REUSE: both are fine). F:<file> runs virsh create \
            with an XML file on the host and confirms the guest it names runs. When the inventory knows \
            the guest, ctys then waits until its address answers (PING, default 60%2; PING:OFF skips) and, \
            with SSHPING, until an SSH login succeeds.

            Consoles (CONSOLE:):
            CREATE=L:<guest>,CONSOLE:<kind> opens a console once the guest runs (started first when it \
            does not; with CONNECT only a running guest, with REUSE either; a guest that runs already \
            without either is used as it is).\s""" + Consoles.guestConsoleHelp("virsh", "FORCE (with SERIAL) takes the console over from another client that holds it (virsh console --force); without it, a console another client holds fails (exit 1, virsh's message on the screen). ") + """

            LIST and ENUMERATE:
            LIST asks every host at once and shows one row per guest: host, guest, state, id, memory, \
            vCPUs, autostart, and the console kinds it offers (consoles: SERIAL for a pty serial line or \
            console, VNC for a VNC display, read from virsh dumpxml; CLI, XTERM, GTERM when the inventory \
            knows its address; "?" when the host could not say) (-X records, --output json). ENUMERATE adds each guest's MACs and console \
            kinds (serial for a pty console, vnc with its address) and prints each host's guests as \
            inventory lines to paste under machines:; a guest whose name the pasted inventory would not \
            take is written as a comment saying why, so that the paste still loads: a name that is not an \
            inventory name (a space, a letter beyond ASCII), one the inventory already gives a machine \
            that is not a guest of this host, one a host of the same run has or a guest of another of its \
            hosts was written under (the first host to answer keeps it), one another guest of the host has \
            in another case. (With -T, each type's blocks are checked among themselves.) Without targets, every machine of the inventory with hypervisor: kvm is asked.

            Names:
            A guest whose name virsh reads as something else before a name (digits: a domain id; a UUID) \
            is refused and never acted on by that name, as domain 7 may be another guest: it fails alone \
            with "ambiguous-name" (exit 1) and its host is not taken down while it runs; rename it, or use \
            virsh with its UUID. So is a name with control characters, whose quoting not every shell reads \
            back as sent. A running guest is descended into as a host only when the inventory lists \
            it, with hypervisor:, under this very host; one that merely has the name of another inventory \
            machine is this host's guest.

            Errors:
            A host without virsh, a guest its host does not know (the message lists the guests it has), \
            a host that does not answer SSH, and a guest that does not stop each fail that target alone \
            (exit 1) with their own message; the other targets go on.
            """;

    private KvmDetails() {}
}
