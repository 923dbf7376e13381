package org.ctys.engine.run;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.ctys.grammar.Durations;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.BmcPower;
import org.ctys.spi.Verdict;
import org.ctys.transport.ipmi.BmcAddress;
import org.ctys.transport.ipmi.BmcException;
import org.ctys.transport.ipmi.BmcSession;
import org.ctys.transport.ipmi.BootDevice;
import org.ctys.transport.ipmi.BootFlags;
import org.ctys.transport.ipmi.ChassisAction;
import org.ctys.transport.ipmi.IpmiClient;
import org.ctys.transport.ipmi.PowerState;

/**
 * Runs the power procedures of {@link BmcPower} steps over one IPMI client for the whole run.
 * Each procedure holds one session from its first question to its last confirmation.
 */
public final class Bmcs implements AutoCloseable {
    /** How long a BMC may take to show the state it was told to reach. */
    static final Duration CONFIRM = Duration.ofSeconds(20);
    /** How often a BMC is asked for the power state while waiting for one. */
    static final Duration POLL = Duration.ofMillis(500);

    /** The procedure was told to stop (a --timeout, an interrupt): nothing more is sent. */
    private static final class Stopped extends Exception {
        Stopped() { super(null, null, false, false); }
    }

    private final IpmiClient client;
    /** BMCs (host:port) seen answering the boot flags' valid bit clear right after it was set: only their device tells. */
    private final java.util.Set<String> withoutValidBit = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Bmcs(IpmiClient client) { this.client = client; }

    private static String key(BmcSettings bmc) { return bmc.address() + ":" + bmc.port(); }

    /** Whether the BMC keeps the boot flags' valid bit, as far as this run has seen (a BOOT_ONCE reads it back). */
    public boolean keepsValidBit(BmcSettings bmc) { return !withoutValidBit.contains(key(bmc)); }

    public static BmcAddress address(BmcSettings bmc) {
        return new BmcAddress(bmc.address(), bmc.port(), bmc.user(), bmc.cipherSuite(), bmc.allowCipherSuite0());
    }

    /** One outcome: a verdict and the fields a report shows (the power column). */
    public record Outcome(Verdict verdict, Map<String, String> fields) {
        Outcome(Verdict verdict) { this(verdict, Map.of()); }
    }

    IpmiClient client() { return client; }

    /**
     * Runs one procedure. {@code stop} is asked before every request and while waiting; once it
     * holds, nothing more is sent (the target has been reported already). {@code progress} hears
     * each step taken, so that a report cut short says what was done.
     */
    public Outcome run(BmcPower step, byte[] password, byte[] bmcKey, BooleanSupplier stop, Consumer<Verdict> progress) {
        IpmiClient.Privilege privilege = step.procedure() == BmcPower.Procedure.STATUS
                ? IpmiClient.Privilege.USER : IpmiClient.Privilege.OPERATOR;
        try (BmcSession s = client.open(address(step.bmc()), password, bmcKey, privilege)) {
            return new Run(s, stop, progress).procedure(step);
        } catch (BmcException e) {
            return new Outcome(failure(e), Map.of("power", "?"));
        } catch (Stopped e) {
            return new Outcome(Verdict.fail("stopped", "stopped"));
        } catch (InterruptedException e) {
            return new Outcome(Verdict.fail("interrupted", "interrupted"));
        } catch (RuntimeException e) {
            // a BMC that sends what cannot be read fails its own machine, never the whole command
            return new Outcome(Verdict.fail("bmc-error", "BMC " + step.bmc().address() + ": " + e), Map.of("power", "?"));
        }
    }

    /**
     * The power status, without a thread: the session's start, its one question and its close run
     * on the IPMI client's socket thread, each when the BMC's answer to the one before arrives. The
     * future never fails; its outcome is what {@link #run} gives for a status.
     */
    public CompletableFuture<Outcome> status(BmcPower step, byte[] password, byte[] bmcKey) {
        return client.openAsync(address(step.bmc()), password, bmcKey, IpmiClient.Privilege.USER)
                .thenCompose(s -> s.powerAsync().handle((now, e) -> e == null ? status(now, s.bmc()) : failed(e, step))
                        .thenCompose(o -> s.closeAsync().thenApply(v -> o)))
                .exceptionally(e -> failed(e, step));
    }

    private static Outcome status(PowerState now, BmcAddress bmc) {
        return new Outcome(Verdict.done(now.word(), "power is " + now.word() + " (BMC " + bmc.display() + ")"), power(now));
    }

    private static Outcome failed(Throwable e, BmcPower step) {
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) e = e.getCause();
        if (e instanceof BmcException b) return new Outcome(failure(b), Map.of("power", "?"));
        // a BMC that sends what cannot be read fails its own machine, never the whole command
        return new Outcome(Verdict.fail("bmc-error", "BMC " + step.bmc().address() + ": " + e), Map.of("power", "?"));
    }

    public static Verdict failure(BmcException e) {
        return switch (e.kind()) {
            case AUTHENTICATION -> Verdict.refuse("bmc-auth", e.getMessage());
            case UNREACHABLE -> Verdict.fail("bmc-silent", e.getMessage());
            case STOPPED -> Verdict.fail("bmc-stopped", e.getMessage());
            case REFUSED -> Verdict.fail("bmc-refused", e.getMessage());
            case BUSY -> Verdict.fail("sol-busy", e.getMessage());
            case FAILED -> Verdict.fail("bmc-error", e.getMessage());
        };
    }

    /** One procedure on one open session, stopping when told to. */
    private final class Run {
        private final BmcSession s;
        private final BooleanSupplier stop;
        private final Consumer<Verdict> progress;

        Run(BmcSession s, BooleanSupplier stop, Consumer<Verdict> progress) {
            this.s = s;
            this.stop = stop;
            this.progress = progress;
        }

        /** Every change goes through here: asked to stop, nothing more is sent. */
        private void control(ChassisAction action) throws BmcException, InterruptedException, Stopped {
            if (stop.getAsBoolean()) throw new Stopped();
            s.control(action);
            progress.accept(Verdict.proceed("sent", action.text() + " sent (BMC " + s.bmc().display() + ")"));
        }

        private void bootDevice(BootDevice device) throws BmcException, InterruptedException, Stopped {
            if (stop.getAsBoolean()) throw new Stopped();
            s.bootDevice(device, false);
            progress.accept(Verdict.proceed("sent", "next boot from " + device + " set (BMC " + s.bmc().display() + ")"));
        }

        Outcome procedure(BmcPower step) throws BmcException, InterruptedException, Stopped {
            PowerState now = s.power();
            String via = " (BMC " + s.bmc().display() + ")";
            return switch (step.procedure()) {
                case STATUS -> status(now, s.bmc());
                case ON -> powerOn(step, now, via);
                case OFF, OFF_HARD -> {
                    if (now == PowerState.OFF) yield new Outcome(Verdict.done("off", "already powered off; nothing sent" + via), power(now));
                    if (step.procedure() == BmcPower.Procedure.OFF) {
                        long started = System.nanoTime();
                        control(ChassisAction.SOFT);
                        if (waitFor(PowerState.OFF, step.grace())) {
                            yield new Outcome(Verdict.done("off", String.format("powered off by soft off (ACPI) after %.1fs",
                                    (System.nanoTime() - started) / 1e9) + via), power(PowerState.OFF));
                        }
                        control(ChassisAction.OFF);
                        yield confirmed(PowerState.OFF, "off", "powered off hard: the soft off had not finished after "
                                + Durations.format(step.grace()) + via);
                    }
                    control(ChassisAction.OFF);
                    yield confirmed(PowerState.OFF, "off", "powered off hard (FORCE)" + via);
                }
                case REBOOT -> {
                    if (now == PowerState.OFF) {
                        control(ChassisAction.ON);
                        yield confirmed(PowerState.ON, "on", "was powered off; powered on" + via);
                    }
                    long started = System.nanoTime();
                    control(ChassisAction.SOFT);
                    if (waitFor(PowerState.OFF, step.grace())) {
                        double secs = (System.nanoTime() - started) / 1e9;
                        control(ChassisAction.ON);
                        yield confirmed(PowerState.ON, "on", String.format("rebooted: soft off (ACPI) after %.1fs, then powered on", secs) + via);
                    }
                    control(ChassisAction.CYCLE);
                    yield new Outcome(Verdict.done("cycled", "power cycled: the soft off had not finished after "
                            + Durations.format(step.grace()) + via), power(PowerState.ON));
                }
                case CYCLE -> {
                    if (now == PowerState.OFF) {
                        control(ChassisAction.ON);
                        yield confirmed(PowerState.ON, "on", "was powered off; powered on" + via);
                    }
                    control(ChassisAction.CYCLE);
                    yield new Outcome(Verdict.done("cycled", "power cycled (FORCE)" + via), power(PowerState.ON));
                }
                case BOOT_ONCE -> bootOnce(step, now, via);
                case RESET -> {
                    if (now == PowerState.OFF) {
                        yield new Outcome(Verdict.fail("off", "is powered off; a reset does nothing to a machine that is off"
                                + " (create=ipmi powers it on)" + via), power(now));
                    }
                    control(ChassisAction.RESET);
                    yield new Outcome(Verdict.done("reset", "hard reset" + via), power(PowerState.ON));
                }
            };
        }

        private Outcome powerOn(BmcPower step, PowerState now, String via) throws BmcException, InterruptedException, Stopped {
            if (now == PowerState.ON) {
                String message = switch (step.policy()) {
                    case "CONNECT" -> "powered on; connected (CONSOLE:NONE)";
                    case "REUSE" -> "already powered on; reused, nothing sent";
                    default -> "already powered on; nothing sent" + (step.boot() == null ? ""
                            : " (BOOT:" + step.boot() + " applies to a boot; cancel=ipmi,reboot reboots it)");
                };
                return new Outcome(Verdict.done("on", message + via), power(now));
            }
            if ("CONNECT".equals(step.policy())) {
                return new Outcome(Verdict.fail("off", "is powered off; CONNECT does not power it on (REUSE does)" + via), power(now));
            }
            if (step.boot() != null) bootDevice(BootDevice.valueOf(step.boot()));
            control(ChassisAction.ON);
            String what = "powered on" + (step.boot() == null ? "" : ", next boot from " + step.boot()) + via;
            Outcome o = confirmed(PowerState.ON, "on", what);
            if (!step.finish() && o.verdict().effect() == Verdict.Effect.DONE) {
                return new Outcome(Verdict.proceed("on", what), o.fields());
            }
            return o;
        }

        /**
         * The boot device for the next boot only, then power on, or a power cycle when the machine is on
         * (a reset would not do: some BMCs, ipmi_sim among them, only apply a boot device at power on).
         */
        private Outcome bootOnce(BmcPower step, PowerState now, String via) throws BmcException, InterruptedException, Stopped {
            BootDevice device = BootDevice.valueOf(step.boot());
            bootDevice(device);
            noteValidBit(step.bmc(), device);
            Outcome o;
            if (now == PowerState.OFF) {
                control(ChassisAction.ON);
                o = confirmed(PowerState.ON, "on", "next boot from " + device + " (once); powered on" + via);
            } else {
                control(ChassisAction.CYCLE);
                o = new Outcome(Verdict.done("cycled", "next boot from " + device + " (once); power cycled" + via), power(PowerState.ON));
            }
            if (!step.finish() && o.verdict().effect() == Verdict.Effect.DONE) {
                return new Outcome(Verdict.proceed(o.verdict().state(), o.verdict().message()), o.fields());
            }
            return o;
        }

        /**
         * Reads the flags just set back: a BMC that answers the valid bit clear at once keeps none, and
         * the read-back after the boot must judge by the device. A BMC that cannot answer is taken at its word.
         */
        private void noteValidBit(BmcSettings bmc, BootDevice device) throws InterruptedException {
            try {
                if (s.bootFlags().dropsValidBit(device)) withoutValidBit.add(key(bmc));
            } catch (BmcException e) {
                // Get System Boot Options is optional for a BMC; the check after the boot says what it can
            }
        }

        /** Reads the state until it is the one wanted, at most {@link #CONFIRM}. */
        private Outcome confirmed(PowerState wanted, String state, String message)
                throws BmcException, InterruptedException, Stopped {
            if (waitFor(wanted, CONFIRM)) return new Outcome(Verdict.done(state, message), power(wanted));
            return new Outcome(Verdict.fail("unconfirmed", "the BMC accepted the request, but the power is still "
                    + (wanted == PowerState.ON ? "off" : "on") + " after " + Durations.format(CONFIRM)
                    + " (BMC " + s.bmc().display() + ")"), power(wanted == PowerState.ON ? PowerState.OFF : PowerState.ON));
        }

        /**
         * Reads the power through the one waiting loop ({@link PollLoop}), driven on this thread so
         * that the session stays the procedure's: a try at once and one every {@link #POLL} through
         * the limit, the last at the limit itself. The limit given to the loop is one POLL longer,
         * so that only a BMC slow to answer ends the wait early.
         */
        private boolean waitFor(PowerState wanted, Duration limit) throws BmcException, InterruptedException, Stopped {
            int tries = (int) Math.min(Integer.MAX_VALUE - 1, (limit.toNanos() + POLL.toNanos() - 1) / POLL.toNanos()) + 1;
            PollLoop loop = new PollLoop(tries, POLL, POLL, limit.plus(POLL));
            PollLoop.Ended ended = loop.runHere(bound -> {
                PowerState now = s.power();
                return now == wanted ? PollLoop.Try.met(now.word()) : PollLoop.Try.notYet(now.word());
            }, stop);
            if (ended.stopped()) throw new Stopped();
            return ended.last().met();
        }

    }

    /** The boot flags the BMC holds now, over a session of its own (operator: IPMI asks it of Get System Boot Options). */
    public BootFlags bootFlags(BmcSettings bmc, byte[] password, byte[] bmcKey) throws BmcException, InterruptedException {
        try (BmcSession s = client.open(address(bmc), password, bmcKey, IpmiClient.Privilege.OPERATOR)) {
            return s.bootFlags();
        }
    }

    /** A session of its own with operator privilege (the watchdog's requests ask it); the caller closes it. */
    public BmcSession operator(BmcSettings bmc, byte[] password, byte[] bmcKey) throws BmcException, InterruptedException {
        return client.open(address(bmc), password, bmcKey, IpmiClient.Privilege.OPERATOR);
    }

    private static Map<String, String> power(PowerState p) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("power", p.word());
        return f;
    }

    @Override
    public void close() { client.close(); }
}
