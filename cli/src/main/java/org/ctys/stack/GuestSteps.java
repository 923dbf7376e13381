package org.ctys.stack;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.ctys.spi.RunCommand;
import org.ctys.spi.StateWatch;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitForState;

/**
 * What is done to one guest through its host, each change confirmed by the state its hypervisor
 * reports, never by a sleep: the commands a person would type ({@code virsh shutdown web1}), then
 * a {@link WaitForState}.
 */
public final class GuestSteps {
    /** How often a guest's state is asked while waiting: a fraction of the few seconds a guest takes to stop. */
    static final Duration INTERVAL = Duration.ofMillis(250);
    /** Bound of one hypervisor command (a state, a start), and of one state question. */
    static final Duration COMMAND = Duration.ofSeconds(30);
    /** How long a destroyed or paused guest may take to show it; such changes are immediate in the hypervisor. */
    static final Duration QUICK = Duration.ofSeconds(30);
    static final Set<GuestState> NOT_RUNNING = EnumSet.of(GuestState.OFF, GuestState.ABSENT, GuestState.SAVED);

    private GuestSteps() {}

    /** The command, or, for a guest the hypervisor would not take by its name, the refusal that ends its sequence. */
    private static Step command(VmHost h, String guest, String command, String state, String message) {
        Step refused = misread(h, guest);
        return refused != null ? refused : new RunCommand(h.guestLabel(guest), h.remote(), command, COMMAND, Verdict.proceed(state, message));
    }

    /**
     * A failed step for a guest whose name the hypervisor's command line reads as something else
     * (an id, a UUID: acting on it by name could act on another guest), or that holds control
     * characters (its quoting is not read back the same by every shell). Null for any other name.
     */
    public static Step misread(VmHost h, String guest) {
        String why = Dialect.notByName(h.dialect(), guest);
        if (why == null) return null;
        return new org.ctys.spi.Note(h.guestLabel(guest), Verdict.fail("ambiguous-name", why + ": ctys does not act on it by name;"
                + " rename it, or use " + h.dialect().program() + " on " + h.label() + " yourself"), java.util.Map.of());
    }


    private static WaitForState until(VmHost h, String guest, Set<GuestState> wanted, String wantedText, String metState,
                                      String failState, Duration bound, Step otherwise) {
        int tries = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bound.toMillis() / INTERVAL.toMillis() + 1));
        Duration tryTimeout = bound.compareTo(COMMAND) < 0 ? bound : COMMAND;
        return new WaitForState(h.guestLabel(guest), h.remote(), h.dialect().state(h.uri(), guest), States.reader(h, guest, wanted),
                wantedText, metState, failState, tries, INTERVAL, tryTimeout, bound, otherwise, watch(h, guest, wanted));
    }

    /** The host's event stream, when its hypervisor has one: the wait is met on the line that says so. */
    private static StateWatch watch(VmHost h, String guest, Set<GuestState> wanted) {
        String command = h.dialect().watch(h.uri());
        if (command == null) return null;
        Dialect d = h.dialect();
        return new StateWatch(d.program() + " event", command, line -> {
            GuestState s = d.watched(guest, line);
            return s != null && wanted.contains(s);
        });
    }

    /** ACPI shutdown, confirmed off within {@code bound}; then destroyed when {@code destroyAfter}, else the guest fails as still running. */
    public static Step shutdown(VmHost h, String guest, Duration bound, boolean destroyAfter) {
        return new Step.Sequence(List.of(
                command(h, guest, h.dialect().shutdown(h.uri(), guest), "stopping", "asked to shut down"),
                until(h, guest, NOT_RUNNING, "shut off", "shut-off", "still-running", bound, destroyAfter ? destroy(h, guest) : null)));
    }

    /**
     * The guests of {@code guests} asked to shut down by one command on their host, each then
     * confirmed off within {@code bound} as {@link #shutdown} does (and destroyed after it when
     * {@code destroyAfter}); a guest that refused fails with the hypervisor's words. Null when the
     * dialect asks one guest at a time. The command answers for {@code target}, the host's row.
     */
    public static Step shutdownAll(VmHost h, String target, List<String> guests, Duration bound, boolean destroyAfter) {
        String command = h.dialect().shutdownAll(h.uri(), guests);
        if (command == null) return null;
        List<Step> preview = guests.stream().map(g -> asked(h, g, bound, destroyAfter)).toList();
        return new org.ctys.spi.Discover(target, h.remote(), command, COMMAND, new org.ctys.spi.Discover.Expansion() {
            @Override
            public org.ctys.spi.Discover.Expanded expand(org.ctys.spi.Output out) {
                String stdout = States.text(out.stdout());
                String stderr = States.text(out.stderr());
                List<Step> each = new java.util.ArrayList<>();
                for (String g : guests) {
                    if (h.dialect().shutdownTaken(g, stdout)) {
                        each.add(asked(h, g, bound, destroyAfter));
                    } else {
                        String said = h.dialect().shutdownRefusal(g, stderr);
                        each.add(new org.ctys.spi.Note(h.guestLabel(g), Verdict.fail("ran", h.dialect().program() + " did not take the"
                                + " shutdown on " + h.label() + (said != null ? ": " + said : " (" + out.exitText() + ")")), java.util.Map.of()));
                    }
                }
                return new org.ctys.spi.Discover.Expanded(List.of(), new Step.Parallel(0, each));
            }

            /**
             * The request failed: the host fails with why. When it was sent (the connection dropped, its
             * bound ran out), each guest says it is not known to stop, as the request may have reached it;
             * when it never left (the login or the channel failed), each guest says it was not asked.
             */
            @Override
            public org.ctys.spi.Discover.Expanded unreached(Verdict why, boolean commandSent) {
                List<Step> each = new java.util.ArrayList<>();
                each.add(new org.ctys.spi.Note(target, why, java.util.Map.of()));
                for (String g : guests) {
                    each.add(new org.ctys.spi.Note(h.guestLabel(g), commandSent
                            ? Verdict.fail("not-confirmed", "the shutdown request on " + h.label() + " got no answer ("
                                    + why.message() + "); it may have reached this guest, which was not confirmed off")
                            : Verdict.fail("not-asked", "not asked to shut down: the request could not be sent to "
                                    + h.label() + " (" + why.message() + "); left as it was"), java.util.Map.of()));
                }
                return new org.ctys.spi.Discover.Expanded(List.of(), new Step.Parallel(0, each));
            }
        }, new Step.Parallel(0, preview));
    }

    private static Step asked(VmHost h, String guest, Duration bound, boolean destroyAfter) {
        return new Step.Sequence(List.of(new org.ctys.spi.Note(h.guestLabel(guest), Verdict.proceed("stopping", "asked to shut down"),
                java.util.Map.of()), confirmedOff(h, guest, bound, destroyAfter)));
    }

    private static Step confirmedOff(VmHost h, String guest, Duration bound, boolean destroyAfter) {
        return until(h, guest, NOT_RUNNING, "shut off", "shut-off", "still-running", bound, destroyAfter ? destroy(h, guest) : null);
    }

    /** Pulls the plug, confirmed off. */
    public static Step destroy(VmHost h, String guest) {
        return new Step.Sequence(List.of(
                command(h, guest, h.dialect().destroy(h.uri(), guest), "destroying", "destroyed"),
                until(h, guest, NOT_RUNNING, "shut off", "destroyed", "still-running", QUICK, null)));
    }

    /** Starts a guest the host knows by name (or restores its managed save), confirmed running within {@code bound}. */
    public static Step start(VmHost h, String guest, Duration bound) {
        return new Step.Sequence(List.of(
                command(h, guest, h.dialect().start(h.uri(), guest), "starting", "asked to start"),
                running(h, guest, bound)));
    }

    /** Waits until the guest runs. */
    public static WaitForState running(VmHost h, String guest, Duration bound) {
        return until(h, guest, EnumSet.of(GuestState.RUNNING), "running", "running", "not-running", bound, null);
    }

    /** A hard reset, confirmed running. */
    public static Step reset(VmHost h, String guest) {
        return new Step.Sequence(List.of(
                command(h, guest, h.dialect().reset(h.uri(), guest), "resetting", "reset"),
                running(h, guest, QUICK)));
    }

    /** Pause (memory stays), confirmed paused. */
    public static Step pause(VmHost h, String guest) {
        return new Step.Sequence(List.of(
                command(h, guest, h.dialect().pause(h.uri(), guest), "pausing", "asked to pause"),
                until(h, guest, EnumSet.of(GuestState.PAUSED), "paused", "paused", "not-paused", QUICK, null)));
    }

    /** Saves its memory to disk and stops it, confirmed not running within {@code bound}. */
    public static Step save(VmHost h, String guest, Duration bound) {
        return new Step.Sequence(List.of(
                command(h, guest, h.dialect().save(h.uri(), guest), "saving", "saving its memory"),
                until(h, guest, NOT_RUNNING, "saved", "saved", "not-saved", bound, null)));
    }

    /** Brings a paused or saved guest back, confirmed running. */
    public static Step resume(VmHost h, String guest, GuestState now, Duration bound) {
        String cmd = now == GuestState.PAUSED ? h.dialect().unpause(h.uri(), guest) : h.dialect().restore(h.uri(), guest);
        return new Step.Sequence(List.of(command(h, guest, cmd, "resuming", "asked to resume"), running(h, guest, bound)));
    }
}
