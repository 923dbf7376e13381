package org.ctys.spi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome for one target.
 *
 * @param target  the target's label
 * @param status  OK, FAILED, TIMEOUT (overall --timeout ran out), INTERRUPTED, or PLANNED (dry run)
 * @param state   short state word (up, woken, down, ...)
 * @param message one line saying what happened and, on failure, why
 * @param elapsed time spent on this target
 * @param fields  extra facts for tables and JSON (LIST columns)
 * @param output  what a remote command left, or null when none ran
 */
public record Result(String target, Status status, String state, String message, Duration elapsed,
                     Map<String, String> fields, Output output) {

    /** CONFIG: the target was refused for a configuration reason (an unknown or changed host key). */
    public enum Status { OK, FAILED, CONFIG, TIMEOUT, INTERRUPTED }

    public Result {
        fields = fields.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Result(String target, Status status, String state, String message, Duration elapsed, Map<String, String> fields) {
        this(target, status, state, message, elapsed, fields, null);
    }

    public boolean ok() { return status == Status.OK; }
}
