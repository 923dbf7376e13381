package org.ctys.engine;

import java.util.List;
import org.ctys.spi.ExitStatus;
import org.ctys.spi.Plan;
import org.ctys.spi.Result;

/**
 * The outcome of a run: one result per target and the exit status they add up to; for a dry
 * run, the plan that would have run instead (and no results).
 */
public record Report(String title, List<Result> results, ExitStatus status, Plan dryRun) {

    public Report { results = List.copyOf(results); }

    static Report dryRun(Plan plan) { return new Report(plan.title(), List.of(), ExitStatus.OK, plan); }

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
