package org.ctys.engine;

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
            return Opened.link(new SolConsoleLink(sol), "the console of " + step.target(), "sol-lost", "the console was left",
                    () -> {
                        try (client) {
                            sol.close();
                        }
                    });
        } catch (BmcException e) {
            client.close();
            throw new Failure(Bmcs.failure(e));
        }
    }
}
