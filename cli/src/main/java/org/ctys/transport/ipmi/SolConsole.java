package org.ctys.transport.ipmi;

import java.util.Arrays;
import java.util.Set;
import org.metricshub.ipmi.core.api.async.InboundMessageListener;
import org.metricshub.ipmi.core.api.sol.SerialOverLan;
import org.metricshub.ipmi.core.api.sol.SolEventListener;
import org.metricshub.ipmi.core.coding.payload.IpmiPayload;
import org.metricshub.ipmi.core.coding.payload.sol.SolInboundMessage;
import org.metricshub.ipmi.core.coding.payload.sol.SolOperation;
import org.metricshub.ipmi.core.coding.payload.sol.SolStatus;
import org.metricshub.ipmi.core.coding.commands.payload.DeactivatePayload;
import org.metricshub.ipmi.core.coding.commands.payload.GetPayloadActivationStatus;
import org.metricshub.ipmi.core.coding.commands.payload.GetPayloadActivationStatusResponseData;
import org.metricshub.ipmi.core.coding.protocol.PayloadType;

/**
 * The machine's serial console over the BMC: bytes typed go to its serial port, bytes it writes
 * come back. Reading never blocks; writing waits (bounded) for the BMC's acknowledgement.
 */
public final class SolConsole implements AutoCloseable {
    /** Small writes: the library splits large ones wrongly, and typed input is small anyway. */
    private static final int CHUNK = 32;
    private static final int INSTANCE = 1;

    private final LibrarySession session;
    private final SerialOverLan sol;
    private volatile boolean deactivated;
    private boolean closed;
    /** What {@link #await} sleeps on. */
    private final Object arrival = new Object();
    /** A SOL packet came from the BMC since the last {@link #await}; guarded by {@link #arrival}. */
    private boolean heard;

    private SolConsole(LibrarySession session, SerialOverLan sol) {
        this.session = session;
        this.sol = sol;
        sol.registerEventListener(new SolEventListener() {
            @Override
            public void processRequestEvent(Set<SolStatus> statuses) {
                if (statuses.contains(SolStatus.SolDeactivated)) deactivated();
            }

            @Override
            public void processResponseEvent(Set<SolStatus> statuses, byte[] data, Set<SolOperation> operations) {
                if (statuses.contains(SolStatus.SolDeactivated)) deactivated();
            }
        });
        // Registered after the library's own listener, which the connector calls first: by the time
        // this one runs, the packet's characters are in the buffer that read() empties.
        session.connector().registerIncomingMessageListener(new InboundMessageListener() {
            @Override
            public boolean isPayloadSupported(IpmiPayload payload) { return payload instanceof SolInboundMessage; }

            @Override
            public void notify(IpmiPayload payload) { wake(); }
        });
    }

    private void deactivated() {
        deactivated = true;
        wake();
    }

    private void wake() {
        synchronized (arrival) {
            heard = true;
            arrival.notifyAll();
        }
    }

    /**
     * Waits at most {@code millis} for the BMC to send something (characters, or the end of the
     * console): the library's receiving thread wakes the waiter when a SOL packet arrives, so a
     * quiet console costs nothing while it waits. Only a BMC's packet wakes it: a BMC that went
     * away is found by {@link #checkAlive()}.
     */
    public void await(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000L;
        synchronized (arrival) {
            while (!heard && !deactivated) {
                long left = until - System.nanoTime();
                if (left <= 0) return;
                arrival.wait(Math.max(1, left / 1_000_000L));
            }
            heard = false;
        }
    }

    static SolConsole open(LibrarySession session, boolean force) throws BmcException {
        String who = "BMC " + session.bmc().display();
        GetPayloadActivationStatusResponseData status = (GetPayloadActivationStatusResponseData) session.send(
                "asking whether Serial-over-LAN is in use", true,
                new GetPayloadActivationStatus(session.handle().getCipherSuite(), PayloadType.Sol));
        boolean held = status.getInstanceCapacity() > 0 && !status.getAvailableInstances().contains((byte) INSTANCE);
        if (held) {
            if (!force) {
                throw new BmcException(BmcException.Kind.BUSY, "Serial-over-LAN of " + who
                        + " is in use by another session; FORCE takes it over");
            }
            session.send("taking Serial-over-LAN over from the other session", true,
                    new DeactivatePayload(session.handle().getCipherSuite(), PayloadType.Sol, INSTANCE));
        }
        try {
            SerialOverLan sol = session.client().call(session.client().timing().perTry().multipliedBy(4),
                    () -> new SerialOverLan(session.connector(), session.session()));
            return new SolConsole(session, sol);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BmcException(BmcException.Kind.FAILED, "interrupted while activating Serial-over-LAN of " + who);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new BmcException(BmcException.Kind.STOPPED, who + " stopped answering while Serial-over-LAN was activated");
        } catch (Exception e) {
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new BmcException(BmcException.Kind.FAILED, "Serial-over-LAN of " + who + " could not be activated: " + why, e);
        }
    }

    /** What the machine wrote since the last read; empty when nothing came. */
    public byte[] read() throws BmcException {
        byte[] data = sol.readBytes();
        if (data.length == 0 && deactivated) {
            throw new BmcException(BmcException.Kind.BUSY, "Serial-over-LAN of BMC " + session.bmc().display()
                    + " was deactivated at the BMC (another session took it over with FORCE, or it was deactivated there)");
        }
        return data;
    }

    /** Sends typed bytes to the machine; a BMC that no longer acknowledges them ends the console. */
    public void write(byte[] data, int length) throws BmcException {
        for (int from = 0; from < length; from += CHUNK) {
            byte[] chunk = Arrays.copyOfRange(data, from, Math.min(length, from + CHUNK));
            boolean sent;
            try {
                sent = session.client().call(session.client().timing().perTry().multipliedBy(session.client().timing().tries() + 1),
                        () -> sol.writeBytes(chunk));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                sent = false;
            }
            if (!sent) {
                throw new BmcException(deactivated ? BmcException.Kind.BUSY : BmcException.Kind.STOPPED, "BMC "
                        + session.bmc().display() + (deactivated ? " deactivated this Serial-over-LAN session (another"
                        + " session took it over with FORCE?)" : " stopped acknowledging Serial-over-LAN data (it is"
                        + " gone, or another session took the console over)"));
            }
        }
    }

    /**
     * Sends a break to the machine's serial port (the SOL payload's break operation, as ipmitool's
     * {@code ~B}); false when the BMC did not acknowledge it.
     */
    public boolean sendBreak() throws BmcException {
        try {
            return session.client().call(session.client().timing().perTry().multipliedBy(session.client().timing().tries() + 1),
                    () -> sol.invokeOperations(SolOperation.Break));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            throw new BmcException(BmcException.Kind.STOPPED, "BMC " + session.bmc().display() + " did not take the break: "
                    + (e.getMessage() == null ? e : e.getMessage()));
        }
    }

    /**
     * Asks the BMC whether the console is still active: a console that is silent may be idle, its
     * BMC may be gone, or another session may have taken it over and left.
     */
    public void checkAlive() throws BmcException {
        if (closed) throw new BmcException(BmcException.Kind.FAILED, "the console is closed");
        GetPayloadActivationStatusResponseData status = (GetPayloadActivationStatusResponseData) session.send(
                "asking whether Serial-over-LAN is still active", true,
                new GetPayloadActivationStatus(session.handle().getCipherSuite(), PayloadType.Sol));
        if (deactivated || status.getAvailableInstances().contains((byte) INSTANCE)) {
            throw new BmcException(BmcException.Kind.BUSY, "Serial-over-LAN of BMC " + session.bmc().display()
                    + " is no longer active for this session (taken over with FORCE by another, or deactivated at the BMC)");
        }
    }

    /** Deactivates the payload (bounded) and closes the session; never fails. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            session.client().call(session.client().timing().perTry(), () -> {
                sol.close();
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the BMC ends an orphaned payload with the session
        } finally {
            session.close();
        }
    }
}
