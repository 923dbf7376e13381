package org.ctys.stack;

/** What a hypervisor says of a guest, in words common to virsh and xl. */
public enum GuestState {
    RUNNING("running"),
    PAUSED("paused"),
    SHUTTING_DOWN("in shutdown"),
    OFF("shut off"),
    /** Off, with its memory kept on disk (virsh managedsave, xl save): RESUME brings it back as it was. */
    SAVED("saved"),
    CRASHED("crashed"),
    /** The hypervisor does not know the guest (any more): a transient or Xen guest that stopped, or a wrong name. */
    ABSENT("absent"),
    OTHER("other");

    private final String text;

    GuestState(String text) { this.text = text; }

    /** As reports print it. */
    public String text() { return text; }

    /** Takes memory or CPU on its host: it must be stopped before its host goes down. */
    public boolean holdsItsHost() { return this == RUNNING || this == PAUSED || this == SHUTTING_DOWN || this == OTHER; }
}
