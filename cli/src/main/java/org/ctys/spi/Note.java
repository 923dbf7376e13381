package org.ctys.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Record a result for a target without touching anything: facts the plan already knows
 * (LIST of the inventory) or the final word on a target (a packet sent that cannot be confirmed).
 */
public record Note(String target, Verdict verdict, Map<String, String> fields) implements Step {

    public Note {
        fields = fields.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public String describe() {
        // a comment stays one comment line whatever the message holds
        return "# " + ControlChars.escape(target) + ": " + ControlChars.escape(verdict.message());
    }
}
