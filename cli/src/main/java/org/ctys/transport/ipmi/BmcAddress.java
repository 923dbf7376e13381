package org.ctys.transport.ipmi;

/**
 * Where a BMC answers and as whom: a host (name or address), a UDP port (623 by default), a user
 * (null: the anonymous user) and the cipher suite of the session.
 *
 * @param allowCipherSuite0 suite 0 authenticates nothing; it is used only when this says so
 */
public record BmcAddress(String host, int port, String user, int cipherSuite, boolean allowCipherSuite0) {

    public static final int DEFAULT_PORT = 623;

    /** {@code host} or {@code host:port} when the port is not 623, for messages. */
    public String display() { return port == DEFAULT_PORT ? host : host + ":" + port; }

    /** The user as IPMI sends it: the anonymous user is the empty name. */
    String userName() { return user == null ? "" : user; }
}
