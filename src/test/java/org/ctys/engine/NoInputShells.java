package org.ctys.engine;

import java.io.OutputStream;
import java.time.Duration;
import org.ctys.engine.run.Shells;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;

/**
 * The engine tests' stand-ins for SSH: they hold output in memory and run no command that reads input;
 * a login always succeeds, and shells, consoles and forwards are refused unless a stand-in has them.
 */
abstract class NoInputShells implements Shells {
    @Override
    public void login(Remote remote, Duration timeout) throws Failure {}

    @Override
    public org.ctys.console.ConsoleLink shell(Remote remote, org.ctys.console.ConsoleSession.Pty pty) throws Failure {
        throw new Failure(Failure.Kind.FAILED, "no shells in this stand-in");
    }

    @Override
    public org.ctys.console.ConsoleLink console(Remote remote, String command, org.ctys.console.ConsoleSession.Pty pty,
                                                Duration start) throws Failure {
        throw new Failure(Failure.Kind.FAILED, "no consoles in this stand-in");
    }

    @Override
    public Tunnel forward(Remote remote, String host, int port) throws Failure {
        throw new Failure(Failure.Kind.FAILED, "no forwards in this stand-in");
    }

    @Override
    public void close() {}

    @Override
    public Output exec(Remote remote, String command, Duration timeout, byte[] input, OutputStream out, OutputStream err)
            throws Failure {
        if (input != null && input.length > 0) throw new AssertionError("this stand-in gives no command input: " + command);
        return exec(remote, command, timeout, out, err);
    }
}
