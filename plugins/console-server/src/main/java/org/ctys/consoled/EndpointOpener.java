package org.ctys.consoled;

import java.io.IOException;
import org.ctys.console.ConsoleLink;

/**
 * Opens the far end of a console for the daemon. The link's {@link ConsoleLink#await} must wake
 * when data arrives (the daemon's reader waits there, one thread per console), and its
 * {@link ConsoleLink#read()} throws once the console is gone, so the daemon can reopen it.
 */
public interface EndpointOpener {

    /**
     * @param console the console's name, for messages
     * @throws IOException with a one-line message naming the endpoint and what is wrong ("serial line
     *                     /dev/ttyS9: no such device", "wrong password for user 'admin' on BMC
     *                     10.0.0.8:623 (the BMC's key exchange does not match it)"); never a secret
     */
    ConsoleLink open(String console, Endpoint endpoint) throws IOException;
}
