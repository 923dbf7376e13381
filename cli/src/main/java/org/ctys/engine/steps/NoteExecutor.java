package org.ctys.engine.steps;

import java.util.concurrent.CompletableFuture;
import org.ctys.spi.Note;

/** Records what the plan already knows of a target (planned without sending anything). */
public final class NoteExecutor implements StepExecutor<Note> {

    @Override
    public CompletableFuture<Void> run(Note n, RunContext ctx) {
        if (ctx.ledger().isFinished(n.target())) return CompletableFuture.completedFuture(null);
        if (n.output() != null) ctx.ledger().output(n.target(), n.output());
        ctx.ledger().record(n.target(), n.verdict(), n.fields());
        return CompletableFuture.completedFuture(null);
    }
}
