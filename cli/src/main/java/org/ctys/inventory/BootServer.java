package org.ctys.inventory;

import org.ctys.grammar.Names;

/**
 * The boot server (ctys-bootd) of {@code -t boot}: the inventory's top-level
 * {@code boot-server: {ssh: [USER@]HOST[:PORT], config: PATH}}. Its job commands are run over SSH
 * on that host ({@code ctys-bootd --config PATH job ...}), or on this host, without SSH, when it is
 * plain {@code localhost}.
 *
 * @param user   the SSH login, or null: -l, the inventory's ssh user of that host, the SSH config
 * @param host   a host name or address (an IPv6 address without brackets)
 * @param port   the host's sshd port, or null: the inventory's, the SSH config's, 22
 * @param config the server's configuration file on that host
 */
public record BootServer(String user, String host, Integer port, String config) {

    public static final String DEFAULT_CONFIG = "/etc/ctys/bootd.yaml";

    public static final String FORM = "[USER@]HOST[:PORT], e.g. boot.example, root@boot.example:22 or [2001:db8::7]:22";

    public BootServer {
        if (config == null) config = DEFAULT_CONFIG;
    }

    /** {@code host} or {@code host:port} (an IPv6 address in brackets when a port follows): how reports name the server. */
    public String label() { return port == null ? host : Names.bracketIfIpv6(host) + ":" + port; }

    /**
     * Reads {@code [USER@]HOST[:PORT]} as the console server's address is read, the port being the sshd's.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static BootServer parse(String ssh, String config) {
        ConsoleServer at = ConsoleServer.parse(ssh);
        return new BootServer(at.user(), at.host(), at.port(), config);
    }
}
