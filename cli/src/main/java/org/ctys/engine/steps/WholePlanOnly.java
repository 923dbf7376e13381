package org.ctys.engine.steps;

import java.util.concurrent.CompletableFuture;
import org.ctys.spi.Step;

/**
 * A step that owns the terminal (an interactive shell, a Serial-over-LAN console): the engine
 * runs it as a plan of its own, never among other steps.
 */
public final class WholePlanOnly<S extends Step> implements StepExecutor<S> {
    private final String what;
    private final Runnable prepare;

    /** @param what "an interactive shell", "a Serial-over-LAN console" */
    public WholePlanOnly(String what, Runnable prepare) {
        this.what = what;
        this.prepare = prepare;
    }

    @Override
    public CompletableFuture<Void> run(S step, RunContext ctx) {
        throw new IllegalArgumentException(what + " is a plan of its own, not a step among others");
    }

    @Override
    public void prepare() { prepare.run(); }
}
