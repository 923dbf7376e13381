package org.ctys.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctys.engine.run.Bmcs;
import org.ctys.engine.run.CommandSink;
import org.ctys.engine.run.Ledger;
import org.ctys.engine.run.Progress;
import org.ctys.engine.run.SharedQuestions;
import org.ctys.engine.run.Shells;
import org.ctys.engine.run.Watches;
import org.ctys.engine.run.LocalCommand;
import org.ctys.engine.steps.RunContext;
import org.ctys.engine.steps.StepExecutors;
import org.ctys.exit.ExitStatus;
import org.ctys.grammar.Durations;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Plan;
import org.ctys.spi.Remote;
import org.ctys.spi.Result;
import org.ctys.spi.SecretUse;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.ctys.spi.Watching;
import org.ctys.transport.net.Reachability;

/**
 * Runs plans: fan-out bounded by --parallel, waits that hold no thread between tries, the
 * overall --timeout, and a clean stop on interrupt. The one place where --dry-run is decided.
 * What a leaf step does is its executor's business ({@link StepExecutors}); the engine only
 * orders, bounds and stops them and keeps the ledger.
 */
public final class Engine {
    /** Executors keep no state of a run: one registry serves every engine. */
    private static final StepExecutors EXECUTORS = StepExecutors.standard();
    private final GenericOptions options;
    /** When the overall --timeout runs out (System.nanoTime); unused without one. */
    private final long deadline;
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
    /** Bound of a watch's start: the login (usually done already) and its channel's opening. */
    static final Duration WATCH_OPEN = Duration.ofSeconds(10);
    private CommandOutput commandOutput = CommandOutput.gathered(CommandOutput.DEFAULT_CAP);
    /** Set while {@link #runAll} runs several plans: their sessions stay open from one to the next. */
    private volatile boolean keepSessions;
    private final Spool spool = new Spool();
    /** --log: where the console a plan attaches is recorded; null: nowhere. */
    private java.nio.file.Path consoleLog;
    /** What a console reads when standard input is not a terminal; tests give their own, the JVM's being the test runner's. */
    private java.io.InputStream consoleInput = System.in;

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
        this.deadline = options.timeout() == null ? 0 : System.nanoTime() + options.timeout().toNanos();
    }

    /**
     * What is left of the overall --timeout, null without one: it bounds the whole command, every
     * plan of a -T run and a console after a power-on together, counted from the engine's start.
     */
    private Duration timeLeft() {
        return options.timeout() == null ? null : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
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

    /**
     * Lets the executors of the step kinds in {@code plans} start early what their first step
     * would wait for (the BMC sessions' crypto); for a real run only, before it starts.
     */
    public static void prepare(List<Plan> plans) { EXECUTORS.prepare(plans); }

    /**
     * Runs the plans of one command one after the other (-T: a LIST per type), sharing one SSH
     * login per host and one session per BMC between them; stops after a plan a signal or the
     * overall --timeout stopped.
     */
    public List<Report> runAll(List<Plan> plans) {
        List<Report> reports = new java.util.ArrayList<>();
        keepSessions = plans.size() > 1;
        try {
            for (Plan plan : plans) {
                Report r = run(plan);
                reports.add(r);
                if (r.status().bySignal() || r.status() == ExitStatus.TIMEOUT) break;
            }
        } finally {
            keepSessions = false;
            closeShells();
            closeBmcs();
        }
        return reports;
    }

    public Report run(Plan plan) {
        // Read (and so checked) before the dry-run stops: -n is a faithful preflight, and a secret
        // file that a real run would refuse makes the dry run fail too. Nothing of it is printed.
        Map<SecretRef, byte[]> secrets = readSecrets(plan.root());
        if (options.dryRun()) {
            secrets.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
            return Report.dryRun(plan, refusedLogins(plan));
        }
        if (plan.root() instanceof Watching w) return watching(plan, w, secrets);
        if (plan.root().ownsTheTerminal()) return attach(plan, plan.root(), secrets);
        if (plan.root() instanceof Step.Sequence seq && !seq.steps().isEmpty()
                && seq.steps().get(seq.steps().size() - 1).ownsTheTerminal()) {
            return thenAttach(plan, seq, seq.steps().get(seq.steps().size() - 1), secrets);
        }
        return steps(plan, secrets);
    }

    /** A step that owns the terminal, run to its end through the one attach model: its end is the command's. */
    private Report attach(Plan plan, Step step, Map<SecretRef, byte[]> secrets) {
        return Attach.run(new Attach.Run(options, progress, interrupt, this::stopStatus, () -> interrupt(ExitStatus.INTERRUPTED),
                this::shells, this::closeShells, consoleLog, consoleInput, null, timeLeft()), plan, step, secrets);
    }

    /**
     * A console with work beside it: the console is opened, then the work runs (its progress kept
     * off the terminal while the console is on it); the console is left when the work has ended,
     * and the work's report is the command's. A console that could not be opened is the report,
     * the work never started.
     */
    private Report watching(Plan plan, Watching w, Map<SecretRef, byte[]> secrets) {
        Map<SecretRef, byte[]> forConsole = new HashMap<>();
        for (SecretUse use : w.console().secrets()) forConsole.put(use.ref(), secrets.get(use.ref()).clone());
        Progress.Held held = new Progress.Held(progress);
        CompletableFuture<Report> work = new CompletableFuture<>();
        AtomicBoolean started = new AtomicBoolean();
        Runnable start = () -> {
            if (!started.compareAndSet(false, true)) return;
            Thread t = new Thread(() -> {
                try {
                    work.complete(steps(new Plan(plan.title(), plan.targets(), w.work(), plan.timeouts()), secrets, held));
                } catch (RuntimeException | Error e) {
                    work.completeExceptionally(e);
                }
            }, "ctys-watched-work");
            t.setDaemon(true);
            t.start();
        };
        // the work's SSH sessions are its own to close: the console leaving must not end them
        Report console = Attach.run(new Attach.Run(options, progress, interrupt, this::stopStatus, () -> interrupt(ExitStatus.INTERRUPTED),
                this::shells, () -> { }, consoleLog, consoleInput, new Attach.Beside(start, () -> work.isDone() ? w.ended() : null), timeLeft()),
                plan, w.console(), forConsole);
        held.release();
        if (!started.get()) {
            secrets.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
            closeShells();
            return console;
        }
        try {
            return work.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("the steps under the console failed unexpectedly", e.getCause());
        }
    }

    /** Records the console a plan attaches to {@code file} (--log); null: none. */
    public Engine log(java.nio.file.Path file) {
        this.consoleLog = file;
        return this;
    }

    /** What a console attached without a terminal reads instead of standard input. */
    Engine input(java.io.InputStream in) {
        this.consoleInput = in;
        return this;
    }

    /** The step of {@code plan} that owns the terminal (its root, or the last of its sequence), or null. */
    private static Step attached(Plan plan) {
        if (plan.root() instanceof Watching w) return w.console();
        if (plan.root().ownsTheTerminal()) return plan.root();
        if (plan.root() instanceof Step.Sequence seq && !seq.steps().isEmpty()
                && seq.steps().get(seq.steps().size() - 1).ownsTheTerminal()) {
            return seq.steps().get(seq.steps().size() - 1);
        }
        return null;
    }

    /** Whether {@code plan} ends in a console whose session --log can record. */
    public static boolean recordsAConsole(Plan plan) {
        Step step = attached(plan);
        return step != null && Attach.records(step);
    }

    /**
     * Steps, then one that owns the terminal (a console after a power-on): it is attached when the
     * steps before it succeeded; their report is then shown as progress only, and the attached step
     * decides the exit status.
     */
    private Report thenAttach(Plan plan, Step.Sequence seq, Step last, Map<SecretRef, byte[]> secrets) {
        Map<SecretRef, byte[]> forConsole = new HashMap<>();
        for (SecretUse use : last.secrets()) forConsole.put(use.ref(), secrets.get(use.ref()).clone());
        List<Step> first = new java.util.ArrayList<>(seq.steps().subList(0, seq.steps().size() - 1));
        // the console's own login is checked with the rest: a configuration that refuses it refuses its target before the power-on
        Verdict refused = refusedLogin(last);
        if (refused != null) first.add(0, new org.ctys.spi.Note(last.target(), refused, Map.of()));
        Report before = steps(new Plan(plan.title(), plan.targets(), new Step.Sequence(first), plan.timeouts()), secrets);
        if (before.status() != ExitStatus.OK || interrupt.isDone()) {
            forConsole.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
            return before;
        }
        return attach(plan, last, forConsole);
    }

    /** Runs a plan's steps: every target at once (bounded), each through its own sequence. */
    private Report steps(Plan plan, Map<SecretRef, byte[]> secrets) { return steps(plan, secrets, progress); }

    private Report steps(Plan plan, Map<SecretRef, byte[]> secrets, Progress progress) {
        Ledger ledger = new Ledger(plan.targets(), progress);
        ExitStatus stopped = null;
        ExecutorService blocking = Executors.newFixedThreadPool(Math.min(options.fanOut(), 1024), daemon("ctys-work"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("ctys-timer"));
        Run run = new Run(ledger, blocking, timer, secrets);
        plan.timeouts().forEach((target, bound) -> timer.schedule(() -> ledger.timedOut(target, Durations.format(bound)),
                bound.toMillis(), TimeUnit.MILLISECONDS));
        try {
            checkSsh(plan.root(), ledger, new java.util.HashSet<>(plan.targets()));
            // between the plans of one command (-T) a host keeps its one login; otherwise each session ends with its last step
            if (!keepSessions) run.holdSessions(plan.root());
            CompletableFuture<Void> done = run.exec(plan.root());
            CompletableFuture<Object> first = CompletableFuture.anyOf(done, interrupt);
            try {
                Duration left = timeLeft();
                if (left != null) first.get(left.toMillis(), TimeUnit.MILLISECONDS);
                else first.get();
                if (interrupt.isDone()) {
                    ledger.stopUnfinished(Result.Status.INTERRUPTED, stopText());
                    stopped = stopStatus();
                }
            } catch (TimeoutException e) {
                run.timedOut = true; // before the rows are stopped: nothing found from now on starts
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
            // the watches' commands end before the sessions they run on (a local one is reaped)
            run.watches.close();
            blocking.shutdownNow();
            timer.shutdownNow();
            // closing the SSH sessions ends the commands waiting on them; then the workers are
            // waited for: local commands are killed and reaped, interrupted power procedures close
            // their BMC sessions (each bounded: a BMC has few)
            // between the plans of one command (-T) a host keeps its one SSH login, unless the run was stopped
            boolean keep = keepSessions && stopped == null;
            if (!keep) closeShells();
            try {
                blocking.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!keep) closeBmcs();
            secrets.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
            progress.finish();
        }
        List<Result> results = ledger.results();
        // stopped during a step that no target waits on (a WOL delay): the status still says so
        return new Report(plan.title(), results, stopped != null ? stopped : Report.statusOf(results), null);
    }

    /** For a dry run: the targets whose SSH configuration refuses their login, as a real run would refuse them (nothing is sent). */
    private List<Result> refusedLogins(Plan plan) {
        Ledger ledger = new Ledger(plan.targets(), Progress.quiet());
        checkSsh(plan.root(), ledger, new java.util.HashSet<>(plan.targets()));
        return ledger.results().stream().filter(r -> ledger.isFinished(r.target())).toList();
    }

    /**
     * Every target's SSH configuration before anything is sent: a target whose login its
     * configuration refuses (a bad line, a config file others can write, a jump loop) is refused
     * now, and none of its steps runs, a magic packet or a BMC's power on before the login included.
     */
    private void checkSsh(Step step, Ledger ledger, java.util.Set<String> targets) {
        if (targets.contains(step.target()) && !ledger.isFinished(step.target())) {
            Verdict refused = refusedLogin(step);
            if (refused != null) ledger.record(step.target(), refused);
        }
        step.children().forEach(c -> checkSsh(c, ledger, targets));
    }

    /** Why the SSH configuration refuses the login {@code step} makes, or null (it makes none, or one the configuration allows). */
    private Verdict refusedLogin(Step step) {
        if (step.remote() == null || step.target() == null) return null;
        try {
            shells().check(step.remote());
            return null;
        } catch (Shells.Failure f) {
            return f.verdict();
        }
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
        step.children().forEach(c -> collect(c, secrets));
        for (SecretUse use : step.secrets()) {
            SecretRef ref = use.ref();
            if (secrets.containsKey(ref)) continue;
            if (use.required()) {
                unreadable.remove(ref);
                secrets.put(ref, read(use));
            } else if (!unreadable.containsKey(ref)) {
                try {
                    secrets.put(ref, read(use));
                } catch (org.ctys.exit.CtysException e) {
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

    /** The state of one execution: what its step executors may use. */
    private final class Run implements RunContext {
        private final Ledger ledger;
        private final ExecutorService blocking;
        private final ScheduledExecutorService timer;
        private final Map<SecretRef, byte[]> secrets;
        private final SharedQuestions questions = new SharedQuestions();
        private final Watches watches;
        /** The steps that reach a machine and have not run yet, by identity: see {@link #holdSessions}. */
        private final Map<Step, Remote> held = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
        /** The SSH side the held steps were counted on (closed at the end of the run, never made again by a release). */
        private Shells holder;
        /** Sessions are held per step ({@link #holdSessions}); not between the plans of one command (-T). */
        private volatile boolean holding;
        /** The overall --timeout ran out: what a step found since (a listing that answered late) does not start. */
        volatile boolean timedOut;

        Run(Ledger ledger, ExecutorService blocking, ScheduledExecutorService timer, Map<SecretRef, byte[]> secrets) {
            this.ledger = ledger;
            this.blocking = blocking;
            this.timer = timer;
            this.secrets = secrets;
            this.watches = new Watches((remote, command, out, err) -> remote == null ? LocalCommand.watch(command, out, err)
                    : shells().watch(remote, command, WATCH_OPEN, out, err), blocking);
        }

        /** Orders and bounds the structural steps; every other goes to its kind's executor. */
        @Override
        public CompletableFuture<Void> exec(Step step) {
            if (stopped()) return CompletableFuture.completedFuture(null);
            if (step instanceof Step.Sequence s) return sequence(s.steps(), 0);
            if (step instanceof Step.Parallel p) return parallel(p);
            if (holding && step.remote() != null && held.putIfAbsent(step, step.remote()) == null) {
                holder().hold(step.remote()); // found during the run: held while it runs, as a planned step
            }
            CompletableFuture<Void> ran = EXECUTORS.run(step, this);
            if (holding) ran.whenComplete((v, e) -> released(step));
            return ran;
        }

        /**
         * Holds every step of the plan that reaches a machine over SSH on that machine's session until
         * it has run or its step has ended without running it: a session closes with the last step
         * that needs it, and a fan-out over many machines does not keep every one of them logged in
         * until the end. What a step finds and runs (a stack's guests and its host's halt) runs within
         * that step, so the steps it showed ahead (its preview) hold the session for it.
         */
        void holdSessions(Step root) {
            holding = true;
            java.util.ArrayDeque<Step> todo = new java.util.ArrayDeque<>(List.of(root));
            while (!todo.isEmpty()) {
                Step s = todo.pop();
                if (s.remote() != null && held.putIfAbsent(s, s.remote()) == null) holder().hold(s.remote());
                s.children().forEach(todo::push);
            }
        }

        private synchronized Shells holder() {
            if (holder == null) holder = shells();
            return holder;
        }

        /**
         * {@code step} has ended: it gives back its hold, and so do the steps under it that it did not
         * run (a preview, a fallback that was not needed, a step whose prerequisites failed). Here, not
         * on the workers: with --parallel 1 the one worker is already running the next target.
         */
        private void released(Step step) {
            java.util.ArrayDeque<Step> todo = new java.util.ArrayDeque<>(List.of(step));
            while (!todo.isEmpty()) {
                Step s = todo.pop();
                Remote r = held.remove(s);
                if (r != null) holder().release(r);
                s.children().forEach(todo::push);
            }
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

        @Override
        public Ledger ledger() { return ledger; }

        @Override
        public Executor blocking() { return blocking; }

        @Override
        public CompletableFuture<Void> delay(Duration d) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            timer.schedule(() -> f.complete(null), d.toMillis(), TimeUnit.MILLISECONDS);
            return f;
        }

        @Override
        public boolean stopped() { return timedOut || interrupt.isDone(); }

        @Override
        public byte[] secret(SecretRef ref) { return secrets.get(ref); }

        @Override
        public String unreadable(SecretRef ref) { return unreadable.get(ref); }

        /**
         * One reachability question, bounded here as well: a name lookup inside it cannot be
         * timed out by the prober, so an answer that comes too late counts as silence.
         */
        @Override
        public CompletableFuture<Boolean> answers(String address, int port, Duration timeout) {
            return CompletableFuture.supplyAsync(() -> prober.answers(address, port, timeout), blocking)
                    .completeOnTimeout(false, timeout.toMillis() + ASK_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public Shells shells() { return Engine.this.shells(); }

        @Override
        public SharedQuestions questions() { return questions; }

        @Override
        public Watches watches() { return watches; }

        @Override
        public Bmcs bmcs() { return Engine.this.bmcs(); }

        @Override
        public CommandSink sink(String target, boolean result) {
            return commandOutput.streaming() && result
                    ? new Streamed(target, commandOutput.cap(), commandOutput.out(), commandOutput.err())
                    : new Capture(commandOutput.cap(), spool);
        }
    }
}
