package org.ctys.consoled;

import java.util.Objects;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.SerialSettings;

/**
 * Where a console's bytes come from: one record per kind. Two equal endpoints are the same
 * connection, so a reload keeps a console whose endpoint (and name) did not change.
 */
public sealed interface Endpoint {

    /** One line for the list and the log's marks; never a secret. */
    String describe();

    /** All of it, for the administrator's {@code --check}: a cmd: console's whole command line. */
    default String detail() { return describe(); }

    /** A local serial line, opened through transport/serial. */
    record Serial(SerialSettings line) implements Endpoint {
        public Serial { Objects.requireNonNull(line); }

        @Override
        public String describe() { return "serial " + line.device() + " " + line.speed(); }
    }

    /** IPMI Serial-over-LAN of a BMC, through transport/ipmi; its password is a file or variable reference. */
    record Sol(BmcSettings bmc) implements Endpoint {
        public Sol { Objects.requireNonNull(bmc); }

        @Override
        public String describe() { return "sol " + bmc.address() + ":" + bmc.port(); }
    }

    /**
     * A guest's hypervisor console ({@code virsh console}, {@code xl console}) over SSH.
     *
     * @param host   the hypervisor host as a ctys target names it: an inventory machine, or user@host[:port]
     * @param domain the guest's name on that host
     * @param uri    libvirt's connection URI for KVM (null: the inventory's or qemu:///system); null for XEN
     */
    record Guest(String host, String domain, Hypervisor hypervisor, String uri) implements Endpoint {
        public Guest {
            Objects.requireNonNull(host);
            Objects.requireNonNull(domain);
            Objects.requireNonNull(hypervisor);
        }

        @Override
        public String describe() {
            return (hypervisor == Hypervisor.XEN ? "xl" : "virsh") + " console " + domain + " on " + host;
        }
    }

    /** A command run on a pseudo terminal of the daemon's host ({@code /bin/sh -c}); its output is the console. */
    record Command(String commandLine) implements Endpoint {
        private static final java.util.regex.Pattern PROGRAM = java.util.regex.Pattern.compile("[^\\s;&|<>()]+");

        public Command { Objects.requireNonNull(commandLine); }

        /**
         * "cmd ipmitool": the program only. The rest of the line may hold a password ({@code -P}),
         * and this line reaches every user of the console, read-only ones too, and its log.
         */
        @Override
        public String describe() {
            java.util.regex.Matcher m = PROGRAM.matcher(commandLine);
            return m.find() ? "cmd " + m.group() : "cmd";
        }

        @Override
        public String detail() { return "cmd " + commandLine; }
    }

    /** A TCP port of a terminal server; {@code telnet}: the port speaks telnet (its negotiation is answered and stripped). */
    record Tcp(String host, int port, boolean telnet) implements Endpoint {
        public Tcp { Objects.requireNonNull(host); }

        @Override
        public String describe() { return (telnet ? "telnet " : "tcp ") + host + ":" + port; }
    }
}
