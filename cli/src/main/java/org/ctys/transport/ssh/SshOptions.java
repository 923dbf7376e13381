package org.ctys.transport.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

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
 * @param forwardAgent      like {@code ssh -A}: remote commands reach the agent through {@code SSH_AUTH_SOCK};
 *                          needs {@code agentSocket}
 * @param warnings          where one-line warnings go (a config keyword not honoured, a key file ignored); each
 *                          is said once per run
 */
public record SshOptions(Path configFile, Path home, boolean acceptNewHostKeys,
                         Duration connectTimeout, Duration authTimeout, Path agentSocket, boolean forwardAgent,
                         Consumer<String> warnings) {

    /** Warnings on stderr, as ssh prints its own. */
    public static final Consumer<String> STDERR = line -> System.err.println("ctys: warning: " + line);

    /** Warnings on stderr. */
    public SshOptions(Path configFile, Path home, boolean acceptNewHostKeys,
                      Duration connectTimeout, Duration authTimeout, Path agentSocket, boolean forwardAgent) {
        this(configFile, home, acceptNewHostKeys, connectTimeout, authTimeout, agentSocket, forwardAgent, STDERR);
    }

    /** Without an agent. */
    public SshOptions(Path configFile, Path home, boolean acceptNewHostKeys, Duration connectTimeout, Duration authTimeout) {
        this(configFile, home, acceptNewHostKeys, connectTimeout, authTimeout, null, false);
    }

    public SshOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(authTimeout, "authTimeout");
        Objects.requireNonNull(warnings, "warnings");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || authTimeout.isNegative() || authTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** The same options with other per-hop bounds. */
    SshOptions withTimeouts(Duration connect, Duration auth) {
        return new SshOptions(configFile, home, acceptNewHostKeys, connect, auth, agentSocket, forwardAgent, warnings);
    }

    /** The config file in effect: the given one, else the user's own. */
    public Path effectiveConfigFile() {
        return configFile != null ? configFile : home.resolve(".ssh").resolve("config");
    }
}
