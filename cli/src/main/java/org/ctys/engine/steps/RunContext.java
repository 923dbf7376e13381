package org.ctys.engine.steps;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.ctys.engine.run.Bmcs;
import org.ctys.engine.run.CommandSink;
import org.ctys.engine.run.Ledger;
import org.ctys.engine.run.SharedQuestions;
import org.ctys.engine.run.Shells;
import org.ctys.inventory.SecretRef;

/** What a step executor may use of the run it is part of; the engine owns all of it. */
public interface RunContext {

    /** Where every target's verdicts go; a finished target's remaining steps do nothing. */
    Ledger ledger();

    /** Runs work that blocks (a command, a BMC procedure), bounded by --parallel. */
    Executor blocking();

    /** Completes after {@code d}, holding no thread while it waits. */
    CompletableFuture<Void> delay(Duration d);

    /**
     * Runs a step inside the plan as the engine runs any: steps a {@link org.ctys.spi.Discover} added,
     * or what a {@link org.ctys.spi.Poll} does when its wait runs out.
     */
    CompletableFuture<Void> exec(org.ctys.spi.Step step);

    /** A signal or the overall --timeout stopped the run. */
    boolean stopped();

    /** A secret the step declared ({@link org.ctys.spi.Step#secrets()}); null when it could not be read. */
    byte[] secret(SecretRef ref);

    /** Why a secret that was not required could not be read, or null. */
    String unreadable(SecretRef ref);

    /** Does the machine answer ping or a TCP connection, within {@code timeout}? */
    CompletableFuture<Boolean> answers(String address, int tcpPort, Duration timeout);

    /** The SSH side of the run, made the first time it is asked for. */
    Shells shells();

    /** The run's state questions, shared among the waits that ask the same at the same time. */
    SharedQuestions questions();

    /** The run's watches, shared among the waits that listen to the same command on the same machine. */
    org.ctys.engine.run.Watches watches();

    /** The BMC side of the run, made the first time it is asked for. */
    Bmcs bmcs();

    /**
     * Where a command's output goes: streamed as it comes when the run streams and
     * {@code result} says the output is the result, else gathered.
     */
    CommandSink sink(String target, boolean result);
}
