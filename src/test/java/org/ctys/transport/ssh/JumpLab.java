package org.ctys.transport.ssh;

import java.util.List;

/**
 * Three namespaces in a line, root - a - b - c, each link its own /24, with forwarding off:
 * only a is reachable from the root namespace, b only from a, c only from b. So a command reaches
 * c only by jumping through a and then b, in that order.
 *
 * <p>Every namespace and the root namespace blackhole the subnets they must not reach (and the
 * namespaces their default route), so a mistake drops packets instead of sending them anywhere.
 * Names are fixed: a run after a crash first removes what the crashed run left.
 */
final class JumpLab implements AutoCloseable {

    static final String A = "ctyssh-a";
    static final String B = "ctyssh-b";
    static final String C = "ctyssh-c";
    static final String A_ADDR = "10.214.1.2";
    static final String B_ADDR = "10.214.2.2";
    static final String C_ADDR = "10.214.3.2";
    private static final String ROOT_VETH = "ctyssh-r0";
    private static final List<String> ROOT_BLACKHOLES = List.of("10.214.2.0/24", "10.214.3.0/24");

    static JumpLab create() {
        Tools.requireRoot();
        Tools.require("/usr/sbin/ip", "iproute2");
        JumpLab lab = new JumpLab();
        lab.close();
        try {
            lab.build();
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build() {
        for (String ns : List.of(A, B, C)) {
            Tools.ok("ip", "netns", "add", ns);
            Tools.ok("ip", "-n", ns, "link", "set", "lo", "up");
            Tools.ok("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0");
            Tools.ok("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            Tools.ok("ip", "-n", ns, "route", "add", "blackhole", "default");
        }
        link(null, ROOT_VETH, "10.214.1.1/24", A, "eth0", A_ADDR + "/24");
        link(A, "eth1", "10.214.2.1/24", B, "eth0", B_ADDR + "/24");
        link(B, "eth1", "10.214.3.1/24", C, "eth0", C_ADDR + "/24");
        Tools.ok("ip", "-n", A, "route", "add", "blackhole", "10.214.3.0/24");
        Tools.ok("ip", "-n", C, "route", "add", "blackhole", "10.214.1.0/24");
        for (String net : ROOT_BLACKHOLES) {
            Tools.ok("ip", "route", "add", "blackhole", net);
        }
    }

    /** A veth pair from {@code leftNs} (null: root namespace) to {@code rightNs}, both ends up and addressed. */
    private static void link(String leftNs, String left, String leftAddr, String rightNs, String right, String rightAddr) {
        if (leftNs == null) {
            Tools.ok("ip", "link", "add", left, "type", "veth", "peer", "name", right, "netns", rightNs);
            Tools.ok("ip", "addr", "add", leftAddr, "dev", left);
            Tools.ok("ip", "link", "set", left, "up");
        } else {
            Tools.ok("ip", "-n", leftNs, "link", "add", left, "type", "veth", "peer", "name", right, "netns", rightNs);
            Tools.ok("ip", "-n", leftNs, "addr", "add", leftAddr, "dev", left);
            Tools.ok("ip", "-n", leftNs, "link", "set", left, "up");
        }
        Tools.ok("ip", "-n", rightNs, "addr", "add", rightAddr, "dev", right);
        Tools.ok("ip", "-n", rightNs, "link", "set", right, "up");
    }

    /** Removes everything, whether or not it exists: deleting a namespace deletes its veth ends and peers. */
    @Override
    public void close() {
        for (String ns : List.of(A, B, C)) {
            Tools.run("ip", "netns", "del", ns);
        }
        Tools.run("ip", "link", "del", ROOT_VETH);
        for (String net : ROOT_BLACKHOLES) {
            Tools.run("ip", "route", "del", "blackhole", net);
        }
    }
}
