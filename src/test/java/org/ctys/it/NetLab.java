package org.ctys.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A private Ethernet segment made of network namespaces: a bridge in its own namespace and one
 * namespace per host, each joined to the bridge by a veth pair. Nothing is created in the root
 * namespace, and every host namespace blackholes its default route and the private ranges, so a
 * packet that misses the test subnet is dropped instead of leaving the machine.
 *
 * <p>Names are fixed per prefix, so a run after a crash first removes what the crashed run left.
 */
final class NetLab implements AutoCloseable {
    /** The interface name every host has on the segment. */
    static final String IF = "wol0";

    private static final List<String> BLACKHOLED = List.of("default", "10.0.0.0/8", "172.16.0.0/12",
            "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16");

    private final String prefix;
    private final Map<String, String> hosts;

    /**
     * @param prefix short and unique per test class (namespace names start with it)
     * @param hosts  host name to its address with prefix length ("10.213.0.1/24"), or null for none yet
     */
    NetLab(String prefix, Map<String, String> hosts) {
        this.prefix = prefix;
        this.hosts = new LinkedHashMap<>(hosts);
    }

    static NetLab create(String prefix, Map<String, String> hosts) {
        Proc.requireRoot();
        Proc.requireTool("ip", "iproute2");
        NetLab lab = new NetLab(prefix, hosts);
        lab.removeLeftovers();
        try {
            lab.build();
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    String bridgeNs() { return prefix + "-br"; }

    String ns(String host) {
        if (!hosts.containsKey(host)) throw new IllegalArgumentException("no host " + host + " in this lab");
        return prefix + "-" + host;
    }

    private List<String> allNamespaces() {
        List<String> all = new ArrayList<>();
        all.add(bridgeNs());
        hosts.keySet().forEach(h -> all.add(ns(h)));
        return all;
    }

    private void build() {
        for (String n : allNamespaces()) {
            Proc.ok("ip", "netns", "add", n);
            // IPv6 would add router solicitations and such; the segment carries only what the test sends.
            Proc.ok("ip", "netns", "exec", n, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            Proc.ok("ip", "netns", "exec", n, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            Proc.ok("ip", "-n", n, "link", "set", "lo", "up");
            for (String dest : BLACKHOLED) Proc.ok("ip", "-n", n, "route", "add", "blackhole", dest);
        }
        String br = bridgeNs();
        Proc.ok("ip", "-n", br, "link", "add", "br0", "type", "bridge");
        Proc.ok("ip", "-n", br, "link", "set", "br0", "up");
        int i = 0;
        for (Map.Entry<String, String> h : hosts.entrySet()) {
            String port = "port" + i++;
            Proc.ok("ip", "-n", br, "link", "add", port, "type", "veth", "peer", "name", IF, "netns", ns(h.getKey()));
            Proc.ok("ip", "-n", br, "link", "set", port, "master", "br0");
            Proc.ok("ip", "-n", br, "link", "set", port, "up");
            Proc.ok("ip", "-n", ns(h.getKey()), "link", "set", IF, "up");
            if (h.getValue() != null) addAddress(h.getKey(), h.getValue());
        }
    }

    void addAddress(String host, String cidr) {
        Proc.ok("ip", "-n", ns(host), "addr", "add", cidr, "brd", "+", "dev", IF);
    }

    void flushAddresses(String host) {
        Proc.ok("ip", "-n", ns(host), "addr", "flush", "dev", IF);
    }

    /** A route for the limited broadcast 255.255.255.255 out of the segment (fresh namespaces have none). */
    void routeLimitedBroadcast(String host) {
        Proc.ok("ip", "-n", ns(host), "route", "add", "255.255.255.255/32", "dev", IF);
    }

    private void removeLeftovers() {
        Proc.Outcome list = Proc.run(Duration.ofSeconds(10), List.of("ip", "netns", "list"));
        for (String line : list.out().split("\n")) {
            String name = line.split("\\s+")[0];
            if (name.startsWith(prefix + "-")) Proc.quietly("ip", "netns", "del", name);
        }
        for (String n : allNamespaces()) Proc.quietly("ip", "netns", "del", n);
    }

    /** Deleting a namespace deletes its veth ends, and with them their peers and the bridge. */
    @Override
    public void close() {
        for (String n : allNamespaces()) Proc.quietly("ip", "netns", "del", n);
    }
}
