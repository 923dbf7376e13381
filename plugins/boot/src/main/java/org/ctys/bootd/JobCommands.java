package org.ctys.bootd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code job add|await|list|cancel}: the spool's commands, run over SSH by {@code -t boot}. Each
 * prints JSON lines on standard output (list: a table unless --json) and one line per problem on
 * standard error. They work on the spool directly, under its locks, whether a daemon runs or not.
 */
final class JobCommands {
    /** The most of a script's output a done line carries (base64); all of it (up to 1 MiB) stays in the spool. */
    static final int AWAIT_OUTPUT = 64 * 1024;
    /** How often await looks at the job: the machine takes seconds, the look a millisecond. */
    static final Duration POLL = Duration.ofMillis(100);
    static final int MAX_SCRIPT = 1 << 20;

    private final JobStore store;
    private final PrintStream out;
    private final Say say;

    JobCommands(JobStore store, PrintStream out, Say say) {
        this.store = store;
        this.out = out;
        this.say = say;
    }

    /** The script from standard input: 1 byte to 1 MiB; else a usage error before anything is written. */
    static byte[] script(InputStream in) throws IOException {
        byte[] s = in.readNBytes(MAX_SCRIPT + 1);
        if (s.length == 0) throw org.ctys.exit.CtysException.usage("job add reads the script from standard input; it was empty");
        if (s.length > MAX_SCRIPT) throw org.ctys.exit.CtysException.usage("the script on standard input is longer than 1 MiB");
        return s;
    }

    int add(BootdArgs.Add a, byte[] script) throws IOException {
        JobStore.Created c;
        try {
            c = store.add(a.machine(), a.mac(), a.via(), a.limit(), a.keep(), script);
        } catch (JobStore.Refused e) {
            say.line(e.getMessage());
            return Bootd.FAILED;
        }
        ObjectNode o = Job.JSON.createObjectNode();
        o.put("job", c.job().id);
        o.put("machine", c.job().machine);
        o.put("via", c.job().via.word());
        o.put("expires", c.job().expires.toString());
        out.println(o);
        return Bootd.OK;
    }

    /**
     * Prints what happened to the job so far, then each change as it comes, until the job ends or
     * {@code limit} (no limit: until the job's own expiry, a moment after which it has ended).
     */
    int await(String id, Optional<Duration> limit) throws IOException, InterruptedException {
        Optional<Job> first = store.read(id);
        if (first.isEmpty()) {
            say.line("no job " + id + " in " + store.dir(id).getParent());
            return Bootd.FAILED;
        }
        long deadline = System.nanoTime() + limit.orElse(Duration.between(store.now(), first.get().expires).plusSeconds(1)).toNanos();
        int shown = 0;
        while (true) {
            Job job = store.read(id).orElseThrow(() -> new NoSuchFileException(store.dir(id).toString()));
            for (; shown < job.events.size(); shown++) {
                ObjectNode line = line(job, job.events.get(shown));
                if (line != null) out.println(line);
            }
            if (job.state.ended()) return job.state == Job.State.DONE ? Bootd.OK : Bootd.FAILED;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                ObjectNode o = Job.JSON.createObjectNode();
                o.put("job", id);
                o.put("state", job.state.word());
                o.put("limitReached", true);
                o.put("at", store.now().toString());
                out.println(o);
                return Bootd.FAILED;
            }
            Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, left / 1_000_000)));
        }
    }

    /** The await line of one event; null for the job's creation (job add said it). */
    private ObjectNode line(Job job, Job.Event e) throws IOException {
        ObjectNode o = Job.JSON.createObjectNode();
        o.put("job", job.id);
        switch (e.kind()) {
            case "added" -> {
                return null;
            }
            case "refused" -> o.put("refused", e.reason());
            default -> o.put("state", e.kind());
        }
        if (e.from() != null) o.put("from", e.from());
        if (e.kind().equals("expired") && e.reason() != null) o.put("reason", e.reason());
        if (e.kind().equals("done")) {
            o.put("exit", e.exit());
            byte[] output = readOutput(job.id);
            int n = Math.min(output.length, AWAIT_OUTPUT);
            o.put("output", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(output, n)));
            o.put("outputBytes", job.outputBytes);
            if (n < output.length || job.outputBytes > n) o.put("outputCut", true);
            o.put("outputFile", store.output(job.id).toString());
        }
        o.put("at", e.at().toString());
        return o;
    }

    private byte[] readOutput(String id) throws IOException {
        try (InputStream in = Files.newInputStream(store.output(id))) {
            return in.readNBytes(AWAIT_OUTPUT + 1);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    int list(boolean json) throws IOException {
        List<Job> jobs = store.list();
        if (json) {
            for (Job j : jobs) out.println(listed(j));
            return Bootd.OK;
        }
        String form = "%-12s  %-12s  %-17s  %-5s  %-9s  %-20s  %-4s  %s%n";
        out.printf(form, "JOB", "MACHINE", "MAC", "VIA", "STATE", "EXPIRES", "EXIT", "NOTE");
        for (Job j : jobs) {
            long refused = j.refusals();
            String note = (j.fetchedFrom != null ? "fetched from " + j.fetchedFrom : "")
                    + (refused > 0 ? (j.fetchedFrom != null ? "; " : "") + refused + " refused: " + lastRefusal(j) : "");
            out.printf(form, j.id, j.machine, j.mac, j.via.word(), j.state.word(), j.expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    j.exit == null ? "-" : j.exit.toString(), note);
        }
        return Bootd.OK;
    }

    private static String lastRefusal(Job j) {
        for (int i = j.events.size() - 1; i >= 0; i--) {
            Job.Event e = j.events.get(i);
            if (e.kind().equals("refused")) return e.reason() + (e.from() != null ? " from " + e.from() : "");
        }
        return "";
    }

    private ObjectNode listed(Job j) {
        ObjectNode o = Job.JSON.createObjectNode();
        o.put("job", j.id);
        o.put("machine", j.machine);
        o.put("mac", j.mac);
        o.put("via", j.via.word());
        o.put("state", j.state.word());
        o.put("created", j.created.toString());
        o.put("expires", j.expires.toString());
        o.put("keep", j.keep);
        if (j.fetchedFrom != null) o.put("fetchedFrom", j.fetchedFrom);
        if (j.fetchedAt != null) o.put("fetchedAt", j.fetchedAt.toString());
        if (j.exit != null) o.put("exit", j.exit);
        if (j.finishedAt != null) o.put("finishedAt", j.finishedAt.toString());
        if (j.state == Job.State.DONE) o.put("outputFile", store.output(j.id).toString());
        var refused = o.putArray("refused");
        for (Job.Event e : j.events) {
            if (!e.kind().equals("refused")) continue;
            ObjectNode r = refused.addObject();
            r.put("reason", e.reason());
            if (e.from() != null) r.put("from", e.from());
            r.put("at", e.at().toString());
        }
        return o;
    }

    /** Revokes a job not yet fetched; a fetched one has its script already and is refused. */
    int cancel(String id) throws IOException {
        if (store.read(id).isEmpty()) {
            say.line("no job " + id + " in " + store.dir(id).getParent());
            return Bootd.FAILED;
        }
        Job.State before = store.update(id, job -> {
            Job.State s = job.state;
            if (s == Job.State.PENDING) {
                Instant now = store.now();
                job.state = Job.State.CANCELLED;
                job.finishedAt = now;
                job.record(new Job.Event(now, "cancelled", null, null, null));
            }
            return s;
        });
        if (before != Job.State.PENDING) {
            say.line("job " + id + " is " + before.word() + (before == Job.State.FETCHED
                    ? ": the machine has its script already; it cannot be cancelled" : "; nothing to cancel"));
            return Bootd.FAILED;
        }
        ObjectNode o = Job.JSON.createObjectNode();
        o.put("job", id);
        o.put("state", "cancelled");
        o.put("at", store.now().toString());
        out.println(o);
        return Bootd.OK;
    }
}
