package org.ctys.transport.ipmi;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.metricshub.ipmi.core.api.async.ConnectionHandle;
import org.metricshub.ipmi.core.api.sync.IpmiConnector;
import org.metricshub.ipmi.core.coding.PayloadCoder;
import org.metricshub.ipmi.core.coding.commands.ResponseData;
import org.metricshub.ipmi.core.coding.payload.CompletionCode;
import org.metricshub.ipmi.core.coding.payload.lan.IPMIException;
import org.metricshub.ipmi.core.connection.Session;

/**
 * A session opened by the IPMI library, for Serial-over-LAN: the library carries the SOL payload
 * (its sequence numbers, acknowledgements and retransmissions). Each request is bounded by the
 * client; close it on every path: the BMC has few session slots.
 */
final class LibrarySession implements AutoCloseable {
    private final IpmiClient client;
    private final IpmiConnector connector;
    private final ConnectionHandle handle;
    private final Session session;
    private final BmcAddress bmc;
    private boolean closed;

    LibrarySession(IpmiClient client, IpmiConnector connector, ConnectionHandle handle, Session session, BmcAddress bmc) {
        this.client = client;
        this.connector = connector;
        this.handle = handle;
        this.session = session;
        this.bmc = bmc;
    }

    BmcAddress bmc() { return bmc; }

    IpmiConnector connector() { return connector; }

    ConnectionHandle handle() { return handle; }

    Session session() { return session; }

    IpmiClient client() { return client; }

    /** Sends one request and waits (bounded) for its answer; the BMC's refusals become clear messages. */
    ResponseData send(String what, boolean repeatable, PayloadCoder request) throws BmcException {
        Duration bound = client.timing().perTry().multipliedBy(2);
        int tries = repeatable ? client.timing().tries() : 1;
        Exception last = null;
        for (int attempt = 1; attempt <= tries; attempt++) {
            try {
                return client.call(bound, () -> connector.sendMessage(handle, request));
            } catch (IPMIException e) {
                throw refused(what, e.getCompletionCode());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BmcException(BmcException.Kind.FAILED, "interrupted while " + what);
            } catch (BmcException e) {
                throw e;
            } catch (Exception e) {
                last = e;
                if (!(e instanceof TimeoutException || IpmiClient.transientFailure(e))) break;
            }
        }
        if (last instanceof TimeoutException || IpmiClient.timedOut(last)) {
            return throwStopped(what, tries);
        }
        throw new BmcException(BmcException.Kind.FAILED, "BMC " + bmc.display() + ": " + what + " failed: "
                + (last == null ? "no answer" : last.getMessage()), last);
    }

    private ResponseData throwStopped(String what, int tries) throws BmcException {
        throw new BmcException(BmcException.Kind.STOPPED, "BMC " + bmc.display() + " stopped answering during the session"
                + " (no answer to " + what + ", " + tries + (tries == 1 ? " try)" : " tries)"));
    }

    BmcException refused(String what, CompletionCode code) {
        if (code == CompletionCode.InsufficentPrivilege || code == CompletionCode.InvalidRole) {
            return new BmcException(BmcException.Kind.REFUSED, "BMC " + bmc.display() + " refused " + what + ": user '"
                    + bmc.userName() + "' lacks the privilege");
        }
        return new BmcException(BmcException.Kind.FAILED, "BMC " + bmc.display() + " refused " + what + ": "
                + code.getMessage() + String.format(" (completion code %02Xh)", code.getCode()));
    }

    /** Ends the session at the BMC (bounded) and frees its connection; never fails. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            client.call(client.timing().perTry(), () -> {
                connector.closeSession(handle);
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a BMC that is gone cannot be told; its session times out on its side
        } finally {
            connector.closeConnection(handle);
        }
    }
}
