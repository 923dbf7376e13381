package org.ctys.stack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the lines of {@code virsh event --event lifecycle} (libvirt's virsh-domain-event.c, in the C
 * locale): {@code event 'lifecycle' for domain 'NAME': EVENT DETAIL}, EVENT one word of
 * virDomainEventType and DETAIL its detail in words ("Shutdown", "Finished after guest request").
 * A domain's name is printed as it is, quotes and all: a line is about a guest only when it is
 * exactly that guest's line, its detail plain words.
 */
final class VirshEvents {
    private static final String PREFIX = "event 'lifecycle' for domain '";
    private static final Pattern REST = Pattern.compile("([A-Za-z]+) ([A-Za-z][A-Za-z ]*)");

    private VirshEvents() {}

    /** The state {@code line} says {@code guest} has entered; null for a line about another guest, or no state of its own. */
    static GuestState state(String guest, String line) {
        String head = PREFIX + guest + "': ";
        if (!line.startsWith(head)) return null;
        Matcher m = REST.matcher(line.substring(head.length()));
        if (!m.matches()) return null;
        return switch (m.group(1)) {
            case "Stopped" -> GuestState.OFF; // shut off: shut down, destroyed, crashed, saved, failed
            case "Started", "Resumed" -> GuestState.RUNNING;
            case "Suspended" -> GuestState.PAUSED;
            case "Crashed" -> GuestState.CRASHED;
            default -> null; // Defined, Undefined, Shutdown (the guest's system is done, its QEMU may not be yet), PMSuspended
        };
    }
}
