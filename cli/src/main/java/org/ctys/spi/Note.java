package org.ctys.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Record a result for a target without touching anything: facts the plan already knows
 * (LIST of the inventory) or the final word on a target (a packet sent that cannot be confirmed).
 * {@code output}, when there is one, is shown as a command's output is (ENUMERATE's inventory lines).
 */
public record Note(String target, Verdict verdict, Map<String, String> fields, Output output) implements Step {

    public Note {
        fields = fields.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Note(String target, Verdict verdict, Map<String, String> fields) {
        this(target, verdict, fields, null);
    }

    @Override
    public String describe() {
        // a comment stays one comment line whatever the message holds
        return "# " + ControlChars.escape(target) + ": " + ControlChars.escape(verdict.message());
    }
}
