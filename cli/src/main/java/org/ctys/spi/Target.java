package org.ctys.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.ctys.inventory.Machine;

/**
 * One resolved target of a command: a name as the user wrote it (after nodeset and group
 * expansion), the remote user, the guest levels of a stack address, what the inventory knows
 * of it (if anything), and the options that apply to it alone.
 */
public record Target(String name, String user, List<String> stack, Machine machine, Duration timeout) {

    public Target {
        stack = List.copyOf(stack);
    }

    public Optional<Machine> known() { return Optional.ofNullable(machine); }

    public boolean isLocal() { return stack.isEmpty() && isLocalName(name); }

    /** The names that mean this host, reached without SSH. */
    public static boolean isLocalName(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
    }

    /** The address to reach it at: the inventory's host entry, else its name. */
    public String address() {
        return known().map(Machine::host).filter(h -> h != null && !h.isBlank()).orElse(name);
    }

    /** The name as reports show it: {@code name[vm1][vm2]}; an IPv6 address before guests in brackets, {@code [::1][vm1]}. */
    public String display() {
        StringBuilder b = new StringBuilder(machineWord());
        for (String level : stack) b.append('[').append(level).append(']');
        return b.toString();
    }

    // as the target grammar reads it back: "::1[vm1]" would not be an address
    private String machineWord() {
        return stack.isEmpty() ? name : org.ctys.grammar.Names.bracketIfIpv6(name);
    }

    /** The full label: {@code user@name[vm1][vm2]}. */
    public String label() {
        StringBuilder b = new StringBuilder();
        if (user != null) b.append(user).append('@');
        b.append(machineWord());
        for (String level : stack) b.append('[').append(level).append(']');
        return b.toString();
    }
}
