package org.ctys.engine;

import java.util.HashMap;
import java.util.Map;
import org.ctys.spi.AttachSol;
import org.ctys.spi.OpenShell;
import org.ctys.spi.Step;

/**
 * The registry of the attach model: one {@link ConsoleOpener} per step kind that owns the
 * terminal, found by the step's class, as {@link org.ctys.engine.steps.StepExecutors} finds
 * executors. A new console kind adds one line to {@link #standard()}.
 */
public final class ConsoleOpeners {
    private final Map<Class<? extends Step>, ConsoleOpener<?>> byKind = new HashMap<>();

    /** Every console kind ctys knows. */
    public static ConsoleOpeners standard() {
        return new ConsoleOpeners()
                .register(OpenShell.class, new ShellOpener())
                .register(AttachSol.class, new SolOpener())
                .register(org.ctys.spi.AttachGuestConsole.class, new GuestConsoleOpener())
                .register(org.ctys.spi.AttachSerial.class, new SerialOpener())
                .register(org.ctys.spi.AttachServedConsole.class, new ServedConsoleOpener());
    }

    public <S extends Step> ConsoleOpeners register(Class<S> kind, ConsoleOpener<? super S> opener) {
        byKind.put(kind, opener);
        return this;
    }

    /** The opener of {@code kind}; a kind that owns the terminal without one is a programming error, named. */
    @SuppressWarnings("unchecked")
    public <S extends Step> ConsoleOpener<? super S> of(Class<S> kind) {
        ConsoleOpener<?> o = byKind.get(kind);
        if (o == null) throw new IllegalStateException("no console opener registered for step kind " + kind.getSimpleName()
                + ", which owns the terminal");
        return (ConsoleOpener<? super S>) o;
    }
}
