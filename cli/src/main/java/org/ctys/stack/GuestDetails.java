package org.ctys.stack;

import java.util.List;

/**
 * What ENUMERATE adds to a guest: its network cards' MACs and the kinds of console it offers.
 *
 * @param macs     lower case, colon separated, in the order of the guest's configuration
 * @param consoles ctys's console kinds: "serial" (the hypervisor's console), "vnc" (with its
 *                 address when the hypervisor gives one, e.g. "vnc:127.0.0.1:5900")
 */
public record GuestDetails(String name, List<String> macs, List<String> consoles) {
    public GuestDetails {
        macs = List.copyOf(macs);
        consoles = List.copyOf(consoles);
    }
}
