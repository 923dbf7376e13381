package org.ctys.transport.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Host name lookups, each on a thread of its own (reused when one is free), for callers that wait
 * for the answer within their own bound. The system resolver cannot be interrupted: a lookup a
 * caller gave up on still holds its thread until the resolver returns (30 s and more with dead
 * name servers). On a shared, bounded pool a few such names made every other host wait behind
 * them (the JDK's common pool, SSH's logins) or filled the run's workers (a wait that pings).
 */
public final class Lookups {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ctys-lookup");
        t.setDaemon(true);
        return t;
    });

    private Lookups() {}

    /** The address of {@code host}, looked up now; fails with the {@link UnknownHostException}. */
    public static CompletableFuture<InetAddress> of(String host) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        }, POOL);
    }
}
