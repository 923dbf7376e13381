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
     * @throws IOException with a one-line message naming what is wrong ("cannot open /dev/ttyS9: no
     *                     such file", "BMC 10.0.0.8:623 refused user admin's password")
     */
    ConsoleLink open(String console, Endpoint endpoint) throws IOException;
}
