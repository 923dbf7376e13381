package org.ctys.transport.ipmi;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packets a session dropped, counted by reason and logged at debug: when a BMC seems to stop
 * answering, they say whether nothing came or something that was not believed.
 */
final class Drops {
    /** Made at the first drop: a session that drops nothing never starts the logging (SLF4J reads its configuration). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(RmcpSession.class);
    }

    private final String bmc;
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    Drops(String bmc) { this.bmc = bmc; }

    void add(String reason) {
        counts.merge(reason, 1, Integer::sum);
        Log.LOG.debug("BMC {}: dropped a packet: {}", bmc, reason);
    }

    Map<String, Integer> counts() { return Map.copyOf(counts); }

    /** A message's tail, "; 3 packets from it dropped (2 integrity check, 1 next header)", or "". */
    String tail() {
        if (counts.isEmpty()) return "";
        int n = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder b = new StringBuilder("; ").append(n).append(n == 1 ? " packet" : " packets")
                .append(" from it dropped (");
        String sep = "";
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            b.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        return b.append(')').toString();
    }
}
