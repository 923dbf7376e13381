package org.ctys.transport.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the transport behaves for the whole run.
 *
 * @param configFile        null: {@code <home>/.ssh/config}
 * @param home              the directory whose {@code .ssh} holds known_hosts and the default identities
 * @param acceptNewHostKeys like StrictHostKeyChecking=accept-new: unknown keys are appended, changed ones still refused
 * @param connectTimeout    bound on each TCP connect (each hop of a jump chain)
 * @param authTimeout       bound on each key exchange plus authentication (each hop)
 * @param agentSocket       the ssh-agent's Unix socket ({@code SSH_AUTH_SOCK}); its keys are offered before the
 *                          identity files. null: no agent
 */
public record SshOptions(Path configFile, Path home, boolean acceptNewHostKeys,
                         Duration connectTimeout, Duration authTimeout, Path agentSocket) {

    /** Without an agent. */
    public SshOptions(Path configFile, Path home, boolean acceptNewHostKeys, Duration connectTimeout, Duration authTimeout) {
        this(configFile, home, acceptNewHostKeys, connectTimeout, authTimeout, null);
    }

    public SshOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(authTimeout, "authTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || authTimeout.isNegative() || authTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** The same options with other per-hop bounds. */
    SshOptions withTimeouts(Duration connect, Duration auth) {
        return new SshOptions(configFile, home, acceptNewHostKeys, connect, auth, agentSocket);
    }

    /** The config file in effect: the given one, else the user's own. */
    public Path effectiveConfigFile() {
        return configFile != null ? configFile : home.resolve(".ssh").resolve("config");
    }
}
