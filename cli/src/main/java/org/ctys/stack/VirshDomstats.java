package org.ctys.stack;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code virsh domstats --state} (libvirt 9, virsh-domain-monitor.c): per domain a line
 * {@code Domain: 'NAME'} (the name as it is: libvirt refuses a newline in a name, nothing else is
 * escaped), then {@code  state.state=N} and {@code  state.reason=N} indented by two spaces, then
 * a blank line. N is libvirt's virDomainState, and the reason its state's reason.
 */
final class VirshDomstats {
    private static final String DOMAIN = "Domain: '";
    private static final String STATE = "  state.state=";
    private static final String REASON = "  state.reason=";
    /** virDomainShutoffReason VIR_DOMAIN_SHUTOFF_SAVED: shut off by a (managed) save. */
    private static final String SHUTOFF_SAVED = "5";

    private VirshDomstats() {}

    /** The state of {@code guest}; {@link GuestState#ABSENT} when the listing does not have it. */
    static GuestState state(String stdout, String guest) {
        String current = null;
        for (String line : stdout.split("\n", -1)) {
            if (line.startsWith(DOMAIN)) {
                current = name(line);
            } else if (line.startsWith(STATE)) {
                if (current == null) throw new IllegalArgumentException("virsh domstats printed a state before any domain: \"" + line + "\"");
                if (current.equals(guest)) return number(line.substring(STATE.length()), line);
            } else {
                other(line);
            }
        }
        return GuestState.ABSENT;
    }

    /**
     * Every domain listed, in its order, with its state (shut off by a save: {@link GuestState#SAVED});
     * the rest of {@link Guest} is not in this listing.
     */
    static List<Guest> all(String stdout) {
        List<Guest> guests = new ArrayList<>();
        String current = null;
        GuestState state = null;
        for (String line : stdout.split("\n", -1)) {
            if (line.startsWith(DOMAIN)) {
                if (current != null) guests.add(guest(current, state));
                current = name(line);
                state = null;
            } else if (line.startsWith(STATE) || line.startsWith(REASON)) {
                if (current == null) throw new IllegalArgumentException("virsh domstats printed a state before any domain: \"" + line + "\"");
                if (line.startsWith(STATE)) state = number(line.substring(STATE.length()), line);
                else if (state == GuestState.OFF && line.substring(REASON.length()).equals(SHUTOFF_SAVED)) state = GuestState.SAVED;
            } else {
                other(line);
            }
        }
        if (current != null) guests.add(guest(current, state));
        return guests;
    }

    private static Guest guest(String name, GuestState state) {
        if (state == null) throw new IllegalArgumentException("virsh domstats printed no state for domain '" + name + "'");
        return new Guest(name, state, null, null, null, null);
    }

    private static String name(String line) {
        if (!line.endsWith("'") || line.length() < DOMAIN.length() + 2) {
            throw new IllegalArgumentException("virsh domstats printed a domain line it should not: \"" + line + "\"");
        }
        return line.substring(DOMAIN.length(), line.length() - 1);
    }

    /** Blank lines and other indented statistics pass; anything else is not domstats. */
    private static void other(String line) {
        if (!line.isEmpty() && !line.startsWith("  ")) {
            throw new IllegalArgumentException("virsh domstats printed a line it should not: \"" + line + "\"");
        }
    }

    /** virDomainState (libvirt-domain.h), as {@link VirshDominfo#state} reads virsh's words for it. */
    private static GuestState number(String number, String line) {
        return switch (number) {
            case "1", "2" -> GuestState.RUNNING; // running, blocked (idle)
            case "3" -> GuestState.PAUSED;
            case "4" -> GuestState.SHUTTING_DOWN;
            case "5" -> GuestState.OFF;
            case "6" -> GuestState.CRASHED;
            case "0", "7" -> GuestState.OTHER; // no state, pmsuspended
            default -> throw new IllegalArgumentException("virsh domstats printed an unknown state: \"" + line + "\"");
        };
    }
}
