package org.ctys.plugins.boot;

import java.util.List;
import org.ctys.exit.CtysException;
import org.ctys.inventory.BootServer;
import org.ctys.inventory.Machine;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Remote;
import org.ctys.spi.ShellWords;

/**
 * Which boot server a command talks to and how: SERVER: wins, else the inventory's top-level
 * boot-server:, else nothing is sent and the user is told how to name one. A server host the
 * inventory knows is reached as its entry says (address, ssh user, port, jump hosts). Plain
 * {@code localhost} (no user, no port) is this host: the job commands run here without SSH.
 *
 * @param remote null: this host
 * @param config the server's configuration file, as {@code ctys-bootd --config} takes it
 */
record BootServerReach(Remote remote, String label, String config) {

    static final String NONE = "no boot server: give SERVER:[USER@]HOST[:PORT] or a top-level boot-server: {ssh: [USER@]HOST[:PORT],"
            + " config: PATH} in the inventory";

    static BootServerReach of(ActionRequest request, PlanContext context) {
        BootServer server = named(request, context);
        if (server.user() == null && server.port() == null && server.host().equals("localhost")) {
            return new BootServerReach(null, "localhost", server.config());
        }
        Machine m = context.machine(server.host()).filter(x -> !x.isGuest()).orElse(null);
        String host = m != null ? m.host() : server.host();
        String user = server.user() != null ? server.user()
                : request.options().user() != null ? request.options().user()
                : m != null ? m.ssh().user() : null;
        Integer port = server.port() != null ? server.port() : m != null ? m.ssh().port() : null;
        List<String> hops = !request.options().ssh().jumps().isEmpty() ? request.options().ssh().jumps()
                : m != null ? m.ssh().jump() : List.of();
        return new BootServerReach(new Remote(host, user, port, hops), server.label(), server.config());
    }

    private static BootServer named(ActionRequest request, PlanContext context) {
        String given = request.suboptions().text("SERVER").orElse(null);
        if (given == null) {
            return context.bootServer().orElseThrow(() -> CtysException.config(NONE + " ("
                    + context.inventorySource().orElse("no inventory file in use") + ")"));
        }
        try {
            // SERVER: names the host; the configuration's path stays the inventory's (else the default)
            return BootServer.parse(given, context.bootServer().map(BootServer::config).orElse(null));
        } catch (IllegalArgumentException e) {
            throw CtysException.usage("suboption 'SERVER:" + given + "': " + e.getMessage());
        }
    }

    /** {@code ctys-bootd --config C job WORDS...}, quoted for the server's shell. */
    String job(String... words) {
        StringBuilder b = new StringBuilder("ctys-bootd --config ").append(ShellWords.quote(config)).append(" job");
        for (String w : words) b.append(' ').append(ShellWords.quote(w));
        return b.toString();
    }
}
