package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.net.InetAddress;
import org.metricshub.ipmi.core.api.async.ConnectionHandle;
import org.metricshub.ipmi.core.api.async.IpmiAsyncConnector;
import org.metricshub.ipmi.core.api.sync.IpmiConnector;
import org.metricshub.ipmi.core.coding.commands.PrivilegeLevel;
import org.metricshub.ipmi.core.connection.ConnectionManager;
import org.junit.jupiter.api.Test;

/**
 * The guard finds what it needs in the pinned IPMI library: a library whose private fields moved
 * fails here, in the unit tests, before SolIntegrityIT meets a BMC. Nothing is sent: a connection
 * is only set up locally.
 */
class LibraryGuardTest {
    @Test
    void theGuardTakesTheMessengersPlaceAndWatchesANewConnection() throws Exception {
        IpmiConnector connector = new IpmiConnector(0, 0L);
        try {
            LibraryGuard guard = LibraryGuard.install(connector);
            assertThat(messenger(connector)).isSameAs(guard);
            ConnectionHandle handle = connector.createConnection(InetAddress.getLoopbackAddress(), 9,
                    CipherSuites.of(new BmcAddress("127.0.0.1", 9, "u", 3, false)), PrivilegeLevel.User);
            guard.watch(handle.getHandle(), new Rmcp.Suite(3, 1, 1, 1), "127.0.0.1:9");
            assertThat(guard.dropped()).isZero();
            connector.closeConnection(handle);
        } finally {
            connector.tearDown();
        }
    }

    private static Object messenger(IpmiConnector connector) throws ReflectiveOperationException {
        Field a = IpmiConnector.class.getDeclaredField("asyncConnector");
        a.setAccessible(true);
        Field m = IpmiAsyncConnector.class.getDeclaredField("connectionManager");
        m.setAccessible(true);
        Field g = ConnectionManager.class.getDeclaredField("messenger");
        g.setAccessible(true);
        return g.get(m.get(a.get(connector)));
    }
}
