package org.ctys.plugins.consoleserver;

import java.util.List;
import org.ctys.exit.CtysException;
import org.ctys.inventory.ConsoleServer;
import org.ctys.inventory.Machine;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Remote;

/**
 * Which console server a command talks to, and how it is reached: SERVER: wins, else the
 * inventory's top-level console-server:, else nothing is sent and the user is told how to name
 * one. A server host the inventory knows is reached as its entry says (its address, its ssh user
 * and jump hosts), but at the console server's own port: its ssh: port is its sshd's.
 */
record ServerReach(Remote remote, String label) {

    static final String NONE = "no console server: give SERVER:<host>[:<port>] or a top-level console-server: [USER@]HOST[:PORT]"
            + " in the inventory";

    static ServerReach of(ActionRequest request, PlanContext context) {
        ConsoleServer server = named(request, context);
        Machine m = context.machine(server.host()).filter(x -> !x.isGuest()).orElse(null);
        String host = m != null ? m.host() : server.host();
        String user = server.user() != null ? server.user()
                : request.options().user() != null ? request.options().user()
                : m != null ? m.ssh().user() : null;
        List<String> hops = !request.options().ssh().jumps().isEmpty() ? request.options().ssh().jumps()
                : m != null ? m.ssh().jump() : List.of();
        return new ServerReach(new Remote(host, user, server.portOrDefault(), hops), server.label());
    }

    private static ConsoleServer named(ActionRequest request, PlanContext context) {
        String given = request.suboptions().text("SERVER").orElse(null);
        if (given == null) {
            return context.consoleServer().orElseThrow(() -> CtysException.config(NONE + " ("
                    + context.inventorySource().orElse("no inventory file in use") + ")"));
        }
        try {
            return ConsoleServer.parse(given);
        } catch (IllegalArgumentException e) {
            throw CtysException.usage("suboption 'SERVER:" + given + "': " + e.getMessage());
        }
    }
}
