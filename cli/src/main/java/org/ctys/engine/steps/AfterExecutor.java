package org.ctys.engine.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ctys.spi.After;
import org.ctys.spi.Verdict;

/** Runs a target's step once the targets it depends on ended well; else fails it, naming them (unless told to go on anyway). */
public final class AfterExecutor implements StepExecutor<After> {

    @Override
    public CompletableFuture<Void> run(After a, RunContext ctx) {
        if (ctx.ledger().isFinished(a.target()) || ctx.stopped()) return CompletableFuture.completedFuture(null);
        List<String> notWell = new ArrayList<>();
        for (String p : a.prerequisites()) {
            if (!ctx.ledger().endedWell(p)) notWell.add(p + " (" + ctx.ledger().lastWord(p) + ")");
        }
        if (!notWell.isEmpty() && !a.anyway()) {
            ctx.ledger().record(a.target(), Verdict.fail("blocked", "not " + a.what() + ": " + String.join(", ", notWell)));
            return CompletableFuture.completedFuture(null);
        }
        return ctx.exec(a.step());
    }
}
