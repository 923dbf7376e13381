package org.ctys.consoled;

import org.ctys.console.ConsoleLink;

/**
 * A console's far end as {@link Openers} opens it for the daemon: a {@link ConsoleLink} whose
 * {@link #await} sleeps in the kernel until data arrives, whose {@link #read()} never blocks and
 * throws once the console is gone, and which the daemon closes when it drops or reopens the console.
 */
public interface OpenLink extends ConsoleLink, AutoCloseable {

    /** Frees what the link holds (the line, the BMC session, the SSH channel, the process, the socket); never fails. */
    @Override
    void close();
}
