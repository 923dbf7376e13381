package org.ctys.spi;

import java.util.ArrayList;
import java.util.List;
import org.ctys.inventory.Machine;

/**
 * How a target is reached over SSH: its address, user and port from the command line and the
 * inventory, jump hosts from -J, else from the inventory; a stack address {@code pm01[vm3]}
 * reaches vm3 through pm01 when the inventory says vm3 is reachable only from its host (or does
 * not know vm3 at all: guests are mostly behind their host).
 */
public final class Remotes {

    private Remotes() {}

    public static Remote of(Target t, GenericOptions options, PlanContext context) {
        Machine pm = t.machine();
        List<String> hops = new ArrayList<>(options.ssh().jumps());
        if (hops.isEmpty() && pm != null) hops.addAll(pm.ssh().jump());
        String host = t.address();
        Integer port = pm == null ? null : pm.ssh().port();
        String user = t.user();
        for (String level : t.stack()) {
            Machine guest = context.machine(level).orElse(null);
            if (guest == null || guest.viaHostOnly()) hops.add(hop(user, host, port));
            host = guest == null ? level : guest.host();
            port = guest == null ? null : guest.ssh().port();
            user = guest == null || guest.ssh().user() == null ? user : guest.ssh().user();
        }
        return new Remote(host, user, port, hops);
    }

    /** A hop as -J writes it: {@code [user@]host[:port]}. */
    private static String hop(String user, String host, Integer port) {
        // an IPv6 address takes a port only in brackets: bare, "2001:db8::10:2222" is another address
        return (user == null ? "" : user + "@") + (port == null ? host : org.ctys.grammar.Names.bracketIfIpv6(host) + ":" + port);
    }
}
