package org.ctys.os;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** This host's network interfaces as Wake-on-LAN needs them: the IPv4 address and broadcast of each. */
public final class Interfaces {

    /** IPv4 address and broadcast address of one interface. */
    public record Ipv4(String name, InetAddress address, InetAddress broadcast) {}

    private Interfaces() {}

    public static Optional<Ipv4> ipv4(String name) {
        try {
            NetworkInterface ni = NetworkInterface.getByName(name);
            if (ni == null) return Optional.empty();
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                if (ia.getBroadcast() != null) return Optional.of(new Ipv4(name, ia.getAddress(), ia.getBroadcast()));
            }
            return Optional.empty();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    /** Names of the interfaces that have an IPv4 broadcast address, for "valid:" lists. */
    public static List<String> namesWithBroadcast() {
        List<String> names = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ipv4(ni.getName()).isPresent()) names.add(ni.getName());
            }
        } catch (SocketException e) {
            return names;
        }
        Collections.sort(names);
        return names;
    }
}
