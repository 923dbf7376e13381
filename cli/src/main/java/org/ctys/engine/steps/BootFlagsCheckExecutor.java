package org.ctys.engine.steps;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ctys.engine.run.Bmcs;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.BootFlagsCheck;
import org.ctys.spi.SecretUse;
import org.ctys.spi.Verdict;
import org.ctys.transport.ipmi.BmcException;
import org.ctys.transport.ipmi.BootFlags;
import org.ctys.transport.ipmi.IpmiClient;

/** Reads the boot flags back and gives the target its verdict: the next boot goes to the disk again, or says where it goes. */
public final class BootFlagsCheckExecutor implements StepExecutor<BootFlagsCheck> {

    @Override
    public CompletableFuture<Void> run(BootFlagsCheck c, RunContext ctx) {
        if (ctx.ledger().isFinished(c.target())) return CompletableFuture.completedFuture(null);
        for (SecretUse use : c.secrets()) {
            String why = ctx.unreadable(use.ref());
            if (why != null) {
                ctx.ledger().record(c.target(), Verdict.refuse("bmc-secret", why));
                return CompletableFuture.completedFuture(null);
            }
        }
        SecretRef ref = c.bmc().password();
        SecretRef keyRef = c.bmc().bmcKey();
        byte[] password = ref == null ? null : ctx.secret(ref);
        byte[] bmcKey = keyRef == null ? null : ctx.secret(keyRef);
        return CompletableFuture.runAsync(() -> {
            ctx.ledger().begin(c.target(), "checking", c.describe());
            Verdict then = c.then();
            try {
                BootFlags flags = ctx.bmcs().bootFlags(c.bmc(), password, bmcKey);
                boolean keeps = ctx.bmcs().keepsValidBit(c.bmc());
                boolean disk = flags.nextBootFromDisk(keeps);
                Map<String, String> fields = Map.of("next-boot", disk ? "disk" : flags.device());
                if (disk) {
                    ctx.ledger().record(c.target(), new Verdict(then.effect(), then.state(), then.message()
                            + "; the next boot goes to the disk"), fields);
                } else {
                    ctx.ledger().record(c.target(), Verdict.fail(then.effect() == Verdict.Effect.DONE ? "boot-flags-set" : then.state(),
                            then.message() + "; but the BMC still " + (keeps ? "says " + flags.text() : "names " + flags.device()
                                    + " as the boot device (it keeps no valid bit)") + ", not the disk"), fields);
                }
            } catch (BmcException e) {
                Verdict why = Bmcs.failure(e);
                ctx.ledger().record(c.target(), Verdict.fail(then.effect() == Verdict.Effect.DONE ? why.state() : then.state(),
                        then.message() + "; the boot flags could not be read back: " + e.getMessage()));
            } catch (RuntimeException e) {
                // a BMC that sends what cannot be read fails its own machine, never the whole command
                ctx.ledger().record(c.target(), Verdict.fail(then.effect() == Verdict.Effect.DONE ? "bmc-error" : then.state(),
                        then.message() + "; the boot flags could not be read back: " + e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ctx.ledger().record(c.target(), Verdict.fail("interrupted", then.message() + "; interrupted while reading the boot flags"));
            }
        }, ctx.blocking());
    }

    @Override
    public void prepare() { IpmiClient.prepare(); }
}
