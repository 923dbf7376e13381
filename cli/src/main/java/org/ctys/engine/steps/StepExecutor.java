package org.ctys.engine.steps;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ctys.spi.Step;

/**
 * Runs one kind of leaf step. An executor records what happened in the run's ledger and
 * completes its future when it is done; it never throws for a target that failed.
 */
public interface StepExecutor<S extends Step> {

    CompletableFuture<Void> run(S step, RunContext ctx);

    /**
     * Called once per kind, before a real run (never a dry run), for a plan that holds such a
     * step: starts early what the first step would otherwise wait for.
     */
    default void prepare() {}

    /**
     * As {@link #prepare()}, with the plans' steps of this kind, for an executor whose preparing
     * depends on them (an SSH login only when some step runs on another machine).
     */
    default void prepare(List<? extends S> steps) { prepare(); }
}
