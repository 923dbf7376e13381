package org.ctys.stack;

/**
 * A guest as its host's hypervisor reports it, live.
 *
 * @param id        the hypervisor's id while it runs, else null
 * @param memoryKiB null when the hypervisor does not say
 * @param vcpus     null when the hypervisor does not say
 * @param autostart null when the hypervisor has no such notion or does not say
 */
public record Guest(String name, GuestState state, String id, Long memoryKiB, Integer vcpus, Boolean autostart) {}
