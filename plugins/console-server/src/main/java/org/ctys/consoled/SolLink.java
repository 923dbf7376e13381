package org.ctys.consoled;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.ctys.console.ConsoleLink;
import org.ctys.engine.SolConsoleLink;
import org.ctys.engine.run.Bmcs;
import org.ctys.exit.CtysException;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.SecretRef;
import org.ctys.transport.ipmi.BmcException;
import org.ctys.transport.ipmi.IpmiClient;
import org.ctys.transport.ipmi.SolConsole;

/**
 * A machine's Serial-over-LAN as a console, on an IPMI client of its own (closed with it); reading,
 * writing and the break are {@code -t sol}'s ({@link SolConsoleLink}). The console is never taken
 * over from another session: one that holds it (an administrator's {@code ctys -t sol}, ipmitool)
 * keeps it, the open fails as busy and the daemon tries again later, so the two never fight over it.
 *
 * <p>A BMC that goes away sends nothing, like a quiet machine, and neither does one whose console an
 * administrator took over with FORCE (the BMC tells the losing session nothing): after {@code quiet}
 * without a packet the link asks the BMC, on {@code probes}, which session the console is active
 * for ({@link SolConsole#checkAlive()}, bounded by the client's timing), and the next {@link #read()}
 * throws what that found: no answer, or another session ("was taken over by another session").
 * Closing such a link leaves the other session's console active.
 */
final class SolLink implements OpenLink {
    private final IpmiClient client;
    private final SolConsole sol;
    private final ConsoleLink far;
    private final Duration quiet;
    private final Executor probes;
    private volatile long lastHeard = System.nanoTime();
    private volatile IOException gone;
    private CompletableFuture<Void> probe;

    private SolLink(IpmiClient client, SolConsole sol, Duration quiet, Executor probes) {
        this.client = client;
        this.sol = sol;
        this.far = new SolConsoleLink(sol);
        this.quiet = quiet;
        this.probes = probes;
    }

    /** Activates the console; the password and the BMC key are read from their references and wiped once used. */
    static SolLink open(Endpoint.Sol endpoint, IpmiClient.Timing timing, Duration quiet, Executor probes) throws IOException {
        BmcSettings bmc = endpoint.bmc();
        byte[] password = secret(endpoint, bmc.password(), "password");
        byte[] bmcKey = null;
        IpmiClient client = new IpmiClient(timing);
        try {
            bmcKey = secret(endpoint, bmc.bmcKey(), "BMC key");
            SolConsole sol = client.sol(Bmcs.address(bmc), password, bmcKey, false);
            return new SolLink(client, sol, quiet, probes);
        } catch (BmcException e) {
            client.close();
            throw SolConsoleLink.gone(e);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        } finally {
            if (password != null) Arrays.fill(password, (byte) 0);
            if (bmcKey != null) Arrays.fill(bmcKey, (byte) 0);
        }
    }

    /** The secret a reference names, read as the engine reads it for {@code -t sol}; null: none configured. */
    private static byte[] secret(Endpoint.Sol endpoint, SecretRef ref, String what) throws IOException {
        if (ref == null) return null;
        try {
            return ref.read();
        } catch (CtysException e) {
            throw new IOException(endpoint.describe() + ": the " + what + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void await(long millis) throws InterruptedException {
        if (gone == null) sol.await(millis);
        probeWhenQuiet();
    }

    @Override
    public byte[] read() throws IOException {
        if (gone != null) throw gone;
        byte[] data = far.read();
        if (data.length > 0) lastHeard = System.nanoTime();
        return data;
    }

    /** One question to the BMC at a time, once it has been quiet for {@link #quiet}. */
    private void probeWhenQuiet() {
        if (gone != null || System.nanoTime() - lastHeard < quiet.toNanos() || (probe != null && !probe.isDone())) return;
        probe = CompletableFuture.runAsync(() -> {
            try {
                far.checkAlive();
                lastHeard = System.nanoTime();
            } catch (IOException e) {
                gone = e;
            }
        }, probes);
    }

    /**
     * Nothing: the reader never waits on the BMC. The question is asked on {@code probes} once the
     * console has been quiet for {@link #quiet}, and its answer ends the console at the next {@link #read()}.
     */
    @Override
    public void checkAlive() {}

    @Override
    public void write(byte[] data, int length) throws IOException { far.write(data, length); }

    @Override
    public boolean sendBreak() throws IOException { return far.sendBreak(); }

    @Override
    public void close() {
        try (client) {
            sol.close();
        }
    }
}
