package org.ctys.engine;

import java.io.IOException;
import org.ctys.console.ConsoleLink;
import org.ctys.engine.run.Bmcs;
import org.ctys.spi.AttachSol;
import org.ctys.transport.ipmi.BmcException;
import org.ctys.transport.ipmi.IpmiClient;
import org.ctys.transport.ipmi.SolConsole;

/**
 * A machine's Serial-over-LAN as a console: activated on its BMC (deactivating another session's
 * first with FORCE, the console having one owner), with its break; leaving with {@code ~.} is
 * success. A console that could not be activated, or whose BMC stopped answering, is a failure.
 */
final class SolOpener implements ConsoleOpener<AttachSol> {

    @Override
    public String target(AttachSol step) { return step.target(); }

    @Override
    public Opened open(AttachSol step, Context context) throws Failure {
        IpmiClient client = new IpmiClient();
        try {
            SolConsole sol = client.sol(Bmcs.address(step.bmc()), context.secret(step.bmc().password()),
                    context.secret(step.bmc().bmcKey()), step.force());
            return Opened.link(link(sol), "the console of " + step.target(), "sol-lost", "the console was left", () -> {
                try (client) {
                    sol.close();
                }
            });
        } catch (BmcException e) {
            client.close();
            throw new Failure(Bmcs.failure(e));
        }
    }

    private static ConsoleLink link(SolConsole sol) {
        return new ConsoleLink() {
            @Override
            public byte[] read() throws IOException {
                try {
                    return sol.read();
                } catch (BmcException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void write(byte[] data, int length) throws IOException {
                try {
                    sol.write(data, length);
                } catch (BmcException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public boolean sendBreak() throws IOException {
                try {
                    return sol.sendBreak();
                } catch (BmcException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void checkAlive() throws IOException {
                try {
                    sol.checkAlive();
                } catch (BmcException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        };
    }
}
