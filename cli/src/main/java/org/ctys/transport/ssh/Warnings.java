package org.ctys.transport.ssh;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Warnings of one run, each said once: a config keyword ctys does not honour is reported the first
 * time it applies to a host, not once per host of a 200-host run.
 */
final class Warnings {

    private final Consumer<String> sink;
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    Warnings(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Passes {@code line} on unless a warning with the same {@code key} was already passed on. */
    void once(String key, String line) {
        if (said.add(key)) {
            sink.accept(line);
        }
    }
}
