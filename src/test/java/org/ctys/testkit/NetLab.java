package org.ctys.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Test hosts made of network namespaces: each host a namespace, joined by bridged Ethernet
 * segments ({@link #segment}) or by point-to-point links ({@link #link}, {@link #chain}), some
 * of them reachable from the root namespace ({@link #linkFromRoot}).
 *
 * <p>Nothing leaves the machine: every host has its loopback up, IPv4 forwarding off, IPv6 off
 * (unless made with {@link #hostWithIpv6}), and blackholes its default route and the private
 * ranges, so a packet that misses the test subnets is dropped instead of sent anywhere. Once a
 * lab reaches the root namespace, the root namespace blackholes every subnet of the lab it is not
 * on itself, so it cannot route one of them out of the machine's own default route.
 *
 * <p>Every namespace ({@code PREFIX-HOST}) and root-namespace interface ({@code PREFIX-rN}) is
 * named after the lab's prefix, so two labs with different prefixes never collide, and a lab
 * first removes whatever a crashed run with the same prefix left behind.
 */
public final class NetLab implements AutoCloseable {
    /** The interface every host has on a segment made by {@link #create(String, Map)} or {@link #segment(String, Map)}. */
    public static final String IF = "wol0";

    private static final List<String> BLACKHOLED = List.of("default", "10.0.0.0/8", "172.16.0.0/12",
            "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16");
    /** Room for "-r99" in the 15 characters Linux allows an interface name. */
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{0,10}");
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    /** One host of a {@link #chain}: its name in the lab, its namespace and its address on the link towards the root. */
    public record Hop(String name, String ns, String address) {}

    private final String prefix;
    private final String ip;
    private final Map<String, String> hosts = new LinkedHashMap<>();
    private final Map<String, String> segments = new LinkedHashMap<>();
    private final List<String> rootLinks = new ArrayList<>();
    private final Set<String> subnets = new LinkedHashSet<>();
    private final Set<String> rootSubnets = new LinkedHashSet<>();
    private final Set<String> rootBlackholes = new LinkedHashSet<>();

    private NetLab(String prefix, String ip) {
        this.prefix = prefix;
        this.ip = ip;
    }

    /**
     * An empty lab; add hosts, segments and links. Needs root.
     *
     * @param prefix short ({@code [a-z][a-z0-9-]{0,10}}) and unique per test class
     */
    public static NetLab create(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("lab prefix must match " + PREFIX + " (it names interfaces): " + prefix);
        }
        Proc.requireRoot();
        NetLab lab = new NetLab(prefix, Proc.require("ip", "iproute2"));
        if (!LIVE.add(prefix)) throw new IllegalStateException("a lab with prefix " + prefix + " is already running");
        try {
            lab.removeLeftovers();
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /**
     * A lab of one segment: a bridge in its own namespace ({@code PREFIX-br}) and one host per
     * entry, each on the bridge through {@link #IF}.
     *
     * @param hosts host name to its address with prefix length ("10.213.0.1/24"), or null for none yet
     */
    public static NetLab create(String prefix, Map<String, String> hosts) {
        NetLab lab = create(prefix);
        try {
            lab.segment("br", hosts);
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** Adds a host (a namespace, IPv6 off) unless it exists; returns its namespace. */
    public String host(String name) {
        return host(name, false);
    }

    /** Adds a host with IPv6 on (its default route blackholed like IPv4's); returns its namespace. */
    public String hostWithIpv6(String name) {
        return host(name, true);
    }

    private String host(String name, boolean ipv6) {
        if (hosts.containsKey(name)) return hosts.get(name);
        if (!name.matches("[a-z0-9][a-z0-9-]*")) throw new IllegalArgumentException("host name must be [a-z0-9-]: " + name);
        String ns = prefix + "-" + name;
        hosts.put(name, ns);
        ip("netns", "add", ns);
        ip("-n", ns, "link", "set", "lo", "up");
        sysctl(ns, "net.ipv4.ip_forward=0");
        // IPv6 would add router solicitations and such; a segment carries only what the test sends.
        sysctl(ns, "net.ipv6.conf.all.disable_ipv6=" + (ipv6 ? 0 : 1));
        sysctl(ns, "net.ipv6.conf.default.disable_ipv6=" + (ipv6 ? 0 : 1));
        for (String dest : BLACKHOLED) ip("-n", ns, "route", "add", "blackhole", dest);
        if (ipv6) ip("-n", ns, "-6", "route", "add", "blackhole", "default");
        return ns;
    }

    /** The namespace of a host of this lab. */
    public String ns(String host) {
        String ns = hosts.get(host);
        if (ns == null) throw new IllegalArgumentException("no host " + host + " in lab " + prefix);
        return ns;
    }

    /** The namespace holding the bridge of the segment made by {@link #create(String, Map)}. */
    public String bridgeNs() {
        return segmentNs("br");
    }

    /** The namespace holding the bridge of segment {@code name}. */
    public String segmentNs(String name) {
        String ns = segments.get(name);
        if (ns == null) throw new IllegalArgumentException("no segment " + name + " in lab " + prefix);
        return ns;
    }

    /** An Ethernet segment joining {@code hosts} (made if new) through {@link #IF}; see {@link #segment(String, String, Map)}. */
    public NetLab segment(String name, Map<String, String> hosts) {
        return segment(name, IF, hosts);
    }

    /**
     * An Ethernet segment: a bridge in its own namespace ({@code PREFIX-NAME}), each host (made if
     * new) on it through interface {@code iface}, addressed when its address is not null.
     */
    public NetLab segment(String name, String iface, Map<String, String> hosts) {
        if (segments.containsKey(name) || this.hosts.containsKey(name)) {
            throw new IllegalArgumentException("segment " + name + " would reuse a name of lab " + prefix);
        }
        String br = prefix + "-" + name;
        segments.put(name, br);
        ip("netns", "add", br);
        sysctl(br, "net.ipv6.conf.all.disable_ipv6=1");
        sysctl(br, "net.ipv6.conf.default.disable_ipv6=1");
        ip("-n", br, "link", "set", "lo", "up");
        ip("-n", br, "link", "add", "br0", "type", "bridge");
        ip("-n", br, "link", "set", "br0", "up");
        int i = 0;
        for (Map.Entry<String, String> h : hosts.entrySet()) {
            String ns = host(h.getKey());
            String port = "port" + i++;
            ip("-n", br, "link", "add", port, "type", "veth", "peer", "name", iface, "netns", ns);
            ip("-n", br, "link", "set", port, "master", "br0");
            ip("-n", br, "link", "set", port, "up");
            ip("-n", ns, "link", "set", iface, "up");
            if (h.getValue() != null) addAddress(h.getKey(), iface, h.getValue());
        }
        return this;
    }

    /** A point-to-point link (veth pair) between two hosts of the lab (made if new), both ends up and addressed. */
    public NetLab link(String left, String leftIf, String leftCidr, String right, String rightIf, String rightCidr) {
        String l = host(left);
        String r = host(right);
        ip("-n", l, "link", "add", leftIf, "type", "veth", "peer", "name", rightIf, "netns", r);
        ip("-n", l, "link", "set", leftIf, "up");
        ip("-n", r, "link", "set", rightIf, "up");
        addAddress(left, leftIf, leftCidr);
        addAddress(right, rightIf, rightCidr);
        return this;
    }

    /**
     * A link from the root namespace (interface {@code PREFIX-rN}, address {@code rootCidr}) to
     * {@code host} (made if new); returns the root's interface name.
     */
    public String linkFromRoot(String rootCidr, String host, String hostIf, String hostCidr) {
        String ns = host(host);
        String rootIf = prefix + "-r" + rootLinks.size();
        ip("link", "add", rootIf, "type", "veth", "peer", "name", hostIf, "netns", ns);
        rootLinks.add(rootIf);
        ip("addr", "add", rootCidr, "dev", rootIf);
        ip("link", "set", rootIf, "up");
        ip("-n", ns, "link", "set", hostIf, "up");
        rootSubnets.add(network(rootCidr));
        addAddress(host, hostIf, hostCidr);
        return rootIf;
    }

    /**
     * Hosts in a line, root - first - second - ..., each link its own /24 {@code NET.(i+1).0/24}
     * (".1" on the near side, ".2" on the far one, which is {@code eth0}; a host's next link is
     * {@code eth1}). With forwarding off, only the first host is reachable from the root namespace,
     * the second only from the first, and so on: a connection reaches the last host only by jumping
     * through all the others, in order.
     *
     * @param net the first two octets, "10.214"
     */
    public List<Hop> chain(String net, String... names) {
        List<Hop> hops = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            String near = net + "." + (i + 1) + ".1/24";
            String far = net + "." + (i + 1) + ".2";
            if (i == 0) linkFromRoot(near, names[0], "eth0", far + "/24");
            else link(names[i - 1], "eth1", near, names[i], "eth0", far + "/24");
            hops.add(new Hop(names[i], ns(names[i]), far));
        }
        return List.copyOf(hops);
    }

    /** Adds an address to a host's {@link #IF}. */
    public void addAddress(String host, String cidr) {
        addAddress(host, IF, cidr);
    }

    /** Adds an address (with its broadcast address) to a host's interface. */
    public void addAddress(String host, String iface, String cidr) {
        ip("-n", ns(host), "addr", "add", cidr, "brd", "+", "dev", iface);
        subnets.add(network(cidr));
        blackholeInRoot();
    }

    /** Removes every address from a host's {@link #IF}. */
    public void flushAddresses(String host) {
        ip("-n", ns(host), "addr", "flush", "dev", IF);
    }

    /** A route for the limited broadcast 255.255.255.255 out of {@link #IF} (fresh namespaces have none). */
    public void routeLimitedBroadcast(String host) {
        routeLimitedBroadcast(host, IF);
    }

    public void routeLimitedBroadcast(String host, String iface) {
        ip("-n", ns(host), "route", "add", "255.255.255.255/32", "dev", iface);
    }

    /** Once the root namespace is on the lab, it drops every lab subnet it is not on itself. */
    private void blackholeInRoot() {
        if (rootSubnets.isEmpty()) return;
        for (String net : subnets) {
            if (rootSubnets.contains(net) || rootBlackholes.contains(net)) continue;
            // replace, not add: a crashed run may have left the same route
            ip("route", "replace", "blackhole", net);
            rootBlackholes.add(net);
        }
    }

    private void ip(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = ip;
        System.arraycopy(args, 0, command, 1, args.length);
        Proc.ok(command);
    }

    private void sysctl(String ns, String setting) {
        ip("netns", "exec", ns, "sysctl", "-q", "-w", setting);
    }

    /** "10.214.2.2/24" → "10.214.2.0/24". */
    static String network(String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        String[] o = parts[0].split("\\.");
        int addr = 0;
        for (String octet : o) addr = (addr << 8) | Integer.parseInt(octet);
        int net = bits == 0 ? 0 : addr & (-1 << (32 - bits));
        return (net >>> 24) + "." + ((net >>> 16) & 255) + "." + ((net >>> 8) & 255) + "." + (net & 255) + "/" + bits;
    }

    private void removeLeftovers() {
        for (String line : Proc.quietly(ip, "netns", "list").out().split("\n")) {
            String name = line.split("\\s+")[0];
            if (name.startsWith(prefix + "-")) Proc.quietly(ip, "netns", "del", name);
        }
        for (String line : Proc.quietly(ip, "-o", "link", "show").out().split("\n")) {
            // "12: ctyssh-r0@if2: <BROADCAST,..."
            String[] f = line.split(":\\s+", 3);
            if (f.length < 2) continue;
            String name = f[1].split("@")[0];
            if (name.startsWith(prefix + "-r")) Proc.quietly(ip, "link", "del", name);
        }
    }

    /** Deleting a namespace deletes its veth ends, and with them their peers and the bridges. */
    @Override
    public void close() {
        try {
            for (String ns : segments.values()) Proc.quietly(ip, "netns", "del", ns);
            for (String ns : hosts.values()) Proc.quietly(ip, "netns", "del", ns);
            for (String link : rootLinks) Proc.quietly(ip, "link", "del", link);
            for (String net : rootBlackholes) Proc.quietly(ip, "route", "del", "blackhole", net);
        } finally {
            LIVE.remove(prefix);
        }
    }
}
