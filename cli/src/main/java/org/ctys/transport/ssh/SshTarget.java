package org.ctys.transport.ssh;

import java.util.List;
import java.util.Objects;

/**
 * Where to connect, as the user named it; ~/.ssh/config fills in the rest (HostName, User, Port,
 * IdentityFile, ProxyJump).
 *
 * @param host  the name as typed, looked up in the config's Host patterns
 * @param user  null: the config's User, else the local user; set, it wins over the config like {@code user@}
 * @param port  null: the config's Port, else 22; set, it wins over the config like {@code -p}
 * @param jumps jump hosts in OpenSSH {@code -J} order (first hop first), each {@code [user@]host[:port]};
 *              empty: the config's ProxyJump
 */
public record SshTarget(String host, String user, Integer port, List<String> jumps) {

    public SshTarget {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("empty host name");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        jumps = jumps == null ? List.of() : List.copyOf(jumps);
    }

    /** A target with nothing but a name: everything else comes from the config. */
    public static SshTarget of(String host) {
        return new SshTarget(host, null, null, List.of());
    }
}
