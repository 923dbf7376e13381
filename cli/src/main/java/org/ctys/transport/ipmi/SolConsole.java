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
    /**
     * The session the BMC activated this console under, as the BMC numbers it (Get Payload Instance
     * Info, asked right after the activation); null when the BMC does not answer that command, and
     * then only whether SOL is active at all can be checked.
     */
    private final GetPayloadInstanceInfo.Owner mine;
    private volatile boolean deactivated;
    /** The BMC said another session holds the console now: closing must not deactivate it under that session. */
    private volatile boolean lost;
    private boolean closed;
    /** What {@link #await} sleeps on. */
    private final Object arrival = new Object();
    /** A SOL packet came from the BMC since the last {@link #await}; guarded by {@link #arrival}. */
    private boolean heard;
    /** When the BMC's last SOL packet arrived (System.nanoTime()). */
    private volatile long lastPacket = System.nanoTime();

    private SolConsole(LibrarySession session, SerialOverLan sol, GetPayloadInstanceInfo.Owner mine) {
        this.session = session;
        this.sol = sol;
        this.mine = mine;
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
        lastPacket = System.nanoTime();
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
        SerialOverLan sol;
        try {
            sol = session.client().call(session.client().timing().perTry().multipliedBy(4),
                    () -> new SerialOverLan(session.connector(), session.session()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BmcException(BmcException.Kind.FAILED, "interrupted while activating Serial-over-LAN of " + who);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new BmcException(BmcException.Kind.STOPPED, who + " stopped answering while Serial-over-LAN was activated");
        } catch (Exception e) {
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new BmcException(BmcException.Kind.FAILED, "Serial-over-LAN of " + who + " could not be activated: " + why, e);
        }
        try {
            return new SolConsole(session, sol, ownerAfterActivation(session));
        } catch (BmcException e) {
            try {
                sol.close();
            } catch (Exception ignored) {
                // the session is closed by the caller; the BMC ends its payload with it
            }
            throw e;
        }
    }

    /**
     * Who holds the console just after this session activated it: this session, in the BMC's own
     * numbering. The library knows only the ID this end chose for the session (the BMC numbers its
     * sessions itself, and ipmi_sim reports its own number here), so the BMC's number is learnt from
     * the BMC: activation is exclusive (another session's activation is refused while this one
     * holds the instance), so the owner now is this session, unless another took the console over
     * in the one round trip since. A BMC that refuses the command (not all implement it), or
     * reports no owner, leaves only the activation status to check.
     */
    private static GetPayloadInstanceInfo.Owner ownerAfterActivation(LibrarySession session) throws BmcException {
        try {
            GetPayloadInstanceInfo.Owner owner = owner(session, "asking which session Serial-over-LAN is activated under");
            return owner.none() ? null : owner;
        } catch (BmcException e) {
            if (e.kind() == BmcException.Kind.STOPPED || e.kind() == BmcException.Kind.UNREACHABLE) throw e;
            return null;
        }
    }

    private static GetPayloadInstanceInfo.Owner owner(LibrarySession session, String what) throws BmcException {
        return (GetPayloadInstanceInfo.Owner) session.send(what, true,
                new GetPayloadInstanceInfo(session.handle().getCipherSuite(), PayloadType.Sol, INSTANCE));
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
     * Asks the BMC whether the console is still this session's: a console that is silent may be
     * idle, its BMC may be gone, or another session may have taken it over (a BMC does not tell the
     * session that loses it, and the console still looks active, for the other one). The BMC is
     * asked which session the SOL instance is activated under; another one, or none, means the
     * console was taken.
     */
    public void checkAlive() throws BmcException {
        if (closed) throw new BmcException(BmcException.Kind.FAILED, "the console is closed");
        long asked = System.nanoTime();
        try {
            askAlive();
        } catch (BmcException e) {
            // ipmi_sim, while a booting machine floods its console, has let such a question go
            // unanswered for all its tries: a BMC whose console packets kept arriving meanwhile is
            // there, and is asked again next time; a silent one that does not answer is gone
            if (e.kind() != BmcException.Kind.STOPPED || lastPacket - asked < 0 || deactivated) throw e;
        }
    }

    private void askAlive() throws BmcException {
        if (mine == null) {
            GetPayloadActivationStatusResponseData status = (GetPayloadActivationStatusResponseData) session.send(
                    "asking whether Serial-over-LAN is still active", true,
                    new GetPayloadActivationStatus(session.handle().getCipherSuite(), PayloadType.Sol));
            if (deactivated || status.getAvailableInstances().contains((byte) INSTANCE)) {
                lost = true;
                throw takenOver(session.bmc(), null);
            }
            return;
        }
        GetPayloadInstanceInfo.Owner now = owner(session, "asking whether Serial-over-LAN is still active");
        if (deactivated || now.sessionId() != mine.sessionId()) {
            lost = true;
            throw takenOver(session.bmc(), now);
        }
    }

    /**
     * The console is no longer this session's: {@code owner} holds it now (none: nobody, or
     * unknown). One line; the first words are the same either way, for whoever looks for them.
     */
    static BmcException takenOver(BmcAddress bmc, GetPayloadInstanceInfo.Owner owner) {
        return new BmcException(BmcException.Kind.BUSY, "Serial-over-LAN of BMC " + bmc.display()
                + " was taken over by another session" + (owner != null && !owner.none() ? ""
                : " or deactivated at the BMC (it is no longer active for this session)"));
    }

    /** Whether the BMC still names this session as the console's owner (true when that cannot be asked). */
    private boolean stillMine() {
        if (mine == null) return true;
        try {
            return ((GetPayloadInstanceInfo.Owner) session.send("asking which session holds Serial-over-LAN", false,
                    new GetPayloadInstanceInfo(session.handle().getCipherSuite(), PayloadType.Sol, INSTANCE))).sessionId()
                    == mine.sessionId();
        } catch (BmcException e) {
            return false; // no answer: the BMC is gone, and it ends the payload with the session
        }
    }

    /**
     * Deactivates the payload (bounded) and closes the session; never fails. A console the BMC
     * deactivated, or that another session holds now, is not deactivated again: a BMC takes a
     * Deactivate Payload from any session (ipmi_sim does), and this one would end the other's.
     * Closing the session alone leaves the other's console alone. When the owner is known, the BMC
     * is asked once more first (one try): a console whose writes stopped being acknowledged may have
     * been taken over without a word.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (lost || deactivated || !stillMine()) {
            session.close();
            return;
        }
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
