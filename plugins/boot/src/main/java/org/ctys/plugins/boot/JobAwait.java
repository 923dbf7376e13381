package org.ctys.plugins.boot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.BmcWatchdog;
import org.ctys.spi.BootFlagsCheck;
import org.ctys.spi.Follow;
import org.ctys.spi.Output;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;

/**
 * Reads {@code ctys-bootd job await}'s JSON lines for one job as they come: {@code fetched} moves
 * the target on, {@code done} carries the script's exit status and its output (base64), which is
 * printed as a command's output is; {@code expired} and {@code cancelled} end it with what the server
 * saw. Whatever the end, the boot flags are read back next ({@link BootFlagsCheck}).
 */
final class JobAwait implements Follow.Reader {
    /** Events quoted when a job ends without a result: the last ones say most. */
    static final int EVENTS_SHOWN = 6;

    private final String target;
    private final String job;
    private final BmcSettings bmc;
    private final Duration limit;
    private final long registered = System.nanoTime();
    private final List<String> events = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();
    private String state = "pending";
    private String fetchedFrom;
    private double fetchedAfter;
    private Verdict end;
    /** Whether the BMC's watchdog is armed for the job: its end stops it first, and says when it reset the machine. */
    private final boolean watchdog;

    JobAwait(String target, String job, BmcSettings bmc, Duration limit) {
        this(target, job, bmc, limit, false);
    }

    JobAwait(String target, String job, BmcSettings bmc, Duration limit, boolean watchdog) {
        this.target = target;
        this.job = job;
        this.bmc = bmc;
        this.limit = limit;
        this.watchdog = watchdog;
    }

    @Override
    public Follow.Seen line(String text) {
        if (text.isBlank()) return Follow.Seen.NOTHING;
        JobLine line;
        try {
            line = JobLine.parse(text);
        } catch (IllegalArgumentException e) {
            if (unreadable.size() < 3) unreadable.add(text.length() > 200 ? text.substring(0, 200) + "..." : text);
            return Follow.Seen.NOTHING;
        }
        List<String> seen = line.events();
        if (line.fields().get("events") != null) events.clear();
        events.addAll(seen);
        // a request that held the job's token and was refused (a reuse, another MAC, too late): someone else has the token
        if (line.text("refused") != null) {
            events.add("refused " + line.text("refused") + (line.text("from") != null ? " from " + line.text("from") : ""));
        }
        String s = line.text("state");
        if (s == null || end != null) return Follow.Seen.NOTHING;
        state = s;
        return switch (s) {
            case "fetched" -> {
                fetchedFrom = line.text("from") == null ? "?" : line.text("from");
                fetchedAfter = seconds();
                yield new Follow.Seen(Verdict.proceed("fetched", "fetched its script from " + fetchedFrom + " after "
                        + String.format("%.1fs", fetchedAfter) + " (job " + job + "); running it"), null);
            }
            case "done" -> done(line);
            case "expired" -> {
                end = Verdict.fail("expired", fetchedFrom == null
                        ? "never fetched its script: job " + job + " expired after " + JobPlanner.Durations.word(limit) + "; " + saw()
                        : "fetched its script from " + fetchedFrom + " but posted no result before job " + job + " expired; " + saw());
                yield Follow.Seen.NOTHING;
            }
            case "cancelled" -> {
                end = Verdict.fail("cancelled", "job " + job + " was cancelled" + (fetchedFrom == null ? " before the machine fetched it"
                        : " after the machine fetched it from " + fetchedFrom) + "; " + saw());
                yield Follow.Seen.NOTHING;
            }
            case "failed" -> {
                String why = line.text("error") != null ? line.text("error") : line.text("message");
                end = Verdict.fail("job-failed", "job " + job + " failed on the server" + (why == null ? "" : ": " + why) + "; " + saw());
                yield Follow.Seen.NOTHING;
            }
            default -> Follow.Seen.NOTHING;
        };
    }

    private Follow.Seen done(JobLine line) {
        Integer exit = line.integer("exit");
        byte[] output = null;
        String note = "";
        String encoded = line.text("output");
        if (encoded != null && !encoded.isEmpty()) {
            try {
                output = Base64.getDecoder().decode(encoded.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                note = "; its output was not base64 (" + e.getMessage() + ")";
            }
        }
        if (line.flag("outputCut")) note += "; the output shown is cut at the server's limit";
        String where = line.text("outputFile") != null ? "; output on the server: " + line.text("outputFile")
                : "; output kept on the server with job " + job;
        String fetched = fetchedFrom == null ? "" : " (fetched from " + fetchedFrom + " after " + String.format("%.1fs", fetchedAfter) + ")";
        if (exit == null) {
            end = Verdict.fail("no-exit-status", "job " + job + " is done but the server gave no exit status of the script" + fetched + where);
        } else if (exit == 0) {
            end = Verdict.done("done", "script exit 0" + fetched + where + note);
        } else {
            end = Verdict.fail("script-failed", "script exit " + exit + fetched + where + note);
        }
        return new Follow.Seen(null, output, exit);
    }

    @Override
    public Step end(Output ended) {
        if (end == null) {
            String err = firstLines(ended.stderr());
            if (ended.exitStatus() != null && ended.exitStatus() == 3) {
                end = Verdict.refuse("bootd-config", "'ctys-bootd job await " + job + "' refused (exit 3)" + err);
            } else {
                end = Verdict.fail("await-ended", "'ctys-bootd job await " + job + "' ended with " + ended.exitText()
                        + " before the job ended (its last state: " + state + ")" + err
                        + (unreadable.isEmpty() ? "" : "; it printed what is no job line: " + String.join(" | ", unreadable)));
            }
        }
        return ended(end, "expired".equals(end.state()));
    }

    @Override
    public Step unreached(Verdict why) {
        return ended(Verdict.fail(why.state(), "waiting for job " + job + ": " + why.message()), false);
    }

    /** The boot flags read back; with the watchdog armed, it is stopped first (an expired job's is let reset the machine). */
    private Step ended(Verdict v, boolean timeWasUp) {
        if (!watchdog) return new BootFlagsCheck(target, bmc, v);
        return new BmcWatchdog(target, bmc, BmcWatchdog.Action.DISARM, limit,
                new BmcWatchdog.Ending(v, timeWasUp, after -> new BootFlagsCheck(target, bmc, after)));
    }

    /** What the server saw of the job, for a job that ended without a result. */
    private String saw() {
        if (events.isEmpty()) return "the server saw no request for this job";
        List<String> last = events.subList(Math.max(0, events.size() - EVENTS_SHOWN), events.size());
        return "the server saw: " + (events.size() > last.size() ? "... " : "") + String.join("; ", last);
    }

    private double seconds() { return (System.nanoTime() - registered) / 1e9; }

    private static String firstLines(byte[] stderr) {
        String s = new String(stderr, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) return "";
        List<String> lines = s.lines().map(String::strip).filter(l -> !l.isEmpty()).limit(3).toList();
        return ": " + String.join(" | ", lines);
    }

    /** The verdict once the job has ended, for tests; null while it runs. */
    Verdict verdict() { return end; }
}
