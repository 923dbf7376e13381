package org.ctys.transport.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * One machine to authenticate to, fully resolved: the config has been applied and nothing is left
 * to look up. {@code name} is what the user typed, kept for messages.
 */
record Hop(String name, String hostName, int port, String user, List<Path> identities, List<Path> knownHosts,
           String proxyJump) {

    /** The host as OpenSSH writes it in known_hosts: bare on port 22, else {@code [host]:port}. */
    String knownHostsName() {
        return port == 22 ? hostName : "[" + hostName + "]:" + port;
    }

    /** The part of the session key that says where the session ends. */
    String address() {
        return user + "@" + hostName + ":" + port;
    }
}
