package org.ctys.plugins.boot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctys.exit.CtysException;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.Discover;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;

/**
 * CANCEL: revokes jobs not yet fetched. {@code JOB:<id>} cancels that job ({@code job cancel <id>});
 * {@code ALL} cancels every pending job of the machines named, found with {@code job list --json}.
 * The server refuses a job that was fetched already; that refusal is the target's failure.
 */
final class JobCancel {
    static final Duration ANSWER = Duration.ofSeconds(30);

    private JobCancel() {}

    static Plan plan(ActionRequest request, PlanContext context) {
        var sub = request.suboptions();
        Set<String> machines = new LinkedHashSet<>();
        for (Target t : request.targets()) {
            if (!t.stack().isEmpty()) {
                throw CtysException.usage("'" + t.display() + "' is a stack address; boot jobs are for machines, valid: '" + t.name() + "'");
            }
            machines.add(t.known().map(m -> m.name()).orElse(t.name()));
        }
        String job = sub.text("JOB").orElse(null);
        if (job == null && !sub.has("ALL")) {
            throw CtysException.usage("CANCEL needs JOB:<id> or ALL (the pending jobs of the machines named)");
        }
        if (job != null && !JobLine.isJobId(job)) {
            throw CtysException.usage("suboption 'JOB:" + job + "': no job id (letters, digits, '-' and '_', as -a list shows them)");
        }
        if (job != null && machines.size() > 1) {
            throw CtysException.usage("JOB:" + job + " is one job; name at most the one machine it is for, not " + machines.size());
        }
        if (job == null && machines.isEmpty()) {
            throw CtysException.usage("ALL cancels the pending jobs of the machines named; name them (ctys -t boot -a cancel=ALL lab07)");
        }
        BootServerReach server = BootServerReach.of(request, context);
        if (job != null) {
            String target = machines.isEmpty() ? job : machines.iterator().next();
            return new Plan("ctys -t BOOT -a CANCEL: job " + job + " on " + server.label(), List.of(target), one(target, job, server, true));
        }
        List<Step> each = new ArrayList<>();
        for (String m : machines) {
            each.add(new Discover(m, server.remote(), server.job("list", "--json"), ANSWER, out -> pending(m, out, server), null));
        }
        return new Plan("ctys -t BOOT -a CANCEL: the pending jobs of " + String.join(", ", machines) + " on " + server.label(),
                List.copyOf(machines), each.size() == 1 ? each.get(0) : new Step.Parallel(0, each));
    }

    private static RunCommand one(String target, String job, BootServerReach server, boolean last) {
        Verdict ok = last ? Verdict.done("cancelled", "job " + job + " cancelled on " + server.label())
                : Verdict.proceed("cancelled", "job " + job + " cancelled on " + server.label());
        return new RunCommand(target, server.remote(), server.job("cancel", job), ANSWER, ok);
    }

    /** The machine's pending jobs, each cancelled; none is a fact, not a failure. */
    static Discover.Expanded pending(String machine, Output out, BootServerReach server) {
        if (!out.succeeded()) {
            String why = server.label() + ": 'ctys-bootd job list' ended with " + out.exitText() + JobPlanner.firstLine(out.stderr());
            return alone(machine, out.exitStatus() != null && out.exitStatus() == 3 ? Verdict.refuse("bootd-config", why)
                    : Verdict.fail("list-failed", why));
        }
        List<JobLine> jobs;
        try {
            jobs = JobListing.jobs(new String(out.stdout(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return alone(machine, Verdict.fail("not-a-boot-server", server.label() + ": 'ctys-bootd job list --json' printed no job list ("
                    + e.getMessage() + ")"));
        }
        List<String> ids = new ArrayList<>();
        for (JobLine j : jobs) {
            if (machine.equalsIgnoreCase(j.text("machine")) && "pending".equals(j.text("state"))) {
                ids.add(j.id());
            }
        }
        if (ids.isEmpty()) return alone(machine, Verdict.done("none", "no pending job on " + server.label()));
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) steps.add(one(machine, ids.get(i), server, i == ids.size() - 1));
        return new Discover.Expanded(List.of(), new Step.Sequence(steps));
    }

    private static Discover.Expanded alone(String target, Verdict v) {
        return new Discover.Expanded(List.of(), new Note(target, v, Map.of()));
    }
}
