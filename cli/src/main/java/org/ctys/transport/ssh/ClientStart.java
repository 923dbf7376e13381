package org.ctys.transport.ssh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import net.i2p.crypto.eddsa.spec.EdDSANamedCurveTable;
import org.apache.sshd.client.SshClient;

/**
 * Building MINA's client (its factories, and with them the JDK's security providers) is the
 * largest part of a first login's own work; the ed25519 curve's tables, which the host key check
 * and the login's signature need, come next. Both can start as soon as a command is known to log
 * in over SSH, on two daemon threads, while the rest of the run is still being set up and while
 * the first connection waits for the server. They share no class initialisation (the tables are
 * the eddsa library's own arithmetic), so the two threads cannot wait on each other.
 */
final class ClientStart {
    private static final AtomicReference<CompletableFuture<SshClient>> PREPARED = new AtomicReference<>();

    private ClientStart() {
    }

    /** Starts building a client and the ed25519 tables, unless a prepared client is still waiting to be taken. */
    static void prepare() {
        CompletableFuture<SshClient> building = new CompletableFuture<>();
        if (!PREPARED.compareAndSet(null, building)) {
            return;
        }
        SshTransport.quietMina();
        daemon("ctys-ssh-prepare", () -> {
            try {
                building.complete(SshClient.setUpDefaultClient());
            } catch (Throwable t) {
                building.completeExceptionally(t);
            }
        });
        daemon("ctys-ssh-prepare-ed25519", () -> {
            try {
                EdDSANamedCurveTable.getByName(EdDSANamedCurveTable.ED_25519);
            } catch (Throwable t) {
                // the login that needs the tables makes them itself, and reports what fails
            }
        });
    }

    /**
     * A client not started yet: the prepared one, taken once (its building finished here if it has
     * not yet), else one built now. A transport that starts later builds its own.
     */
    static SshClient take() {
        CompletableFuture<SshClient> prepared = PREPARED.getAndSet(null);
        if (prepared != null) {
            try {
                return prepared.join();
            } catch (RuntimeException e) {
                // building it ahead failed: build it here, where a failure reaches the caller
            }
        }
        return SshClient.setUpDefaultClient();
    }

    /** Whether a prepared client waits to be taken. */
    static boolean waiting() {
        return PREPARED.get() != null;
    }

    private static void daemon(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
    }
}
