package org.ctys.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SecretRef;
import org.ctys.inventory.SshSettings;
import org.ctys.inventory.WolSettings;
import org.junit.jupiter.api.Test;

/** The console kinds LIST shows: what the inventory entry offers, and what the hypervisor says of a guest. */
class ConsolesTest {
    private static final BmcSettings BMC = new BmcSettings("10.9.0.1", 623, "admin", SecretRef.env("PW"), 3, false);

    private static Machine machine(String name, BmcSettings bmc, String console, String parent) {
        return new Machine(name, "10.0.0.9", List.of(), WolSettings.NONE, bmc, new SshSettings(null, null, List.of()),
                Hypervisor.NONE, null, Map.of(), console, false, parent);
    }

    @Test
    void aMachineOffersSshConsolesAndSolWithABmc() {
        assertThat(Consoles.offered(machine("pm1", null, null, null), null)).isEqualTo("CLI,XTERM,GTERM");
        assertThat(Consoles.offered(machine("pm2", BMC, null, null), null)).isEqualTo("CLI,XTERM,GTERM,SOL");
    }

    @Test
    void aGuestOffersWhatItsEntryAndItsHypervisorSay() {
        assertThat(Consoles.offered(machine("web1", null, "virsh", "pm1"), null)).isEqualTo("CLI,XTERM,GTERM,SERIAL");
        assertThat(Consoles.offered(null, List.of("serial", "vnc:127.0.0.1:5901"))).isEqualTo("SERIAL,VNC");
        assertThat(Consoles.offered(null, List.of("vnc"))).isEqualTo("VNC");
        assertThat(Consoles.offered(null, List.of())).isEmpty();
    }

    @Test
    void onlyConsolesThatTakeTheTerminalAreForOneMachine() {
        assertThat(List.of(Consoles.Kind.values())).filteredOn(Consoles.Kind::ownsTheTerminal)
                .containsExactly(Consoles.Kind.CLI, Consoles.Kind.SOL, Consoles.Kind.SERIAL);
    }
}
