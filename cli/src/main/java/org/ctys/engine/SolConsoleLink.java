package org.ctys.engine;

import java.io.IOException;
import org.ctys.console.ConsoleLink;
import org.ctys.transport.ipmi.BmcException;
import org.ctys.transport.ipmi.SolConsole;

/**
 * An active Serial-over-LAN console as a console's far end, the one adapter for {@code -t sol} and
 * the console server's SOL consoles: the BMC's failures become IOExceptions carrying the
 * transport's one-line message (never a secret), with SOL's break and the question whether the
 * console is still active for this session.
 */
public final class SolConsoleLink implements ConsoleLink {
    private final SolConsole sol;

    public SolConsoleLink(SolConsole sol) { this.sol = sol; }

    /** A BMC's failure as a console link reports it: the link is gone, for the reason the transport gives. */
    public static IOException gone(BmcException e) { return new IOException(e.getMessage(), e); }

    @Override
    public byte[] read() throws IOException {
        try {
            return sol.read();
        } catch (BmcException e) {
            throw gone(e);
        }
    }

    @Override
    public void write(byte[] data, int length) throws IOException {
        try {
            sol.write(data, length);
        } catch (BmcException e) {
            throw gone(e);
        }
    }

    @Override
    public boolean sendBreak() throws IOException {
        try {
            return sol.sendBreak();
        } catch (BmcException e) {
            throw gone(e);
        }
    }

    @Override
    public void checkAlive() throws IOException {
        try {
            sol.checkAlive();
        } catch (BmcException e) {
            throw gone(e);
        }
    }
}
