package org.ctys.consoled;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.ctys.grammar.Sizes;

/** {@code list} and {@code list --json}: the consoles a user may see, their state and who is attached. */
final class Listing {

    /** Instants as the spec writes them: UTC, milliseconds, ISO-8601. */
    static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    /** One console as {@code list} shows it. */
    record Row(String name, String kind, String endpoint, String state, Instant since, String error, String writer,
               List<String> watchers, List<String> spies, long logBytes, String access) {}

    private Listing() {}

    static Row row(Console c, Access.Level level) {
        Console.Attached a = c.attached();
        return new Row(c.name(), c.def().kind(), c.def().endpoint().describe(), c.state().name().toLowerCase(java.util.Locale.ROOT),
                c.since(), c.error(), a.writer(), a.watchers(), a.spies(), c.logBytes(), level.word());
    }

    static String json(List<Row> rows) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeArrayFieldStart("consoles");
            for (Row r : rows) {
                g.writeStartObject();
                g.writeStringField("name", r.name());
                g.writeStringField("kind", r.kind());
                g.writeStringField("endpoint", r.endpoint());
                g.writeStringField("state", r.state());
                g.writeStringField("since", INSTANT.format(r.since()));
                g.writeStringField("error", r.error());
                g.writeStringField("writer", r.writer());
                names(g, "watchers", r.watchers());
                names(g, "spies", r.spies());
                g.writeNumberField("logBytes", r.logBytes());
                g.writeStringField("access", r.access());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + "\n";
    }

    private static void names(JsonGenerator g, String field, List<String> names) throws IOException {
        g.writeArrayFieldStart(field);
        for (String n : names) g.writeString(n);
        g.writeEndArray();
    }

    /** The table: NAME KIND STATE WRITER WATCHERS LOG, columns as wide as their widest cell. */
    static String table(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"NAME", "KIND", "STATE", "WRITER", "WATCHERS", "LOG"});
        for (Row r : rows) {
            List<String> watching = new ArrayList<>(r.watchers());
            for (String s : r.spies()) watching.add(s + "(spy)");
            cells.add(new String[] {r.name(), r.kind(), r.state(), r.writer() == null ? "-" : r.writer(),
                    watching.isEmpty() ? "-" : String.join(",", watching), Sizes.approximate(r.logBytes())});
        }
        int[] width = new int[6];
        for (String[] row : cells) for (int i = 0; i < 6; i++) width[i] = Math.max(width[i], row[i].length());
        StringBuilder b = new StringBuilder();
        for (String[] row : cells) {
            for (int i = 0; i < 6; i++) {
                b.append(row[i]);
                if (i < 5) b.append(" ".repeat(width[i] - row[i].length() + 2));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
