package org.ctys.transport.ssh;

import java.nio.file.Path;
import org.ctys.grammar.Names;
import java.util.List;
import java.util.Locale;

/**
 * One machine to authenticate to, fully resolved: the config has been applied and nothing is left
 * to look up. {@code name} is what the user typed, kept for messages. Host names are carried bare,
 * an IPv6 literal as {@code ::1}; brackets are added only where a port follows.
 *
 * @param userKnownHosts   UserKnownHostsFile: read, and the first one is where accepted keys are added
 * @param globalKnownHosts GlobalKnownHostsFile: read only
 * @param hostKeyAlias     HostKeyAlias: the name looked up in known_hosts instead of host and port, or null
 * @param proxyJump        ProxyJump from the config, or null
 * @param proxyCommand     ProxyCommand from the config, or null; never both
 */
record Hop(String name, String hostName, int port, String user, List<Path> identities, List<Path> userKnownHosts,
           List<Path> globalKnownHosts, String hostKeyAlias, String proxyJump, ProxyCommand proxyCommand,
           java.time.Duration connectTimeout, boolean identitiesOnly, boolean hashKnownHosts) {

    /** A ProxyCommand as the config gives it, tokens expanded, with where it was set for messages. */
    record ProxyCommand(String command, String origin) {
    }

    Hop {
        identities = List.copyOf(identities);
        userKnownHosts = List.copyOf(userKnownHosts);
        globalKnownHosts = List.copyOf(globalKnownHosts);
    }

    /**
     * The name looked up in known_hosts, as OpenSSH forms it: the HostKeyAlias if there is one,
     * else the host bare on port 22 and {@code [host]:port} on any other; lower case.
     */
    String knownHostsName() {
        String n = hostKeyAlias != null ? hostKeyAlias : port == 22 ? hostName : "[" + hostName + "]:" + port;
        return n.toLowerCase(Locale.ROOT);
    }

    /** Every file read for host keys, the user's first. */
    List<Path> knownHosts() {
        return java.util.stream.Stream.concat(userKnownHosts.stream(), globalKnownHosts.stream()).toList();
    }

    /** The same machine reached without a proxy of its own (a later hop of a -J chain: the chain carries it). */
    Hop withoutProxy() {
        return new Hop(name, hostName, port, user, identities, userKnownHosts, globalKnownHosts, hostKeyAlias, null, null, connectTimeout, identitiesOnly, hashKnownHosts);
    }

    /** {@code host:port}, with the host in brackets when it is an IPv6 literal. */
    String hostPort() {
        return hostPort(hostName, port);
    }

    static String hostPort(String host, int port) {
        return Names.bracketIfIpv6(host) + ":" + port;
    }

    /** The part of the session key that says where the session ends. */
    String address() {
        return user + "@" + hostPort();
    }
}
