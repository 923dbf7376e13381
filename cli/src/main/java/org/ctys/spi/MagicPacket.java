package org.ctys.spi;

import org.ctys.grammar.Mac;
import org.ctys.inventory.SecretRef;

/**
 * One Wake-on-LAN packet: 6×0xFF, the MAC 16 times, then the SecureOn password if there is one,
 * sent by UDP to {@code destination:port}.
 *
 * @param target      the target this packet wakes (for the report)
 * @param mac         the MAC to wake
 * @param destination IPv4 broadcast (or unicast) address
 * @param port        UDP port (9 unless told otherwise)
 * @param interfaceName the local interface the packet leaves by, or null for the routing table's choice
 * @param secureOn    where the SecureOn password is kept, or null; read only when sending
 * @param sent        what being sent means for the target: go on (a wait follows) or done
 */
public record MagicPacket(String target, Mac mac, String destination, int port, String interfaceName,
                          SecretRef secureOn, Verdict sent) {

    @Override
    public String toString() { return describe(); }

    public String describe() {
        StringBuilder b = new StringBuilder("wakeonlan -i ").append(ShellWords.quote(destination)).append(" -p ")
                .append(port).append(' ').append(mac);
        if (interfaceName != null) b.append("   # out of ").append(ShellWords.quote(interfaceName));
        if (secureOn != null) {
            b.append(interfaceName == null ? "   # " : ", ").append("SecureOn password from ")
                    .append(ControlChars.escape(String.valueOf(secureOn)));
        }
        return b.toString();
    }
}
