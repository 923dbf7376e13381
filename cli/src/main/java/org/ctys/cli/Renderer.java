package org.ctys.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ctys.engine.Report;
import org.ctys.grammar.NodeSet;
import org.ctys.grammar.Sizes;
import org.ctys.spi.Captured;
import org.ctys.spi.ControlChars;
import org.ctys.spi.Output;
import org.ctys.spi.Result;

/** Renders a report on stdout: a text table, one JSON document, or terse ';'-separated records. */
final class Renderer {

    /** STREAM: command output was printed line by line as it came; the report says only what went wrong. */
    enum Format { TEXT, JSON, TERSE, STREAM }

    private Renderer() {}

    static void render(List<Report> reports, Format format, String version, PrintStream out) {
        switch (format) {
            case JSON -> json(reports, version, out);
            case TERSE -> reports.forEach(r -> terse(r, out));
            default -> reports.forEach(r -> text(r, out));
        }
        out.flush();
    }

    /**
     * The end of a run whose command output was streamed: stdout holds only the streamed lines, and
     * the targets whose command did not simply exit 0 (failed, unreached, lines cut) are listed on
     * stderr, beside the streamed error lines. A dry run's plan is shown as text is.
     */
    static void streamEnd(List<Report> reports, PrintStream out, PrintStream err) {
        for (Report report : reports) {
            if (report.dryRun() != null) {
                text(report, out);
                continue;
            }
            List<Result> notable = report.results().stream()
                    .filter(r -> !(r.ok() && r.output() != null && r.message().equals(r.output().exitText())))
                    .map(r -> new Result(r.target(), r.status(), r.state(), r.message(), r.elapsed(), r.fields()))
                    .toList();
            if (!notable.isEmpty()) text(new Report(report.title(), notable, report.status(), null), err);
        }
        out.flush();
        err.flush();
    }

    /** A dry run's rows after its plan: the targets a real run would refuse (their SSH configuration). */
    private static Report refused(Report dryRun) {
        return new Report(dryRun.title(), dryRun.results(), dryRun.status(), null);
    }

    /** A dry run's plan, as -n prints it in text and terse form. */
    private static boolean plan(Report report, PrintStream out) {
        if (report.dryRun() == null) return false;
        out.print(report.dryRun().render());
        return true;
    }

    private static String status(Result r) { return r.ok() ? "ok" : r.status().name(); }

    /** Tenths of a second, e.g. {@code 12.3s}; written by hand because String.format costs much per row. */
    private static String seconds(Result r) {
        long tenths = (r.elapsed().toMillis() + 50) / 100;
        return tenths / 10 + "." + tenths % 10 + "s";
    }

    /** Milliseconds as seconds with three decimals, e.g. {@code 0.042}. */
    private static String millis(Result r) {
        long ms = r.elapsed().toMillis();
        String frac = String.valueOf(1000 + ms % 1000).substring(1);
        return ms / 1000 + "." + frac;
    }

    private static Set<String> fieldNames(Report report) {
        Set<String> names = new LinkedHashSet<>();
        for (Result r : report.results()) names.addAll(r.fields().keySet());
        return names;
    }

    static void text(Report report, PrintStream out) {
        if (plan(report, out)) {
            if (!report.results().isEmpty()) text(refused(report), out);
            return;
        }
        if (report.results().isEmpty()) return;
        if (report.results().stream().anyMatch(r -> r.output() != null)) {
            folded(report, out);
            return;
        }
        List<String> fields = new ArrayList<>(fieldNames(report));
        List<String> header = new ArrayList<>(List.of("TARGET"));
        fields.forEach(f -> header.add(esc(f.toUpperCase(Locale.ROOT))));
        if (fields.isEmpty()) header.addAll(List.of("STATUS", "STATE", "TIME", "MESSAGE"));
        else header.add("STATUS");
        int columns = header.size();
        List<Result> results = report.results();
        String[][] cells = new String[results.size() + 1][];
        cells[0] = header.toArray(new String[0]);
        for (int r = 0; r < results.size(); r++) {
            Result res = results.get(r);
            String[] row = new String[columns];
            row[0] = esc(res.target());
            if (fields.isEmpty()) {
                row[1] = status(res);
                row[2] = esc(res.state());
                row[3] = seconds(res);
                row[4] = esc(res.message());
            } else {
                for (int f = 0; f < fields.size(); f++) row[f + 1] = esc(res.fields().getOrDefault(fields.get(f), ""));
                row[columns - 1] = res.ok() ? "ok" : status(res) + ": " + esc(res.message());
            }
            cells[r + 1] = row;
        }
        int[] width = new int[columns];
        for (String[] row : cells) for (int c = 0; c < columns; c++) width[c] = Math.max(width[c], row[c].length());
        StringBuilder b = new StringBuilder(cells.length * 64);
        for (String[] row : cells) {
            for (int c = 0; c < columns - 1; c++) {
                b.append(row[c]);
                for (int pad = row[c].length(); pad < width[c] + 2; pad++) b.append(' ');
            }
            b.append(row[columns - 1]).append('\n');
        }
        out.print(b);
    }

    /**
     * Command output as clush -b folds it: one block per distinct output and exit status, headed by
     * the targets that printed it as a node set; targets that ran nothing are listed after. The
     * blocks are the commands' raw output, as ssh would print it; the headers and the lines about
     * unreached targets are ctys's own, and show control characters escaped.
     */
    static void folded(Report report, PrintStream out) {
        Map<String, List<Result>> groups = new LinkedHashMap<>();
        List<Result> unreached = new ArrayList<>();
        for (Result r : report.results()) {
            if (r.output() == null) {
                unreached.add(r);
                continue;
            }
            // by fingerprint: outputs of many MiB are compared without holding them as text
            String key = r.output().exitText() + '\0' + r.output().out().fingerprint() + '\0' + r.output().err().fingerprint()
                    + '\0' + r.output().truncated();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        for (List<Result> group : groups.values()) {
            Output o = group.get(0).output();
            String rule = "-".repeat(15);
            String truncated = (o.out().truncated() ? "; output truncated after " + Sizes.format(o.out().size()) : "")
                    + (o.err().truncated() ? "; error output truncated after " + Sizes.format(o.err().size()) : "");
            out.print(rule + '\n' + esc(NodeSet.fold(group.stream().map(Result::target).toList())) + " ("
                    + esc(o.exitText()) + truncated + ")\n" + rule + '\n');
            // the command's own bytes, as they came (as ssh shows them), straight from where they were kept
            copyText(o.out(), out);
            copyText(o.err(), out);
        }
        StringBuilder b = new StringBuilder();
        for (Result r : unreached) {
            b.append(esc(r.target())).append(": ").append(status(r)).append(' ').append(esc(r.state())).append(" - ")
                    .append(esc(r.message())).append('\n');
        }
        out.print(b);
    }

    private static void copyText(Captured kept, PrintStream out) {
        if (kept.size() == 0) return;
        byte[] buf = new byte[64 * 1024];
        int last = '\n';
        try (InputStream in = kept.open()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                last = buf[n - 1];
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (last != '\n') out.write('\n');
    }

    /** {@code target;status;state;seconds;message[;field=value...]}, ';' in values written as ','. */
    static void terse(Report report, PrintStream out) {
        if (plan(report, out)) {
            if (!report.results().isEmpty()) terse(refused(report), out);
            return;
        }
        StringBuilder b = new StringBuilder();
        for (Result r : report.results()) {
            b.append(clean(r.target())).append(';').append(status(r)).append(';').append(clean(r.state())).append(';')
                    .append(millis(r)).append(';')
                    .append(clean(r.message()));
            r.fields().forEach((k, v) -> b.append(';').append(clean(k)).append('=').append(clean(v)));
            if (r.output() != null && r.output().truncated()) b.append(";truncated=yes");
            b.append('\n');
        }
        out.print(b);
    }

    /** stdout and stderr as text when they are UTF-8, else as base64 under their own names. */
    private static void output(JsonGenerator g, Output o) throws IOException {
        if (o.exitStatus() != null) g.writeNumberField("exitStatus", o.exitStatus());
        else g.writeStringField("exitSignal", o.exitSignal());
        bytes(g, "stdout", o.out());
        bytes(g, "stderr", o.err());
        g.writeBooleanField("truncated", o.truncated());
        if (o.truncated()) g.writeNumberField("droppedBytes", o.out().dropped() + o.err().dropped());
    }

    /** Streamed from where the output was kept: it may be many MiB. */
    private static void bytes(JsonGenerator g, String name, Captured kept) throws IOException {
        if (isUtf8(kept)) {
            g.writeFieldName(name);
            try (Reader text = new InputStreamReader(kept.open(), StandardCharsets.UTF_8)) {
                g.writeString(text, -1);
            }
        } else {
            g.writeFieldName(name + "Base64");
            try (InputStream in = kept.open()) {
                g.writeBinary(in, (int) kept.size());
            }
        }
    }

    private static boolean isUtf8(Captured kept) throws IOException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
        CharBuffer chars = CharBuffer.allocate(64 * 1024); // UTF-8 never gives more chars than bytes
        try (InputStream in = kept.open()) {
            while (true) {
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                boolean end = n < 0;
                if (!end) bytes.position(bytes.position() + n);
                bytes.flip();
                if (utf8.decode(bytes, chars, end).isError()) return false;
                chars.clear();
                bytes.compact();
                if (end) return bytes.position() == 0 && !utf8.flush(chars).isError();
            }
        }
    }

    /** One field of a -X record: control characters escaped (a line break too), ';' written as ','. */
    private static String clean(String s) { return esc(s).replace(';', ','); }

    /** Text about a target, which may hold what a remote host sent: control characters made visible. */
    private static String esc(String s) { return s == null ? "" : ControlChars.escape(s); }

    /**
     * One document: {"ctys": version, "status": n, "reports": [{"title", "status", "results": [...]}]};
     * a dry run's report has "dryRun": true and "plan": [lines] instead of results.
     */
    static void json(List<Report> reports, String version, PrintStream out) {
        try {
            JsonGenerator g = new JsonFactory().setCharacterEscapes(JsonEscapes.INSTANCE).createGenerator(out);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("ctys", version);
            g.writeNumberField("status", Ctys.worst(reports).code());
            g.writeArrayFieldStart("reports");
            for (Report report : reports) {
                g.writeStartObject();
                g.writeStringField("title", report.title());
                g.writeNumberField("status", report.status().code());
                if (report.dryRun() != null) {
                    g.writeBooleanField("dryRun", true);
                    g.writeArrayFieldStart("plan");
                    for (String line : report.dryRun().render().split("\n")) g.writeString(line);
                    g.writeEndArray();
                }
                g.writeArrayFieldStart("results");
                for (Result r : report.results()) {
                    g.writeStartObject();
                    g.writeStringField("target", r.target());
                    g.writeBooleanField("ok", r.ok());
                    g.writeStringField("status", r.status().name());
                    g.writeStringField("state", r.state());
                    g.writeStringField("message", r.message());
                    g.writeNumberField("seconds", r.elapsed().toMillis() / 1000.0);
                    if (r.output() != null) output(g, r.output());
                    if (!r.fields().isEmpty()) {
                        g.writeObjectFieldStart("fields");
                        for (var f : r.fields().entrySet()) g.writeStringField(f.getKey(), f.getValue());
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            out.println();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
