package org.ctys.plugins.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ctys.spi.JsonText;

/**
 * One JSON line of ctys-bootd's job commands, read into what the plugin uses of it. A line that is
 * no JSON object is an IllegalArgumentException saying so.
 */
record JobLine(Map<String, Object> fields) {

    /** A job's id as the server makes them (12 base32 characters); anything else is not taken into a command. */
    static boolean isJobId(String s) {
        return s != null && s.matches("[A-Za-z0-9_-]{1,64}");
    }

    /** The job's id: its {@code id}, else its {@code job} field, whichever is a job id; null when neither is. */
    String id() {
        if (isJobId(text("id"))) return text("id");
        return isJobId(text("job")) ? text("job") : null;
    }

    @SuppressWarnings("unchecked")
    static JobLine parse(String line) {
        Object doc = JsonText.parse(line);
        if (!(doc instanceof Map<?, ?> m)) throw new IllegalArgumentException("a JSON line that is no object");
        return new JobLine((Map<String, Object>) m);
    }

    /** A text field, or null when it is absent or not text. */
    String text(String key) {
        Object v = fields.get(key);
        return v instanceof String s ? s : v instanceof Number || v instanceof Boolean ? String.valueOf(v) : null;
    }

    /** A whole-number field, or null. */
    Integer integer(String key) {
        Object v = fields.get(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
        if (v instanceof String s && s.matches("-?\\d{1,9}")) return Integer.parseInt(s);
        return null;
    }

    boolean flag(String key) { return Boolean.TRUE.equals(fields.get(key)); }

    /**
     * What the server saw of the job, as lines: its {@code events} (texts, or objects whose
     * {@code at}, {@code event}/{@code what}/{@code message} and {@code from} are shown), and a lone {@code event}.
     */
    List<String> events() {
        List<String> out = new ArrayList<>();
        if (fields.get("events") instanceof List<?> list) {
            for (Object e : list) out.add(event(e));
        }
        if (fields.get("event") != null) out.add(event(fields.get("event")));
        return out;
    }

    private static String event(Object e) {
        if (e instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder();
            for (String k : List.of("at", "event", "what", "message", "status")) {
                if (m.get(k) != null) b.append(b.length() == 0 ? "" : " ").append(m.get(k));
            }
            if (m.get("from") != null) b.append(" from ").append(m.get("from"));
            return b.length() == 0 ? String.valueOf(m) : b.toString();
        }
        return String.valueOf(e);
    }
}
