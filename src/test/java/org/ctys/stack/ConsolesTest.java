package org.ctys.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SecretRef;
import org.ctys.inventory.SerialSettings;
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
    void aMachineWithASerialLineOffersSerialAndOneWithAVncEntryVnc() {
        Machine m = machine("pm3", null, null, null);
        Machine serial = new Machine(m.name(), m.host(), m.macs(), m.wol(), m.bmc(), m.ssh(), m.hypervisor(), m.uri(), m.guests(),
                m.console(), m.viaHostOnly(), m.parent(), null, SerialSettings.defaults("/dev/ttyS0"));
        Machine vnc = new Machine(m.name(), m.host(), m.macs(), m.wol(), BMC, m.ssh(), m.hypervisor(), m.uri(), m.guests(),
                m.console(), m.viaHostOnly(), m.parent(), SecretRef.env("VNC_PW"), null);
        assertThat(Consoles.offered(serial, null)).isEqualTo("CLI,XTERM,GTERM,SERIAL");
        assertThat(Consoles.offered(vnc, null)).isEqualTo("CLI,XTERM,GTERM,SOL,VNC");
        // a guest's VNC display: from its vnc: entry as from its hypervisor, once
        Machine guest = new Machine("web1", "10.0.0.9", List.of(), WolSettings.NONE, null, m.ssh(), Hypervisor.NONE, null, Map.of(),
                null, false, "pm1", SecretRef.env("VNC_PW"), null);
        assertThat(Consoles.offered(guest, List.of("vnc:127.0.0.1:5901"))).isEqualTo("CLI,XTERM,GTERM,VNC");
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
