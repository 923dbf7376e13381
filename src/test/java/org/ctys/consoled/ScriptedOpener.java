package org.ctys.consoled;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.ctys.console.ConsoleLink;

/** Opens in-memory links: for each console, the outcomes the test queued (a link, or a failure), in order. */
final class ScriptedOpener implements EndpointOpener {
    private final Map<String, ArrayDeque<Object>> next = new HashMap<>();
    private final Map<String, Integer> opened = new HashMap<>();
    private final Map<String, Endpoint> lastEndpoint = new HashMap<>();

    synchronized MemoryLink link(String console) {
        MemoryLink l = new MemoryLink();
        next.computeIfAbsent(console, k -> new ArrayDeque<>()).add(l);
        notifyAll();
        return l;
    }

    synchronized void failure(String console, String why) {
        next.computeIfAbsent(console, k -> new ArrayDeque<>()).add(new IOException(why));
        notifyAll();
    }

    synchronized int opens(String console) { return opened.getOrDefault(console, 0); }

    synchronized Endpoint endpoint(String console) { return lastEndpoint.get(console); }

    /** Waits (bounded) for the test to queue an outcome: the daemon then tries again, as after its back-off. */
    @Override
    public synchronized ConsoleLink open(String console, Endpoint endpoint) throws IOException {
        long until = System.nanoTime() + 10_000_000_000L;
        ArrayDeque<Object> q = next.computeIfAbsent(console, k -> new ArrayDeque<>());
        while (q.isEmpty()) {
            long left = until - System.nanoTime();
            if (left <= 0) throw new IOException("the test queued nothing to open");
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
        }
        opened.merge(console, 1, Integer::sum);
        lastEndpoint.put(console, endpoint);
        Object o = q.poll();
        if (o instanceof IOException e) throw e;
        return (ConsoleLink) o;
    }
}
