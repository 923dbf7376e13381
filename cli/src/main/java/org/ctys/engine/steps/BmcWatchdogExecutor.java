package org.ctys.engine.steps;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.ctys.engine.run.PollLoop;
import org.ctys.grammar.Durations;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.BmcWatchdog;
import org.ctys.spi.SecretUse;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.ctys.transport.ipmi.BmcException;
import org.ctys.transport.ipmi.BmcSession;
import org.ctys.transport.ipmi.IpmiClient;
import org.ctys.transport.ipmi.Watchdog;

/**
 * Arms and stops a machine's BMC watchdog. The stop at the end of what was watched reads the timer
 * first: an expired SMS/OS timer means the BMC has reset the machine, and the verdict says so.
 */
public final class BmcWatchdogExecutor implements StepExecutor<BmcWatchdog> {
    /** How often a due watchdog is asked whether it has fired. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** How much longer than its countdown a due watchdog is waited for. */
    static final Duration DUE_GRACE = Duration.ofSeconds(15);

    @Override
    public CompletableFuture<Void> run(BmcWatchdog w, RunContext ctx) {
        // the last-step stop runs whatever happened to the target; the others only while it goes on
        boolean last = w.action() == BmcWatchdog.Action.DISARM && w.ending() == null;
        if (!last && ctx.ledger().isFinished(w.target())) return CompletableFuture.completedFuture(null);
        byte[] password = null;
        byte[] bmcKey = null;
        for (SecretUse use : w.secrets()) {
            String why = ctx.unreadable(use.ref());
            if (why != null) {
                if (!last) ctx.ledger().record(w.target(), Verdict.refuse("bmc-secret", why));
                return CompletableFuture.completedFuture(null);
            }
        }
        SecretRef ref = w.bmc().password();
        SecretRef keyRef = w.bmc().bmcKey();
        if (ref != null) password = ctx.secret(ref);
        if (keyRef != null) bmcKey = ctx.secret(keyRef);
        byte[] pw = password;
        byte[] key = bmcKey;
        return CompletableFuture.supplyAsync(() -> {
            try (BmcSession s = ctx.bmcs().operator(w.bmc(), pw, key)) {
                return switch (w.action()) {
                    case ARM -> arm(w, s, ctx);
                    case DISARM -> w.ending() == null ? stopIfOurs(w, s) : ended(w, s, ctx);
                };
            } catch (BmcException e) {
                return failed(w, ctx, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(w, ctx, "interrupted");
            } catch (RuntimeException e) {
                // a BMC that sends what cannot be read fails its own machine, never the whole command
                return failed(w, ctx, e.toString());
            }
        }, ctx.blocking()).thenCompose(next -> next == null ? CompletableFuture.completedFuture(null) : ctx.exec(next));
    }

    private static Step arm(BmcWatchdog w, BmcSession s, RunContext ctx) throws BmcException, InterruptedException {
        s.armWatchdog(w.countdown());
        ctx.ledger().record(w.target(), Verdict.proceed("watchdog", "the BMC's watchdog is armed: a hard reset after "
                + Durations.format(w.countdown()) + " unless ctys stops it (BMC " + s.bmc().display() + ")"));
        return null;
    }

    /** What was watched has ended: has the watchdog reset the machine? Then it is stopped, and the verdict goes on. */
    private static Step ended(BmcWatchdog w, BmcSession s, RunContext ctx) throws BmcException, InterruptedException {
        ctx.ledger().begin(w.target(), "watchdog", w.describe());
        Watchdog now = s.watchdog();
        if (w.ending().timeWasUp() && !now.firedAsSmsOs() && ours(w, now)) {
            now = awaitFiring(w, s, now, ctx);
        }
        s.disarmWatchdog(now.initial());
        Verdict v = w.ending().verdict();
        if (now.firedAsSmsOs()) {
            v = Verdict.fail("watchdog-reset", "the BMC's watchdog reset " + w.target() + " after "
                    + Durations.format(w.countdown()) + ": " + v.message());
        } else if (w.ending().timeWasUp()) {
            v = new Verdict(v.effect(), v.state(), v.message() + "; the BMC's watchdog had not reset it ("
                    + now.text() + "); it is stopped now");
        }
        return w.ending().next().apply(v);
    }

    /** Reads the timer until it has fired, bounded by what is left of it (or all of it, when the BMC does not say) and a grace. */
    private static Watchdog awaitFiring(BmcWatchdog w, BmcSession s, Watchdog now, RunContext ctx)
            throws BmcException, InterruptedException {
        Duration left = now.present() >= 0 ? Duration.ofMillis(now.present() * 100L) : w.countdown();
        Duration limit = left.plus(DUE_GRACE);
        ctx.ledger().record(w.target(), Verdict.proceed("watchdog", "the time is up: waiting up to "
                + Durations.format(limit) + " for the BMC's watchdog to reset " + w.target()));
        Watchdog[] seen = {now};
        // through the one waiting loop, on this thread: the session stays this step's
        int tries = (int) Math.min(Integer.MAX_VALUE - 1, limit.toMillis() / POLL.toMillis()) + 1;
        new PollLoop(tries, POLL, POLL, limit.plus(POLL)).runHere(bound -> {
            seen[0] = s.watchdog();
            return seen[0].firedAsSmsOs() ? PollLoop.Try.met("expired") : PollLoop.Try.notYet(seen[0].text());
        }, ctx::stopped);
        return seen[0];
    }

    /** The last step: stops the timer when it is still the one this target armed (an earlier stop leaves no action). */
    private static Step stopIfOurs(BmcWatchdog w, BmcSession s) throws BmcException, InterruptedException {
        Watchdog now = s.watchdog();
        if (ours(w, now)) s.disarmWatchdog(now.initial());
        return null;
    }

    private static boolean ours(BmcWatchdog w, Watchdog now) {
        return now.use() == Watchdog.USE_SMS_OS && now.action() == Watchdog.ACTION_HARD_RESET
                && now.initial() == (int) ((w.countdown().toMillis() + 99) / 100);
    }

    private static Step failed(BmcWatchdog w, RunContext ctx, String why) {
        return switch (w.action()) {
            case ARM -> {
                ctx.ledger().record(w.target(), Verdict.fail("watchdog", "the BMC's watchdog could not be armed: " + why));
                yield null;
            }
            case DISARM -> {
                if (w.ending() == null) yield null;
                Verdict v = w.ending().verdict();
                yield w.ending().next().apply(Verdict.fail(v.effect() == Verdict.Effect.DONE ? "watchdog" : v.state(), v.message()
                        + "; the BMC's watchdog could not be read or stopped (it resets " + w.target() + " when it runs out): " + why));
            }
        };
    }

    @Override
    public void prepare() { IpmiClient.prepare(); }
}
