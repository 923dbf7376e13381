package org.ctys.spi;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.ctys.grammar.Durations;

/**
 * Send Wake-on-LAN magic packets, all of them before anything else happens. Packets of a target
 * that is already finished (e.g. found up) are left out. When at least one packet went out,
 * {@code delayAfter} (if any) is waited once, as {@code WOL:<delay>} asks.
 */
public record MagicPackets(List<MagicPacket> packets, Duration delayAfter) implements Step {

    public MagicPackets { packets = List.copyOf(packets); }

    public MagicPackets(List<MagicPacket> packets) { this(packets, null); }

    @Override
    public List<SecretUse> secrets() {
        return packets.stream().filter(p -> p.secureOn() != null)
                .map(p -> new SecretUse(p.secureOn(), SecretUse.Form.SECURE_ON, true)).toList();
    }

    @Override
    public String describe() {
        String sends = packets.stream().map(MagicPacket::describe).collect(Collectors.joining("\n"));
        return delayAfter == null ? sends
                : sends + "\nsleep " + Durations.format(delayAfter) + "   # WOL delay, once, if a packet was sent";
    }
}
