package org.ctys.engine.steps;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ctys.engine.run.Bmcs;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.BmcPower;
import org.ctys.spi.SecretUse;
import org.ctys.spi.Verdict;
import org.ctys.transport.ipmi.IpmiClient;

/** Runs a power procedure through the machine's BMC. */
public final class BmcPowerExecutor implements StepExecutor<BmcPower> {

    @Override
    public CompletableFuture<Void> run(BmcPower b, RunContext ctx) {
        if (ctx.ledger().isFinished(b.target())) return CompletableFuture.completedFuture(null);
        SecretRef ref = b.bmc().password();
        SecretRef keyRef = b.bmc().bmcKey();
        for (SecretUse use : b.secrets()) {
            String why = ctx.unreadable(use.ref());
            if (why != null) {
                ctx.ledger().record(b.target(), Verdict.refuse("bmc-secret", why), Map.of("power", "?"));
                return CompletableFuture.completedFuture(null);
            }
        }
        byte[] password = ref == null ? null : ctx.secret(ref);
        byte[] bmcKey = keyRef == null ? null : ctx.secret(keyRef);
        if (b.procedure() == BmcPower.Procedure.STATUS) {
            // a status is one question: it waits for its BMC on no thread (64 BMCs, no 64 workers)
            return ctx.bmcs().status(b, password, bmcKey).thenAccept(o -> ctx.ledger().record(b.target(), o.verdict(), o.fields()));
        }
        return CompletableFuture.runAsync(() -> {
            // the target's own --timeout, the overall one and an interrupt end the procedure between requests
            Bmcs.Outcome o = ctx.bmcs().run(b, password, bmcKey, () -> ctx.ledger().isFinished(b.target()) || ctx.stopped(),
                    v -> ctx.ledger().record(b.target(), v));
            ctx.ledger().record(b.target(), o.verdict(), o.fields());
        }, ctx.blocking());
    }

    /** The session's crypto is made ready while the rest of the command is prepared. */
    @Override
    public void prepare() { IpmiClient.prepare(); }
}
