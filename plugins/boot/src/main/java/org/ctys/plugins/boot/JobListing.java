package org.ctys.plugins.boot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.spi.Discover;
import org.ctys.spi.JsonText;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;

/**
 * LIST: the boot server is asked {@code job list --json} and each job becomes a row of the report
 * (its id), then one row for the server. Machine names as targets list their jobs only. Output that
 * is no job list is said to be so, never guessed at.
 */
final class JobListing {
    /** How long the server may take to answer, once logged in. */
    static final Duration ANSWER = Duration.ofSeconds(30);

    private final BootServerReach server;
    private final List<String> machines;

    JobListing(BootServerReach server, List<String> machines) {
        this.server = server;
        this.machines = List.copyOf(machines);
    }

    Discover step() {
        return new Discover(server.label(), server.remote(), server.job("list", "--json"), ANSWER, this::rows, null);
    }

    Discover.Expanded rows(Output out) {
        String label = server.label();
        if (!out.succeeded()) {
            String why = label + ": 'ctys-bootd job list' ended with " + out.exitText() + first(out.stderr(), out.stdout());
            return alone(out.exitStatus() != null && out.exitStatus() == 3 ? Verdict.refuse("bootd-config", why)
                    : Verdict.fail("list-failed", why + "; is ctys-bootd installed there?"));
        }
        List<JobLine> jobs;
        try {
            jobs = jobs(new String(out.stdout(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return alone(Verdict.fail("not-a-boot-server", label + ": 'ctys-bootd job list --json' printed no job list ("
                    + e.getMessage() + ")" + first(out.stdout())));
        }
        List<Discover.Added> added = new ArrayList<>();
        List<Step> rows = new ArrayList<>();
        int listed = 0;
        int pending = 0;
        for (JobLine j : jobs) {
            String machine = j.text("machine");
            if (!machines.isEmpty() && machines.stream().noneMatch(m -> m.equalsIgnoreCase(machine))) continue;
            listed++;
            if ("pending".equals(j.text("state"))) pending++;
            added.add(new Discover.Added(j.id(), label));
            rows.add(row(j));
        }
        rows.add(new Note(label, Verdict.done("listed", listed + (listed == 1 ? " job, " : " jobs, ") + pending + " pending"),
                Map.of("server", label)));
        // each target found goes right after the server's row: added last first, they are reported in the server's order
        java.util.Collections.reverse(added);
        return new Discover.Expanded(added, new Step.Sequence(rows));
    }

    private Note row(JobLine j) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("server", server.label());
        for (String k : List.of("machine", "mac", "via", "state", "created", "expires", "fetchedFrom", "fetchedAt", "exit", "finishedAt")) {
            f.put(k, text(j.text(k)));
        }
        if (j.fields().get("keep") != null) f.put("keep", j.flag("keep") ? "yes" : "no");
        String state = text(j.text("state"));
        String message = text(j.text("machine")) + " via " + text(j.text("via")) + ": " + state
                + (j.text("fetchedFrom") != null ? ", fetched from " + j.text("fetchedFrom") : "")
                + (j.text("exit") != null ? ", script exit " + j.text("exit") : "")
                + (j.text("expires") != null && "pending".equals(state) ? ", expires " + j.text("expires") : "");
        return new Note(j.id(), Verdict.done(state, message), f);
    }

    /**
     * The jobs of {@code job list --json}: a JSON array of job objects, an object with a {@code jobs}
     * array, or one job object a line; each job has an id ({@code id}, or {@code job}).
     */
    @SuppressWarnings("unchecked")
    static List<JobLine> jobs(String text) {
        List<Object> items = new ArrayList<>();
        String t = text.strip();
        if (t.isEmpty()) return List.of();
        try {
            Object doc = JsonText.parse(t);
            if (doc instanceof List<?> l) items.addAll(l);
            else if (doc instanceof Map<?, ?> m && m.get("jobs") instanceof List<?> l) items.addAll(l);
            else items.add(doc);
        } catch (IllegalArgumentException whole) {
            for (String line : t.lines().toList()) {
                if (!line.isBlank()) items.add(JsonText.parse(line));
            }
        }
        List<JobLine> jobs = new ArrayList<>();
        for (Object o : items) {
            if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("a job that is no JSON object");
            JobLine j = new JobLine((Map<String, Object>) m);
            if (j.id() == null) {
                throw new IllegalArgumentException("a job without an id");
            }
            jobs.add(j);
        }
        return jobs;
    }

    private Discover.Expanded alone(Verdict v) {
        return new Discover.Expanded(List.of(), new Note(server.label(), v, Map.of()));
    }

    private static String text(String s) { return s == null || s.isEmpty() ? "-" : s; }

    private static String first(byte[]... streams) {
        for (byte[] b : streams) {
            String f = JobPlanner.firstLine(b);
            if (!f.isEmpty()) return f;
        }
        return "";
    }
}
