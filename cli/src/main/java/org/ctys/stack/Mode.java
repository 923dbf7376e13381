package org.ctys.stack;

import java.util.EnumSet;
import java.util.Set;

/** What CANCEL does to a guest (SPEC §3): each mode acts on the guests in some states and leaves the others. */
public enum Mode {
    POWEROFF(EnumSet.of(GuestState.RUNNING, GuestState.PAUSED, GuestState.SHUTTING_DOWN, GuestState.OTHER)),
    REBOOT(EnumSet.of(GuestState.RUNNING, GuestState.PAUSED, GuestState.SHUTTING_DOWN, GuestState.OTHER)),
    RESET(EnumSet.of(GuestState.RUNNING, GuestState.PAUSED)),
    SUSPEND(EnumSet.of(GuestState.RUNNING, GuestState.PAUSED)),
    PAUSE(EnumSet.of(GuestState.RUNNING)),
    RESUME(EnumSet.of(GuestState.PAUSED, GuestState.SAVED));

    private final Set<GuestState> actsOn;

    Mode(Set<GuestState> actsOn) { this.actsOn = actsOn; }

    /** Whether a guest in this state is acted on; the others are left as they are and named as skipped. */
    public boolean actsOn(GuestState s) { return actsOn.contains(s); }

    /** The word of the report for what was done. */
    public String done() {
        return switch (this) {
            case POWEROFF -> "shut down";
            case REBOOT -> "rebooted";
            case RESET -> "reset";
            case SUSPEND -> "saved";
            case PAUSE -> "paused";
            case RESUME -> "resumed";
        };
    }
}
