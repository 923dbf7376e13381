package org.ctys.transport.ipmi;

import java.util.Arrays;
import org.metricshub.ipmi.core.api.sol.SerialOverLan;
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

    private final BmcSession session;
    private final SerialOverLan sol;
    private boolean closed;

    private SolConsole(BmcSession session, SerialOverLan sol) {
        this.session = session;
        this.sol = sol;
    }

    static SolConsole open(BmcSession session, boolean force) throws BmcException {
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
    public byte[] read() { return sol.readBytes(); }

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
                throw new BmcException(BmcException.Kind.STOPPED, "BMC " + session.bmc().display()
                        + " stopped acknowledging Serial-over-LAN data");
            }
        }
    }

    /** Asks the BMC something small: a console that is silent may be idle, or its BMC may be gone. */
    public void checkAlive() throws BmcException { session.power(); }

    /** Deactivates the payload (bounded); never fails. The session is the caller's to close. */
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
        }
    }
}
