package org.ctys.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ctys.engine.Report;
import org.ctys.spi.Result;

/** Renders a report on stdout: a text table, one JSON document, or terse ';'-separated records. */
final class Renderer {

    enum Format { TEXT, JSON, TERSE }

    private Renderer() {}

    static void render(List<Report> reports, Format format, String version, PrintStream out) {
        switch (format) {
            case JSON -> json(reports, version, out);
            case TERSE -> reports.forEach(r -> terse(r, out));
            default -> reports.forEach(r -> text(r, out));
        }
        out.flush();
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
        if (plan(report, out) || report.results().isEmpty()) return;
        Set<String> fields = fieldNames(report);
        List<String> header = new ArrayList<>(List.of("TARGET"));
        fields.forEach(f -> header.add(f.toUpperCase(Locale.ROOT)));
        if (fields.isEmpty()) header.addAll(List.of("STATUS", "STATE", "TIME", "MESSAGE"));
        else header.add("STATUS");
        List<List<String>> rows = new ArrayList<>();
        for (Result r : report.results()) {
            List<String> row = new ArrayList<>(List.of(r.target()));
            for (String f : fields) row.add(r.fields().getOrDefault(f, ""));
            if (fields.isEmpty()) row.addAll(List.of(status(r), r.state(), seconds(r), r.message()));
            else row.add(r.ok() ? "ok" : status(r) + ": " + r.message());
            rows.add(row);
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) width[i] = header.get(i).length();
        for (List<String> row : rows) for (int i = 0; i < width.length; i++) width[i] = Math.max(width[i], row.get(i).length());
        StringBuilder b = new StringBuilder();
        line(b, header, width);
        for (List<String> row : rows) line(b, row, width);
        out.print(b);
    }

    private static void line(StringBuilder b, List<String> cells, int[] width) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i == cells.size() - 1) b.append(c);
            else b.append(c).append(" ".repeat(width[i] - c.length() + 2));
        }
        b.append('\n');
    }

    /** {@code target;status;state;seconds;message[;field=value...]}, ';' in values written as ','. */
    static void terse(Report report, PrintStream out) {
        if (plan(report, out)) return;
        StringBuilder b = new StringBuilder();
        for (Result r : report.results()) {
            b.append(clean(r.target())).append(';').append(status(r)).append(';').append(clean(r.state())).append(';')
                    .append(millis(r)).append(';')
                    .append(clean(r.message()));
            r.fields().forEach((k, v) -> b.append(';').append(k).append('=').append(clean(v)));
            b.append('\n');
        }
        out.print(b);
    }

    private static String clean(String s) { return s.replace(';', ',').replace('\n', ' '); }

    /**
     * One document: {"ctys": version, "status": n, "reports": [{"title", "status", "results": [...]}]};
     * a dry run's report has "dryRun": true and "plan": [lines] instead of results.
     */
    static void json(List<Report> reports, String version, PrintStream out) {
        try {
            JsonGenerator g = new JsonFactory().createGenerator(out);
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
