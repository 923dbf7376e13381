package org.ctys.plugins.boot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Mac;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.AttachSol;
import org.ctys.spi.BmcPower;
import org.ctys.spi.BmcWatchdog;
import org.ctys.spi.BootFlagsCheck;
import org.ctys.spi.Discover;
import org.ctys.spi.Follow;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Step;
import org.ctys.spi.Submit;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;
import org.ctys.spi.Watching;

/**
 * CREATE: one job per machine, all at the same time. For each: the job is registered with the boot
 * server (the script on the command's standard input), the boot device is set for the next boot
 * only and the machine powered on or cycled, the job is followed until the machine has posted its
 * result (or the job expires), and the boot flags are read back.
 */
final class JobPlanner {
    static final Duration DEFAULT_LIMIT = Duration.ofMinutes(10);
    static final Duration MIN_LIMIT = Duration.ofSeconds(10);
    static final Duration MAX_LIMIT = Duration.ofHours(24);
    /** How long registering may take, over SSH, once logged in. */
    static final Duration ADD_TIMEOUT = Duration.ofSeconds(60);
    /** The server ends the wait at the job's expiry; this much later ctys stops waiting for it to say so. */
    static final Duration AWAIT_GRACE = Duration.ofSeconds(60);
    /** What the dry run shows for the id only the server's answer gives. */
    static final String JOB_PLACEHOLDER = "JOB_ID";

    private final ActionRequest request;
    private final PlanContext context;

    JobPlanner(ActionRequest request, PlanContext context) {
        this.request = request;
        this.context = context;
    }

    Plan plan() {
        var sub = request.suboptions();
        ScriptFile script = ScriptFile.read(sub.text("SCRIPT").orElseThrow(() -> CtysException.usage(
                "CREATE needs SCRIPT:<file>, the script the machine runs (ctys -t boot -a create=SCRIPT:fix.sh lab07)")));
        Duration limit = limit(sub.duration("TIMEOUT").orElse(DEFAULT_LIMIT));
        String via = sub.text("VIA").orElse("PXE");
        boolean keep = sub.has("KEEP");
        boolean console = sub.text("CONSOLE").isPresent();
        boolean watchdog = sub.has("WATCHDOG");
        if (watchdog && limit.compareTo(BmcWatchdog.MAX_COUNTDOWN) > 0) {
            throw CtysException.usage("suboption 'WATCHDOG' with 'TIMEOUT:" + org.ctys.grammar.Durations.format(limit)
                    + "': the BMC's watchdog counts at most 6553.5s (1h49m); give a TIMEOUT of at most 6553s, or no WATCHDOG");
        }
        if (request.targets().isEmpty()) {
            throw CtysException.usage("no machine: name the machines to boot (ctys -t boot -a create=SCRIPT:fix.sh lab07)");
        }
        if (console && request.targets().stream().map(Target::display).distinct().count() > 1) {
            throw CtysException.usage("suboption 'CONSOLE:SOL' puts one machine's console on this terminal: name one machine, not "
                    + request.targets().stream().map(Target::display).distinct().count());
        }
        BootServerReach server = BootServerReach.of(request, context);
        Map<String, Step> jobs = new LinkedHashMap<>();
        for (Target t : request.targets()) {
            String name = t.display();
            if (jobs.containsKey(name)) continue;
            BmcSettings bmc = context.bmc(t, "a boot job");
            Mac mac = mac(t);
            jobs.put(name, job(name, t.known().map(m -> m.name()).orElse(t.name()), mac, bmc, server, script, via, limit, keep,
                    watchdog));
        }
        String title = "ctys -t BOOT -a CREATE: " + jobs.size() + (jobs.size() == 1 ? " machine" : " machines") + " boot once from "
                + via + " into the recovery system, which runs " + script.name() + " (server " + server.label() + ", at most "
                + Durations.word(limit) + " each)";
        List<Step> all = new ArrayList<>(jobs.values());
        Step root = all.size() == 1 ? all.get(0) : new Step.Parallel(0, all);
        if (console) {
            // the console is open before the power-on: the whole boot shows, from the firmware on
            Target t = request.targets().get(0);
            root = new Watching(new AttachSol(t.display(), context.bmc(t, "a boot job"), false), root, "its boot job has ended");
        }
        return new Plan(title, List.copyOf(jobs.keySet()), root);
    }

    private static Duration limit(Duration d) {
        if (d.compareTo(MIN_LIMIT) < 0 || d.compareTo(MAX_LIMIT) > 0) {
            throw CtysException.usage("suboption 'TIMEOUT:" + org.ctys.grammar.Durations.format(d) + "': a job's time must be between "
                    + Durations.word(MIN_LIMIT) + " and " + Durations.word(MAX_LIMIT) + " (it bounds the boot, the script and the result)");
        }
        return d;
    }

    private Mac mac(Target t) {
        if (t.machine() != null && !t.machine().macs().isEmpty()) return t.machine().macs().get(0);
        return context.ethers(t.address()).orElseThrow(() -> CtysException.config("no MAC known for '" + t.name()
                + "': give it a mac: entry in the inventory (" + context.inventorySource().orElse("none in use")
                + ") or a line in /etc/ethers; the boot server hands the job only to that MAC"));
    }

    /** The steps of one job: registering it decides the rest (its id); before that, the dry run shows them with a placeholder. */
    private static Step job(String target, String machine, Mac mac, BmcSettings bmc, BootServerReach server, ScriptFile script,
                            String via, Duration limit, boolean keep, boolean watchdog) {
        List<String> words = new ArrayList<>(List.of("add", "--machine", machine, "--mac", mac.toString(),
                "--via", via.toLowerCase(Locale.ROOT), "--limit", Durations.word(limit)));
        if (keep) words.add("--keep");
        String add = server.job(words.toArray(String[]::new));
        BmcPower boot = new BmcPower(target, bmc, BmcPower.Procedure.BOOT_ONCE, via, null, false, "NONE");
        BootFlagsCheck check = new BootFlagsCheck(target, bmc, Verdict.done("done", "the script's exit status"));
        Step preview = new Step.Sequence(watchdog
                ? List.of(arm(target, bmc, limit), boot, await(target, JOB_PLACEHOLDER, bmc, server, limit, true),
                        new BmcWatchdog(target, bmc, BmcWatchdog.Action.DISARM, limit, new BmcWatchdog.Ending(check.then(), true, v -> check)),
                        check)
                : List.of(boot, await(target, JOB_PLACEHOLDER, bmc, server, limit, false), check));
        Discover.Expansion registered = out -> registered(target, out, bmc, server, via, limit, watchdog);
        return new Submit(target, server.remote(), add, script.name(), script.bytes(), ADD_TIMEOUT, registered, preview);
    }

    private static Follow await(String target, String job, BmcSettings bmc, BootServerReach server, Duration limit, boolean watchdog) {
        return new Follow(target, server.remote(), server.job("await", job, "--limit", Durations.word(limit)), limit.plus(AWAIT_GRACE),
                new JobAwait(target, job, bmc, limit, watchdog));
    }

    /** The BMC's watchdog for the job's time: a recovery system that hangs is reset at its end, with or without ctys. */
    private static BmcWatchdog arm(String target, BmcSettings bmc, Duration limit) {
        return new BmcWatchdog(target, bmc, BmcWatchdog.Action.ARM, limit, null);
    }

    /** The server's answer to {@code job add}: the job's id, then the boot and the wait; or why there is no job. */
    static Discover.Expanded registered(String target, Output out, BmcSettings bmc, BootServerReach server, String via, Duration limit) {
        return registered(target, out, bmc, server, via, limit, false);
    }

    static Discover.Expanded registered(String target, Output out, BmcSettings bmc, BootServerReach server, String via, Duration limit,
                                        boolean watchdog) {
        String stdout = new String(out.stdout(), StandardCharsets.UTF_8);
        String err = firstLine(out.stderr());
        if (!out.succeeded()) {
            Verdict v = out.exitStatus() != null && out.exitStatus() == 3
                    ? Verdict.refuse("bootd-config", "the boot server " + server.label() + " refused the job (exit 3)" + err)
                    : Verdict.fail("job-refused", "the boot server " + server.label() + " did not register the job: 'ctys-bootd job add' ended with "
                    + out.exitText() + (err.isEmpty() ? firstLine(out.stdout()) : err));
            return alone(target, v);
        }
        JobLine added = null;
        for (String line : stdout.lines().toList()) {
            try {
                JobLine l = JobLine.parse(line.strip());
                if (JobLine.isJobId(l.text("job"))) {
                    added = l;
                    break;
                }
            } catch (IllegalArgumentException e) {
                // a banner or a shell's greeting: the job's line follows, or there is none
            }
        }
        if (added == null) {
            return alone(target, Verdict.fail("not-a-boot-server", "'ctys-bootd job add' on " + server.label()
                    + " printed no job line ({\"job\":...})" + firstLine(out.stdout())));
        }
        String job = added.text("job");
        Note registered = new Note(target, Verdict.proceed("registered", "job " + job + " registered on " + server.label()
                + (added.text("expires") == null ? "" : ", expires " + added.text("expires"))), Map.of("job", job));
        BmcPower boot = new BmcPower(target, bmc, BmcPower.Procedure.BOOT_ONCE, via, null, false, "NONE");
        if (!watchdog) {
            return new Discover.Expanded(List.of(), new Step.Sequence(List.of(registered, boot, await(target, job, bmc, server, limit, false))));
        }
        // armed before the power on; stopped by the job's end (JobAwait), and once more last, whatever failed before
        return new Discover.Expanded(List.of(), new Step.Sequence(List.of(registered, arm(target, bmc, limit), boot,
                await(target, job, bmc, server, limit, true), new BmcWatchdog(target, bmc, BmcWatchdog.Action.DISARM, limit, null))));
    }

    private static Discover.Expanded alone(String target, Verdict v) {
        return new Discover.Expanded(List.of(), new Note(target, v, Map.of()));
    }

    /** ": <the first line>", or nothing. */
    static String firstLine(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 4096), StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? "" : ": " + s.lines().findFirst().orElse("");
    }

    /** How ctys-bootd reads a time: whole seconds, minutes or hours ({@code 10m}, {@code 90s}). */
    static final class Durations {
        private Durations() {}

        static String word(Duration d) {
            long s = (d.toMillis() + 999) / 1000;
            if (s % 3600 == 0) return s / 3600 + "h";
            if (s % 60 == 0) return s / 60 + "m";
            return s + "s";
        }
    }
}
