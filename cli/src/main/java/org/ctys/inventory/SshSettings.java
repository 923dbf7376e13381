package org.ctys.inventory;

import java.util.List;

/**
 * How to reach a machine over SSH. {@code user} and {@code port} may be null (SSH's own
 * configuration decides). {@code jump} is null only in a block that did not mention it; after
 * merging with defaults, as in every {@link Machine}, it is a list, possibly empty.
 */
public record SshSettings(String user, Integer port, List<String> jump) {

    public static final SshSettings NONE = new SshSettings(null, null, null);

    public SshSettings {
        jump = jump == null ? null : List.copyOf(jump);
    }

    /**
     * Field by field, what this block says wins. An explicit {@code jump: []} is kept: it is
     * how a machine opts out of a default jump host.
     */
    public SshSettings orElse(SshSettings defaults, String defaultUser) {
        String u = user != null ? user : defaults.user != null ? defaults.user : defaultUser;
        List<String> j = jump != null ? jump : defaults.jump != null ? defaults.jump : List.of();
        return new SshSettings(u, port != null ? port : defaults.port, j);
    }

    /**
     * A machine is never its own jump host: with a default chain [gw01, gw02], gw02 is reached
     * through gw01 alone and gw01 directly.
     */
    SshSettings forMachine(String name) {
        int self = jump == null ? -1 : jump.indexOf(name);
        return self < 0 ? this : new SshSettings(user, port, jump.subList(0, self));
    }
}
