package org.ctys.engine;

import java.util.List;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.Plan;
import org.ctys.spi.Result;

/**
 * The outcome of a run: one result per target and the exit status they add up to; for a dry
 * run, the plan that would have run instead (and no results).
 */
public record Report(String title, List<Result> results, ExitStatus status, Plan dryRun, Integer shellExit) {

    public Report { results = List.copyOf(results); }

    public Report(String title, List<Result> results, ExitStatus status, Plan dryRun) {
        this(title, results, status, dryRun, null);
    }

    /** An interactive shell ran: its exit status (any of 0..255) is the command's, and nothing is reported. */
    static Report shell(String title, int exit) {
        return new Report(title, List.of(), exit == 0 ? ExitStatus.OK : ExitStatus.FAILED, null, exit);
    }

    /** A dry run's plan, and the targets a real run would refuse before sending anything (their SSH configuration). */
    static Report dryRun(Plan plan, List<Result> refused) {
        return new Report(plan.title(), refused, refused.isEmpty() ? ExitStatus.OK : ExitStatus.CONFIG, plan);
    }

    static ExitStatus statusOf(List<Result> results) {
        boolean timeout = false;
        boolean interrupted = false;
        boolean failed = false;
        boolean refused = false;
        for (Result r : results) {
            switch (r.status()) {
                case TIMEOUT -> timeout = true;
                case INTERRUPTED -> interrupted = true;
                case FAILED -> failed = true;
                case CONFIG -> refused = true;
                default -> { }
            }
        }
        if (interrupted) return ExitStatus.INTERRUPTED;
        if (timeout) return ExitStatus.TIMEOUT;
        if (refused) return ExitStatus.CONFIG;
        return failed ? ExitStatus.FAILED : ExitStatus.OK;
    }
}
