package org.ctys.consoled;

import java.util.Objects;
import java.util.Set;

/**
 * One console the daemon keeps open: its name, where its bytes come from, and the groups access
 * rules may name it by ({@code @lab}: its {@code groups:} in the configuration, or its inventory groups).
 */
public record ConsoleDef(String name, Endpoint endpoint, Set<String> groups) {
    public ConsoleDef {
        Objects.requireNonNull(name);
        Objects.requireNonNull(endpoint);
        groups = Set.copyOf(groups);
    }

    /** What {@code list} calls the kind: serial, sol, guest, cmd, tcp. */
    public String kind() {
        if (endpoint instanceof Endpoint.Serial) return "serial";
        if (endpoint instanceof Endpoint.Sol) return "sol";
        if (endpoint instanceof Endpoint.Guest) return "guest";
        if (endpoint instanceof Endpoint.Command) return "cmd";
        return "tcp";
    }
}
