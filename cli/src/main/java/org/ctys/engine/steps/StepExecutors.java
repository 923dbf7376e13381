package org.ctys.engine.steps;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.ctys.spi.After;
import org.ctys.spi.AttachSol;
import org.ctys.spi.Discover;
import org.ctys.spi.WaitForState;
import org.ctys.spi.BmcPower;
import org.ctys.spi.MagicPackets;
import org.ctys.spi.Note;
import org.ctys.spi.OpenShell;
import org.ctys.spi.OpenWindow;
import org.ctys.spi.Plan;
import org.ctys.spi.Probe;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.WaitForLogin;
import org.ctys.spi.WaitUntilUp;
import org.ctys.transport.ipmi.IpmiClient;
import org.ctys.transport.ssh.SshTransport;

/** The registry: one executor per leaf step kind, found by the step's class. */
public final class StepExecutors {
    private final Map<Class<? extends Step>, StepExecutor<?>> byKind = new HashMap<>();

    /** Every leaf kind ctys knows. */
    public static StepExecutors standard() {
        PollExecutor poll = new PollExecutor();
        return new StepExecutors()
                .register(MagicPackets.class, new MagicPacketsExecutor())
                .register(Probe.class, new ProbeExecutor())
                .register(WaitUntilUp.class, poll)
                .register(WaitForState.class, poll)
                .register(org.ctys.spi.WaitUntilDown.class, poll)
                .register(org.ctys.spi.Delay.class, new DelayExecutor())
                .register(Discover.class, new DiscoverExecutor())
                .register(After.class, new AfterExecutor())
                .register(RunCommand.class, new RunCommandExecutor())
                .register(BmcPower.class, new BmcPowerExecutor())
                .register(WaitForLogin.class, poll)
                .register(OpenWindow.class, new OpenWindowExecutor())
                .register(Note.class, new NoteExecutor())
                .register(org.ctys.spi.Submit.class, new SubmitExecutor())
                .register(org.ctys.spi.Follow.class, new FollowExecutor())
                .register(org.ctys.spi.BootFlagsCheck.class, new BootFlagsCheckExecutor())
                .register(org.ctys.spi.BmcWatchdog.class, new BmcWatchdogExecutor())
                .register(org.ctys.spi.ViewVnc.class, new ViewVncExecutor())
                .register(OpenShell.class, new WholePlanOnly<OpenShell>("an interactive shell", shells -> {
                    if (shells.stream().anyMatch(s -> s.remote() != null)) SshTransport.prepare();
                }))
                .register(AttachSol.class, new WholePlanOnly<AttachSol>("a Serial-over-LAN console", sols -> IpmiClient.prepare()))
                .register(org.ctys.spi.AttachGuestConsole.class, new WholePlanOnly<org.ctys.spi.AttachGuestConsole>(
                        "a guest's hypervisor console", consoles -> SshTransport.prepare()))
                .register(org.ctys.spi.AttachSerial.class, new WholePlanOnly<org.ctys.spi.AttachSerial>("a serial line's console", lines -> { }))
                .register(org.ctys.spi.AttachServedConsole.class, new WholePlanOnly<org.ctys.spi.AttachServedConsole>(
                        "a console server's console", consoles -> SshTransport.prepare()))
                .register(org.ctys.spi.Watching.class, new WholePlanOnly<org.ctys.spi.Watching>("a console watching other steps", w -> { }));
    }

    public <S extends Step> StepExecutors register(Class<S> kind, StepExecutor<? super S> executor) {
        byKind.put(kind, executor);
        return this;
    }

    /** The executor of {@code kind}; a kind nobody registered is a programming error, named. */
    @SuppressWarnings("unchecked")
    public <S extends Step> StepExecutor<? super S> of(Class<S> kind) {
        StepExecutor<?> e = byKind.get(kind);
        if (e == null) throw new IllegalStateException("no executor registered for step kind " + kind.getSimpleName());
        return (StepExecutor<? super S>) e;
    }

    /** Calls {@link StepExecutor#prepare()} once for each leaf kind that occurs in {@code plans}. */
    @SuppressWarnings("unchecked")
    public void prepare(List<Plan> plans) {
        Map<Class<? extends Step>, List<Step>> byLeafKind = new java.util.LinkedHashMap<>();
        plans.forEach(p -> leaves(p.root(), byLeafKind));
        byLeafKind.forEach((k, steps) -> ((StepExecutor<Step>) of(k)).prepare(steps));
    }

    private static void leaves(Step step, Map<Class<? extends Step>, List<Step>> byLeafKind) {
        if (!(step instanceof Step.Sequence) && !(step instanceof Step.Parallel)) {
            byLeafKind.computeIfAbsent(step.getClass(), k -> new java.util.ArrayList<>()).add(step);
        }
        step.children().forEach(c -> leaves(c, byLeafKind));
    }

    /** Runs a leaf step through its kind's executor. */
    @SuppressWarnings("unchecked")
    public <S extends Step> CompletableFuture<Void> run(S step, RunContext ctx) {
        return of((Class<S>) step.getClass()).run(step, ctx);
    }
}
