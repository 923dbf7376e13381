package org.ctys.transport.ssh.server;

import java.security.PublicKey;

/** Whether a key may log in as a user: public-key authentication is the front door's only one. */
@FunctionalInterface
public interface KeyAuthorizer {

    boolean accepts(String user, PublicKey key);
}
