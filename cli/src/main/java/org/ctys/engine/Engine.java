package org.ctys.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctys.grammar.Durations;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.AttachSol;
import org.ctys.spi.BmcPower;
import org.ctys.spi.ExitStatus;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.MagicPacket;
import org.ctys.spi.MagicPackets;
import org.ctys.spi.Note;
import org.ctys.spi.OpenShell;
import org.ctys.spi.OpenWindow;
import org.ctys.spi.Output;
import org.ctys.spi.RunCommand;
import org.ctys.spi.WaitForLogin;
import org.ctys.spi.Plan;
import org.ctys.spi.Probe;
import org.ctys.spi.Result;
import org.ctys.spi.SecretUse;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitUntilUp;
import org.ctys.transport.net.Reachability;
import org.ctys.transport.wol.Interfaces;
import org.ctys.transport.wol.WakeOnLan;

/**
 * Runs plans: fan-out bounded by --parallel, waits that hold no thread between tries, the
 * overall --timeout, and a clean stop on interrupt. The one place where --dry-run is decided.
 */
public final class Engine {
    private final GenericOptions options;
    private final Progress progress;
    private final Prober prober;
    private final java.util.function.Supplier<Shells> shellsFactory;
    private Shells shells;
    private Bmcs bmcs;
    /** BMC secrets that could not be read, and why: only power status steps run without them. */
    private final Map<SecretRef, String> unreadable = new HashMap<>();
    private static final long ASK_GRACE_MILLIS = 500;
    private final CompletableFuture<Void> interrupt = new CompletableFuture<>();
    /** Which signal stopped the run: its exit status (130, 129, 143); the first one counts. */
    private final java.util.concurrent.atomic.AtomicReference<ExitStatus> stoppedBy = new java.util.concurrent.atomic.AtomicReference<>();
    /** How long a stopped run waits for its workers: local children killed and reaped, BMC sessions closed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);
    private CommandOutput commandOutput = CommandOutput.gathered(CommandOutput.DEFAULT_CAP);
    private final Spool spool = new Spool();

    /** How a reachability question is asked; tests may substitute it. */
    @FunctionalInterface
    public interface Prober {
        boolean answers(String address, int tcpPort, Duration timeout);
    }

    public Engine(GenericOptions options, Progress progress) {
        this(options, progress, Reachability::answers, () -> new SshShells(options));
    }

    public Engine(GenericOptions options, Progress progress, Prober prober) {
        this(options, progress, prober, () -> new SshShells(options));
    }

    /** @param shells makes the SSH side the first time a step needs it (never for a run without SSH) */
    public Engine(GenericOptions options, Progress progress, Prober prober, java.util.function.Supplier<Shells> shells) {
        this.options = options;
        this.progress = progress;
        this.prober = prober;
        this.shellsFactory = shells;
    }

    /** Ends the SSH side of a run: every session, every hop. */
    private synchronized void closeShells() {
        if (shells != null) shells.close();
        shells = null;
    }

    private synchronized Bmcs bmcs() {
        if (bmcs == null) bmcs = new Bmcs(new org.ctys.transport.ipmi.IpmiClient());
        return bmcs;
    }

    private synchronized boolean bmcsInUse() { return bmcs != null; }

    private synchronized void closeBmcs() {
        if (bmcs != null) bmcs.close();
        bmcs = null;
    }

    private synchronized Shells shells() {
        if (shells == null) shells = shellsFactory.get();
        return shells;
    }

    /** How the output of commands is taken; gathered, at most {@link CommandOutput#DEFAULT_CAP} per target, unless told. */
    public Engine output(CommandOutput how) {
        this.commandOutput = java.util.Objects.requireNonNull(how);
        return this;
    }

    /** Asks a running {@link #run} to stop; it reports what was done and ends with status 130. */
    public void interrupt() { interrupt(ExitStatus.INTERRUPTED); }

    /**
     * Asks a running {@link #run} to stop because of a signal: it stops its children, closes its
     * sessions, reports what was done and ends with {@code why} (INTERRUPTED, HANGUP or TERMINATED).
     */
    public void interrupt(ExitStatus why) {
        if (!why.bySignal()) throw new IllegalArgumentException("not a signal's status: " + why);
        stoppedBy.compareAndSet(null, why);
        interrupt.complete(null);
    }

    /** The status of a run stopped by a signal. */
    private ExitStatus stopStatus() {
        ExitStatus s = stoppedBy.get();
        return s == null ? ExitStatus.INTERRUPTED : s;
    }

    /** What the report says of targets a signal stopped: "interrupted", "terminated (SIGTERM)", ... */
    private String stopText() { return stopText(stopStatus()); }

    static String stopText(ExitStatus signal) {
        return switch (signal) {
            case HANGUP -> "hung up (SIGHUP)";
            case TERMINATED -> "terminated (SIGTERM)";
            default -> "interrupted";
        };
    }

    public Report run(Plan plan) {
        // Read (and so checked) before the dry-run stops: -n is a faithful preflight, and a secret
        // file that a real run would refuse makes the dry run fail too. Nothing of it is printed.
        Map<SecretRef, byte[]> secrets = readSecrets(plan.root());
        if (options.dryRun()) {
            secrets.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
            return Report.dryRun(plan);
        }
        if (plan.root() instanceof OpenShell shell) return shell(plan, shell);
        if (plan.root() instanceof AttachSol sol) return SolAttach.run(plan, sol, secrets, options, interrupt, this::stopStatus, progress);
        if (plan.root() instanceof Step.Sequence seq && !seq.steps().isEmpty()
                && seq.steps().get(seq.steps().size() - 1) instanceof AttachSol sol) {
            return thenConsole(plan, seq, sol, secrets);
        }
        return steps(plan, secrets);
    }

    /**
     * Steps, then a console (PM CREATE=IPMI,CONSOLE:SOL): the console is attached when the steps
     * before it succeeded; their report is then shown as progress only, and the console decides the
     * exit status.
     */
    private Report thenConsole(Plan plan, Step.Sequence seq, AttachSol sol, Map<SecretRef, byte[]> secrets) {
        Map<SecretRef, byte[]> forConsole = new HashMap<>();
        for (SecretRef ref : java.util.Arrays.asList(sol.bmc().password(), sol.bmc().bmcKey())) {
            if (ref != null) forConsole.put(ref, secrets.get(ref).clone());
        }
        Report before = steps(new Plan(plan.title(), plan.targets(), new Step.Sequence(seq.steps().subList(0,
                seq.steps().size() - 1)), plan.timeouts()), secrets);
        if (before.status() != ExitStatus.OK || interrupt.isDone()) {
            forConsole.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
            return before;
        }
        return SolAttach.run(plan, sol, forConsole, options, interrupt, this::stopStatus, progress);
    }

    /** Runs a plan's steps: every target at once (bounded), each through its own sequence. */
    private Report steps(Plan plan, Map<SecretRef, byte[]> secrets) {
        Ledger ledger = new Ledger(plan.targets(), progress);
        ExitStatus stopped = null;
        ExecutorService blocking = Executors.newFixedThreadPool(Math.min(options.fanOut(), 1024), daemon("ctys-work"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("ctys-timer"));
        Run run = new Run(ledger, blocking, timer, secrets);
        plan.timeouts().forEach((target, bound) -> timer.schedule(() -> ledger.timedOut(target, Durations.format(bound)),
                bound.toMillis(), TimeUnit.MILLISECONDS));
        try {
            CompletableFuture<Void> done = run.exec(plan.root());
            CompletableFuture<Object> first = CompletableFuture.anyOf(done, interrupt);
            try {
                if (options.timeout() != null) first.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
                else first.get();
                if (interrupt.isDone()) {
                    ledger.stopUnfinished(Result.Status.INTERRUPTED, stopText());
                    stopped = stopStatus();
                }
            } catch (TimeoutException e) {
                ledger.stopUnfinished(Result.Status.TIMEOUT, "the overall --timeout of "
                        + Durations.format(options.timeout()) + " ran out");
                stopped = ExitStatus.TIMEOUT;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ledger.stopUnfinished(Result.Status.INTERRUPTED, "interrupted");
                stopped = ExitStatus.INTERRUPTED;
            } catch (ExecutionException e) {
                throw new IllegalStateException("plan step failed unexpectedly", e.getCause());
            }
        } finally {
            blocking.shutdownNow();
            timer.shutdownNow();
            // closing the SSH sessions ends the commands waiting on them; then the workers are
            // waited for: local commands are killed and reaped, interrupted power procedures close
            // their BMC sessions (each bounded: a BMC has few)
            closeShells();
            try {
                blocking.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeBmcs();
            secrets.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
            progress.finish();
        }
        List<Result> results = ledger.results();
        // stopped during a step that no target waits on (a WOL delay): the status still says so
        return new Report(plan.title(), results, stopped != null ? stopped : Report.statusOf(results), null);
    }

    /**
     * An interactive shell owns the screen: no progress and no report while it runs or after it,
     * and its exit status is the command's ({@link Report#shellExit()}). Only a shell that could not
     * be started is reported, like any failure.
     */
    private Report shell(Plan plan, OpenShell step) {
        // Ctrl-C reaches the remote through a raw terminal; an interrupt that still arrives (no
        // terminal, -z NOPTY) and the overall --timeout end the shell by closing what carries it
        java.util.concurrent.atomic.AtomicReference<ExitStatus> stopped = new java.util.concurrent.atomic.AtomicReference<>();
        LocalShell[] local = new LocalShell[1];
        Runnable stop = () -> {
            synchronized (this) {
                if (local[0] != null) local[0].stop();
                if (shells != null) shells.close();
            }
        };
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("ctys-shell-timer"));
        if (options.timeout() != null) {
            timer.schedule(() -> {
                stopped.compareAndSet(null, ExitStatus.TIMEOUT);
                stop.run();
            }, options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        interrupt.thenRun(() -> {
            stopped.compareAndSet(null, stopStatus());
            stop.run();
        });
        int status;
        Shells.Failure failure = null;
        try {
            if (step.remote() == null) {
                LocalShell started = LocalShell.start();
                synchronized (this) {
                    local[0] = started;
                }
                status = started.waitFor();
            } else {
                // a SIGINT while the terminal is raw came from another process: it ends the shell as --timeout does
                status = shells().shell(step.remote(), step.pty(), () -> interrupt(ExitStatus.INTERRUPTED));
            }
        } catch (Shells.Failure f) {
            failure = f;
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.compareAndSet(null, stopStatus());
            status = -1;
        } finally {
            timer.shutdownNow();
            closeShells();
        }
        if (stopped.get() != null || failure != null) {
            Ledger ledger = new Ledger(plan.targets(), progress);
            if (stopped.get() == ExitStatus.TIMEOUT) {
                ledger.stopUnfinished(Result.Status.TIMEOUT, "the overall --timeout of " + Durations.format(options.timeout())
                        + " ran out; the shell was closed");
            } else if (stopped.get() != null) {
                ledger.stopUnfinished(Result.Status.INTERRUPTED, stopText() + "; the shell was closed");
            } else {
                ledger.record(step.target(), verdictOf(failure));
            }
            progress.finish();
            List<Result> results = ledger.results();
            return new Report(plan.title(), results, stopped.get() != null ? stopped.get() : Report.statusOf(results), null);
        }
        return Report.shell(plan.title(), status);
    }

    private static Verdict verdictOf(Shells.Failure f) {
        return switch (f.kind()) {
            case REFUSED -> Verdict.refuse(f.reason(), f.getMessage());
            case TIMEOUT -> Verdict.fail("timed-out", f.getMessage());
            default -> Verdict.fail("unreachable", f.getMessage());
        };
    }

    /**
     * Reads every secret the plan needs before anything is sent: a bad one stops the run (exit 3).
     * Only a step that changes nothing (a power status) is let through with a secret that cannot
     * be read: its machine fails alone, with the reason kept in {@link #unreadable}.
     */
    private Map<SecretRef, byte[]> readSecrets(Step step) {
        Map<SecretRef, byte[]> secrets = new HashMap<>();
        collect(step, secrets);
        return secrets;
    }

    private void collect(Step step, Map<SecretRef, byte[]> secrets) {
        if (step instanceof Step.Sequence s) s.steps().forEach(c -> collect(c, secrets));
        else if (step instanceof Step.Parallel p) p.steps().forEach(c -> collect(c, secrets));
        else for (SecretUse use : step.secrets()) {
            SecretRef ref = use.ref();
            if (secrets.containsKey(ref)) continue;
            if (use.required()) {
                unreadable.remove(ref);
                secrets.put(ref, read(use));
            } else if (!unreadable.containsKey(ref)) {
                try {
                    secrets.put(ref, read(use));
                } catch (org.ctys.spi.CtysException e) {
                    unreadable.put(ref, e.getMessage());
                }
            }
        }
    }

    private static byte[] read(SecretUse use) {
        return switch (use.form()) {
            case BYTES -> use.ref().read();
            case SECURE_ON -> SecureOn.read(use.ref());
        };
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The state of one execution. */
    private final class Run {
        private final Ledger ledger;
        private final ExecutorService blocking;
        private final ScheduledExecutorService timer;
        private final Map<SecretRef, byte[]> secrets;

        Run(Ledger ledger, ExecutorService blocking, ScheduledExecutorService timer, Map<SecretRef, byte[]> secrets) {
            this.ledger = ledger;
            this.blocking = blocking;
            this.timer = timer;
            this.secrets = secrets;
        }

        CompletableFuture<Void> exec(Step step) {
            if (interrupt.isDone()) return CompletableFuture.completedFuture(null);
            if (step instanceof Step.Sequence s) return sequence(s.steps(), 0);
            if (step instanceof Step.Parallel p) return parallel(p);
            if (step instanceof MagicPackets m) {
                return CompletableFuture.supplyAsync(() -> send(m), blocking)
                        .thenCompose(sent -> sent && m.delayAfter() != null ? delay(m.delayAfter())
                                : CompletableFuture.completedFuture(null));
            }
            if (step instanceof Probe p) return probe(p);
            if (step instanceof WaitUntilUp w) return waitUntilUp(w, 1, System.nanoTime());
            if (step instanceof RunCommand c) return runCommand(c);
            if (step instanceof BmcPower b) return bmcPower(b);
            if (step instanceof AttachSol) {
                throw new IllegalArgumentException("a Serial-over-LAN console is a plan of its own, not a step among others");
            }
            if (step instanceof WaitForLogin w) return waitForLogin(w, 1, System.nanoTime());
            if (step instanceof OpenWindow w) {
                if (ledger.isFinished(w.target())) return CompletableFuture.completedFuture(null);
                return CompletableFuture.runAsync(() -> ledger.record(w.target(), Windows.open(w)), blocking);
            }
            if (step instanceof OpenShell) {
                throw new IllegalArgumentException("an interactive shell is a plan of its own, not a step among others");
            }
            if (step instanceof Note n) {
                if (!ledger.isFinished(n.target())) ledger.record(n.target(), n.verdict(), n.fields());
                return CompletableFuture.completedFuture(null);
            }
            throw new IllegalArgumentException("no executor for " + step.getClass().getSimpleName());
        }

        /** Steps that finish at once are run in a loop, so ten thousand of them do not nest ten thousand calls. */
        private CompletableFuture<Void> sequence(List<Step> steps, int from) {
            for (int i = from; i < steps.size(); i++) {
                CompletableFuture<Void> f = exec(steps.get(i));
                if (!f.isDone() || f.isCompletedExceptionally()) {
                    int next = i + 1;
                    return f.thenCompose(v -> sequence(steps, next));
                }
            }
            return CompletableFuture.completedFuture(null);
        }

        /**
         * Starts at most {@code bound} children; each one that ends starts the next. Children that
         * end at once are started from the same loop (a work-in-progress counter), never by recursion.
         */
        private CompletableFuture<Void> parallel(Step.Parallel p) {
            int bound = p.bound() > 0 ? Math.min(p.bound(), options.fanOut()) : options.fanOut();
            List<Step> steps = p.steps();
            if (steps.isEmpty()) return CompletableFuture.completedFuture(null);
            CompletableFuture<Void> all = new CompletableFuture<>();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger free = new AtomicInteger(bound);
            AtomicInteger remaining = new AtomicInteger(steps.size());
            AtomicInteger wip = new AtomicInteger();
            Runnable[] drain = new Runnable[1];
            drain[0] = () -> {
                if (wip.getAndIncrement() != 0) return;
                do {
                    while (free.get() > 0 && next.get() < steps.size() && !all.isDone()) {
                        free.decrementAndGet();
                        exec(steps.get(next.getAndIncrement())).whenComplete((v, e) -> {
                            if (e != null) {
                                all.completeExceptionally(e);
                                return;
                            }
                            free.incrementAndGet();
                            if (remaining.decrementAndGet() == 0) all.complete(null);
                            else drain[0].run();
                        });
                    }
                } while (wip.decrementAndGet() != 0);
            };
            drain[0].run();
            return all;
        }

        /** Sends the packets of unfinished targets; true when at least one went out. */
        private boolean send(MagicPackets step) {
            Map<String, InetAddress> destinations = new HashMap<>();
            Map<String, InetAddress> sources = new HashMap<>();
            boolean any = false;
            try (WakeOnLan wol = new WakeOnLan()) {
                for (MagicPacket p : step.packets()) {
                    if (interrupt.isDone()) return any;
                    if (ledger.isFinished(p.target())) continue;
                    try {
                        InetAddress dest = destinations.get(p.destination());
                        if (dest == null) {
                            dest = InetAddress.getByName(p.destination());
                            destinations.put(p.destination(), dest);
                        }
                        InetAddress source = null;
                        if (p.interfaceName() != null) {
                            source = sources.computeIfAbsent(p.interfaceName(), n -> Interfaces.ipv4(n)
                                    .map(Interfaces.Ipv4::address).orElse(null));
                            if (source == null) throw new IOException("interface " + p.interfaceName() + " has no IPv4 address");
                        }
                        byte[] secret = p.secureOn() == null ? null : secrets.get(p.secureOn());
                        wol.send(p.mac().bytes(), secret, dest, p.port(), source);
                        any = true;
                        ledger.record(p.target(), p.sent());
                    } catch (IOException | RuntimeException e) {
                        ledger.record(p.target(), Verdict.fail("not-sent", "magic packet for " + p.mac()
                                + " could not be sent to " + p.destination() + ":" + p.port() + ": " + e.getMessage()
                                + hint(p)));
                    }
                }
            }
            return any;
        }

        private String hint(MagicPacket p) {
            return p.destination().equals("255.255.255.255") && p.interfaceName() == null
                    ? " (no route for 255.255.255.255 here; give BROADCAST:<ip> or IF:<interface>)" : "";
        }

        private CompletableFuture<Void> probe(Probe p) {
            if (ledger.isFinished(p.target())) return CompletableFuture.completedFuture(null);
            return ask(p.address(), p.tcpPort(), p.timeout())
                    .thenAccept(up -> ledger.record(p.target(), up ? p.ifUp() : p.ifDown()));
        }

        private CompletableFuture<Void> waitUntilUp(WaitUntilUp w, int attempt, long started) {
            if (ledger.isFinished(w.target()) || interrupt.isDone()) return CompletableFuture.completedFuture(null);
            long limitNanos = w.limit() == null ? Long.MAX_VALUE : w.limit().toNanos();
            long left = limitNanos - (System.nanoTime() - started);
            Duration tryTimeout = left < w.tryTimeout().toNanos() ? Duration.ofNanos(Math.max(left, 0)) : w.tryTimeout();
            return ask(w.address(), w.tcpPort(), tryTimeout).thenCompose(up -> {
                long elapsed = System.nanoTime() - started;
                double secs = elapsed / 1e9;
                if (up) {
                    ledger.record(w.target(), Verdict.proceed("up", String.format(
                            "answers after %.1fs (try %d of %d)", secs, attempt, w.tries())));
                    return CompletableFuture.completedFuture(null);
                }
                // tries start `interval` apart, however long the silent try took
                long next = attempt * w.interval().toNanos() - elapsed;
                if (attempt >= w.tries() || elapsed + Math.max(0, next) >= limitNanos) {
                    ledger.record(w.target(), Verdict.fail("no-answer", String.format(
                            "%s did not answer ping or TCP %d: %d tries %s apart (%.1fs)", w.address(),
                            w.tcpPort(), attempt, Durations.format(w.interval()), secs)));
                    return CompletableFuture.completedFuture(null);
                }
                ledger.record(w.target(), Verdict.proceed("waiting", String.format(
                        "no answer yet (try %d of %d)", attempt, w.tries())));
                return delay(Duration.ofNanos(Math.max(0, next))).thenCompose(v -> waitUntilUp(w, attempt + 1, started));
            });
        }

        /**
         * One reachability question, bounded here as well: a name lookup inside it cannot be
         * timed out by the prober, so an answer that comes too late counts as silence.
         */
        private CompletableFuture<Boolean> ask(String address, int port, Duration timeout) {
            return CompletableFuture.supplyAsync(() -> prober.answers(address, port, timeout), blocking)
                    .completeOnTimeout(false, timeout.toMillis() + ASK_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }

        private CompletableFuture<Void> runCommand(RunCommand c) {
            if (ledger.isFinished(c.target())) return CompletableFuture.completedFuture(null);
            return CompletableFuture.runAsync(() -> {
                ledger.begin(c.target(), "running", c.describe());
                // a command run as a means to an end (from a gateway) is never streamed: its output is not the result
                CommandSink sink = commandOutput.streaming() && c.ok() == null
                        ? new Streamed(c.target(), commandOutput.cap(), commandOutput.out(), commandOutput.err())
                        : new Capture(commandOutput.cap(), spool);
                try {
                    // no remote: this host, without SSH
                    Output ended = c.remote() == null ? LocalCommand.run(c.command(), c.timeout(), sink.out(), sink.err())
                            : shells().exec(c.remote(), c.command(), c.timeout(), sink.out(), sink.err());
                    Output out = sink.finish(ended.exitStatus(), ended.exitSignal());
                    if (c.ok() == null) ledger.output(c.target(), out);
                    Verdict ok = c.ok() != null ? c.ok() : Verdict.done("ran", out.exitText() + sink.note());
                    ledger.record(c.target(), out.succeeded() ? ok : Verdict.fail("ran", out.exitText()
                            + firstLine(out.err()) + sink.note()));
                } catch (Shells.Failure f) {
                    sink.finish(null, null);
                    ledger.record(c.target(), verdictOf(f));
                }
            }, blocking);
        }

        private CompletableFuture<Void> bmcPower(BmcPower b) {
            if (ledger.isFinished(b.target())) return CompletableFuture.completedFuture(null);
            SecretRef ref = b.bmc().password();
            SecretRef keyRef = b.bmc().bmcKey();
            for (SecretRef r : java.util.Arrays.asList(ref, keyRef)) {
                if (r != null && unreadable.containsKey(r)) {
                    ledger.record(b.target(), Verdict.refuse("bmc-secret", unreadable.get(r)), Map.of("power", "?"));
                    return CompletableFuture.completedFuture(null);
                }
            }
            return CompletableFuture.runAsync(() -> {
                byte[] password = ref == null ? null : secrets.get(ref);
                byte[] bmcKey = keyRef == null ? null : secrets.get(keyRef);
                // the target's own --timeout, the overall one and an interrupt end the procedure between requests
                Bmcs.Outcome o = bmcs().run(b, password, bmcKey, () -> ledger.isFinished(b.target()) || interrupt.isDone(),
                        v -> ledger.record(b.target(), v));
                ledger.record(b.target(), o.verdict(), o.fields());
            }, blocking);
        }

        private CompletableFuture<Void> waitForLogin(WaitForLogin w, int attempt, long started) {
            if (ledger.isFinished(w.target()) || interrupt.isDone()) return CompletableFuture.completedFuture(null);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    shells().login(w.remote(), w.tryTimeout());
                    return (Shells.Failure) null;
                } catch (Shells.Failure f) {
                    return f;
                }
            }, blocking).thenCompose(f -> {
                long elapsed = System.nanoTime() - started;
                if (f == null) {
                    ledger.record(w.target(), Verdict.proceed("ssh", String.format(
                            "accepts SSH logins after %.1fs (try %d of %d)", elapsed / 1e9, attempt, w.tries())));
                    return CompletableFuture.completedFuture(null);
                }
                if (f.kind() == Shells.Failure.Kind.REFUSED || attempt >= w.tries()) {
                    ledger.record(w.target(), f.kind() == Shells.Failure.Kind.REFUSED ? verdictOf(f)
                            : Verdict.fail("no-ssh", "no SSH login after " + attempt + " tries "
                                    + Durations.format(w.interval()) + " apart: " + f.getMessage()));
                    return CompletableFuture.completedFuture(null);
                }
                ledger.record(w.target(), Verdict.proceed("waiting-ssh", "no SSH login yet (try " + attempt + " of "
                        + w.tries() + ")"));
                long next = attempt * w.interval().toNanos() - elapsed;
                return delay(Duration.ofNanos(Math.max(0, next))).thenCompose(v -> waitForLogin(w, attempt + 1, started));
            });
        }

        /** ": <first line of the error output>" for a failure message, or nothing. */
        private String firstLine(org.ctys.spi.Captured stderr) {
            String s = new String(stderr.head(4096), java.nio.charset.StandardCharsets.UTF_8).strip();
            int nl = s.indexOf('\n');
            return s.isEmpty() ? "" : ": " + (nl < 0 ? s : s.substring(0, nl));
        }

        private CompletableFuture<Void> delay(Duration d) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            timer.schedule(() -> f.complete(null), d.toMillis(), TimeUnit.MILLISECONDS);
            return f;
        }
    }
}
