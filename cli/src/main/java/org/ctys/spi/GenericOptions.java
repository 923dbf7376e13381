package org.ctys.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The generic options that plugins and the engine care about.
 *
 * @param user      remote user for targets without {@code user@} ({@code -l})
 * @param parallel  how many targets are worked on at once ({@code --parallel}, {@code -b par,N})
 * @param sequential whether targets are worked on one after the other ({@code -b seq})
 * @param async     whether ctys returns without waiting for confirmations ({@code -b async})
 * @param timeout   the bound of the whole command, or null ({@code --timeout})
 * @param dryRun    print the plan and change nothing ({@code -n})
 * @param pty       pseudo terminal wanted ({@code -z PTY|NOPTY}), null for the default
 * @param agentForwarding forward the SSH agent ({@code -Y})
 * @param debug     debug level ({@code -d})
 * @param ssh       how SSH connections are made ({@code -F}, {@code -J}, {@code --accept-new-host-keys})
 */
public record GenericOptions(String user, int parallel, boolean sequential, boolean async, Duration timeout,
                             boolean dryRun, Boolean pty, boolean agentForwarding, int debug, Ssh ssh) {

    public static final int DEFAULT_PARALLEL = 64;

    /**
     * @param config           SSH client config file, or null for ~/.ssh/config ({@code -F})
     * @param jumps            jump hosts for every target, OpenSSH -J order ({@code -J}); empty: none given
     * @param acceptNewHostKeys accept and remember unknown host keys, never changed ones
     * @param home             the user's home, for ~/.ssh
     * @param agentSocket      the ssh-agent's socket whose keys are offered first, or null for none
     */
    public record Ssh(Path config, List<String> jumps, boolean acceptNewHostKeys, Path home, Path agentSocket) {
        public Ssh { jumps = List.copyOf(jumps); }

        /** With the agent the environment names ({@code SSH_AUTH_SOCK}), as ssh itself would use. */
        public Ssh(Path config, List<String> jumps, boolean acceptNewHostKeys, Path home) {
            this(config, jumps, acceptNewHostKeys, home, agentFromEnvironment());
        }

        /** {@code SSH_AUTH_SOCK} as a path; null when unset or empty. */
        public static Path agentFromEnvironment() {
            String socket = System.getenv("SSH_AUTH_SOCK");
            return socket == null || socket.isBlank() ? null : Path.of(socket);
        }

        public static Ssh defaults() {
            return new Ssh(null, List.of(), false, Path.of(System.getProperty("user.home")));
        }
    }

    public GenericOptions(String user, int parallel, boolean sequential, boolean async, Duration timeout,
                          boolean dryRun, Boolean pty, boolean agentForwarding, int debug) {
        this(user, parallel, sequential, async, timeout, dryRun, pty, agentForwarding, debug, Ssh.defaults());
    }

    /**
     * These options as arguments of a ctys this one starts (the shell in a window, the ctys that
     * holds a VNC forward): it must reach the targets as this one does.
     */
    public List<String> asArguments() {
        List<String> a = new java.util.ArrayList<>();
        if (user != null) a.addAll(List.of("-l", user));
        if (!ssh.jumps().isEmpty()) a.addAll(List.of("-J", String.join(",", ssh.jumps())));
        if (ssh.config() != null) a.addAll(List.of("-F", ssh.config().toAbsolutePath().toString()));
        if (ssh.acceptNewHostKeys()) a.add("--accept-new-host-keys");
        if (pty != null) a.addAll(List.of("-z", pty ? "PTY" : "NOPTY"));
        if (agentForwarding) a.add("-Y");
        if (debug > 0) a.addAll(List.of("-d", String.valueOf(debug)));
        return a;
    }

    public static GenericOptions defaults() {
        return new GenericOptions(null, DEFAULT_PARALLEL, false, false, null, false, null, false, 0);
    }

    /** The concurrency the engine uses for fan-out. */
    public int fanOut() { return sequential ? 1 : Math.max(1, parallel); }
}
