package org.ctys.plugins.pm;

import java.util.List;
import org.ctys.grammar.Mac;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.Remote;

/**
 * Everything known about one machine to wake, gathered from suboptions, inventory and
 * /etc/ethers before anything is sent.
 *
 * @param label       how the report names it
 * @param macs        the MACs to send packets for (one packet each)
 * @param address     where it answers once up, or null when nothing says
 * @param probePort   TCP port asked besides ICMP (its SSH port)
 * @param destination where the packets go (broadcast address)
 * @param port        UDP port of the packets
 * @param interfaceName local interface the packets leave by, or null
 * @param secureOn    SecureOn password reference, or null
 * @param remote      how it is reached over SSH (for SSHPING), or null when no address is known
 * @param gateway     the host the packets are sent from over SSH, or null for this host
 */
record Wake(String label, List<Mac> macs, String address, int probePort, String destination, int port,
            String interfaceName, SecretRef secureOn, Remote remote, Remote gateway) {

    Wake {
        macs = List.copyOf(macs);
    }
}
