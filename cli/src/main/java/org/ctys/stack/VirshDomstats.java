package org.ctys.stack;

/**
 * Reads {@code virsh domstats --state} (libvirt 9, virsh-domain-monitor.c): per domain a line
 * {@code Domain: 'NAME'} (the name as it is: libvirt refuses a newline in a name, nothing else is
 * escaped), then {@code  state.state=N} and {@code  state.reason=N} indented by two spaces, then
 * a blank line. N is libvirt's virDomainState.
 */
final class VirshDomstats {
    private static final String DOMAIN = "Domain: '";
    private static final String STATE = "  state.state=";

    private VirshDomstats() {}

    /** The state of {@code guest}; {@link GuestState#ABSENT} when the listing does not have it. */
    static GuestState state(String stdout, String guest) {
        String current = null;
        for (String line : stdout.split("\n", -1)) {
            if (line.startsWith(DOMAIN)) {
                if (!line.endsWith("'") || line.length() < DOMAIN.length() + 2) {
                    throw new IllegalArgumentException("virsh domstats printed a domain line it should not: \"" + line + "\"");
                }
                current = line.substring(DOMAIN.length(), line.length() - 1);
            } else if (line.startsWith(STATE)) {
                if (current == null) throw new IllegalArgumentException("virsh domstats printed a state before any domain: \"" + line + "\"");
                if (current.equals(guest)) return number(line.substring(STATE.length()), line);
            } else if (!line.isEmpty() && !line.startsWith("  ")) {
                throw new IllegalArgumentException("virsh domstats printed a line it should not: \"" + line + "\"");
            }
        }
        return GuestState.ABSENT;
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
