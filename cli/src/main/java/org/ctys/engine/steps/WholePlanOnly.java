package org.ctys.engine.steps;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.ctys.spi.Step;

/**
 * A step that owns the terminal (an interactive shell, a Serial-over-LAN console): the engine
 * runs it as a plan of its own, never among other steps.
 */
public final class WholePlanOnly<S extends Step> implements StepExecutor<S> {
    private final String what;
    private final Consumer<List<? extends S>> prepare;

    /**
     * @param what    "an interactive shell", "a Serial-over-LAN console"
     * @param prepare what to start early for the plans' steps of this kind
     */
    public WholePlanOnly(String what, Consumer<List<? extends S>> prepare) {
        this.what = what;
        this.prepare = prepare;
    }

    @Override
    public CompletableFuture<Void> run(S step, RunContext ctx) {
        throw new IllegalArgumentException(what + " is a plan of its own, not a step among others");
    }

    @Override
    public void prepare(List<? extends S> steps) { prepare.accept(steps); }
}
