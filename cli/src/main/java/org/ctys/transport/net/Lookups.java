package org.ctys.transport.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Host name lookups, each on a thread of its own (reused when one is free), for callers that wait
 * for the answer within their own bound. The system resolver cannot be interrupted: a lookup a
 * caller gave up on still holds its thread until the resolver returns (30 s and more with dead
 * name servers). On a shared, bounded pool a few such names made every other host wait behind
 * them (the JDK's common pool, SSH's logins) or filled the run's workers (a wait that pings).
 * A name being looked up is not looked up again until that lookup ends: a wait that asks every
 * second for a name whose name server is dead holds one thread, not one per try.
 */
public final class Lookups {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ctys-lookup");
        t.setDaemon(true);
        return t;
    });

    private Lookups() {}

    private static final java.util.concurrent.ConcurrentHashMap<String, CompletableFuture<InetAddress>> UNDER_WAY =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The address of {@code host}: the lookup under way for it, else one started now; fails with
     * the {@link UnknownHostException}. Callers bound their wait; cancelling the future cancels
     * nothing (it is shared).
     */
    public static CompletableFuture<InetAddress> of(String host) {
        CompletableFuture<InetAddress> mine = new CompletableFuture<>();
        CompletableFuture<InetAddress> lookup = UNDER_WAY.putIfAbsent(host, mine);
        if (lookup != null) return lookup.copy();
        POOL.execute(() -> {
            try {
                mine.complete(InetAddress.getByName(host));
            } catch (UnknownHostException | RuntimeException e) {
                mine.completeExceptionally(e);
            } finally {
                UNDER_WAY.remove(host, mine);
            }
        });
        return mine.copy();
    }
}
