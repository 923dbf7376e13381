package org.ctys.engine.steps;

import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ctys.engine.run.Ledger;
import org.ctys.os.Interfaces;
import org.ctys.spi.MagicPacket;
import org.ctys.spi.MagicPackets;
import org.ctys.spi.Verdict;
import org.ctys.transport.wol.WakeOnLan;

/** Sends the packets of unfinished targets, then waits the WOL delay once if any went out. */
public final class MagicPacketsExecutor implements StepExecutor<MagicPackets> {

    @Override
    public CompletableFuture<Void> run(MagicPackets step, RunContext ctx) {
        return CompletableFuture.supplyAsync(() -> send(step, ctx), ctx.blocking())
                .thenCompose(sent -> sent && step.delayAfter() != null ? ctx.delay(step.delayAfter())
                        : CompletableFuture.completedFuture(null));
    }

    /** True when at least one packet went out. */
    private static boolean send(MagicPackets step, RunContext ctx) {
        Ledger ledger = ctx.ledger();
        Map<String, InetAddress> destinations = new HashMap<>();
        Map<String, InetAddress> sources = new HashMap<>();
        boolean any = false;
        try (WakeOnLan wol = new WakeOnLan()) {
            for (MagicPacket p : step.packets()) {
                if (ctx.stopped()) return any;
                if (ledger.isFinished(p.target())) continue;
                try {
                    InetAddress dest = destinations.get(p.destination());
                    if (dest == null) {
                        dest = InetAddress.getByName(p.destination());
                        destinations.put(p.destination(), dest);
                    }
                    InetAddress source = null;
                    if (p.interfaceName() != null) {
                        source = sources.computeIfAbsent(p.interfaceName(), n -> Interfaces.ipv4(n)
                                .map(Interfaces.Ipv4::address).orElse(null));
                        if (source == null) throw new IOException("interface " + p.interfaceName() + " has no IPv4 address");
                    }
                    byte[] secret = p.secureOn() == null ? null : ctx.secret(p.secureOn());
                    wol.send(p.mac().bytes(), secret, dest, p.port(), source);
                    any = true;
                    ledger.record(p.target(), p.sent());
                } catch (IOException | RuntimeException e) {
                    ledger.record(p.target(), Verdict.fail("not-sent", "magic packet for " + p.mac()
                            + " could not be sent to " + p.destination() + ":" + p.port() + ": " + e.getMessage()
                            + hint(p)));
                }
            }
        }
        return any;
    }

    private static String hint(MagicPacket p) {
        return p.destination().equals("255.255.255.255") && p.interfaceName() == null
                ? " (no route for 255.255.255.255 here; give BROADCAST:<ip> or IF:<interface>)" : "";
    }
}
