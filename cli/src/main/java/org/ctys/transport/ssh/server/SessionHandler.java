package org.ctys.transport.ssh.server;

import java.io.IOException;

/** What the front door does with a session: runs in a thread of its own for each session. */
@FunctionalInterface
public interface SessionHandler {

    /** Serves the session until it ends; the returned value is the exit status the client sees. */
    int serve(FrontDoorSession session) throws IOException;
}
