package org.ctys.spi;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Send Wake-on-LAN magic packets, all of them before anything else happens. Packets of a target
 * that is already finished (e.g. found up) are left out.
 */
public record MagicPackets(List<MagicPacket> packets) implements Step {

    public MagicPackets { packets = List.copyOf(packets); }

    @Override
    public String describe() {
        return packets.stream().map(MagicPacket::describe).collect(Collectors.joining("\n"));
    }
}
