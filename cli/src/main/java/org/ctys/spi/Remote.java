package org.ctys.spi;

import java.util.List;

/**
 * How a step reaches a machine over SSH: the host as the user named it (the SSH client's config
 * fills in the rest), and what the command line or the inventory says of user, port and hops.
 *
 * @param host  host name, alias or address
 * @param user  remote user, or null for the SSH config's (else the local user)
 * @param port  SSH port, or null for the SSH config's (else 22)
 * @param jumps jump hosts in OpenSSH's -J order (first hop first); empty: the SSH config's ProxyJump
 */
public record Remote(String host, String user, Integer port, List<String> jumps) {

    public Remote { jumps = List.copyOf(jumps); }

    /**
     * A hop as OpenSSH's -J reads it: an IPv6 address in brackets ({@code root@[::1]}), since there
     * a ':' would start a port. Hops are carried unbracketed unless they have a port ({@code [::1]:2222}).
     */
    static String jumpWord(String jump) {
        int at = jump.lastIndexOf('@');
        return jump.substring(0, at + 1) + org.ctys.grammar.Names.bracketIfIpv6(jump.substring(at + 1));
    }

    /** {@code ssh -J a,b -p 2222 root@host} as a person would type it. */
    public String describe() {
        StringBuilder b = new StringBuilder("ssh");
        if (!jumps.isEmpty()) {
            b.append(" -J ").append(ShellWords.quote(String.join(",", jumps.stream().map(Remote::jumpWord).toList())));
        }
        if (port != null) b.append(" -p ").append(port);
        return b.append(' ').append(ShellWords.quote(user == null ? host : user + "@" + host)).toString();
    }
}
