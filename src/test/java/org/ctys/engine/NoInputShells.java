package org.ctys.engine;

import java.io.OutputStream;
import java.time.Duration;
import org.ctys.engine.run.Shells;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;

/** The engine tests' stand-ins for SSH: they hold output in memory and run no command that reads input. */
abstract class NoInputShells implements Shells {
    @Override
    public Output exec(Remote remote, String command, Duration timeout, byte[] input, OutputStream out, OutputStream err)
            throws Failure {
        if (input != null && input.length > 0) throw new AssertionError("this stand-in gives no command input: " + command);
        return exec(remote, command, timeout, out, err);
    }
}
