package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Inventory;
import org.ctys.inventory.InventoryLoader;
import org.ctys.spi.Remote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a guest console runs and what it runs: the host as a ctys target, the command of its hypervisor. */
class GuestLinkTest {
    @TempDir Path dir;

    private Inventory inventory() throws IOException {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, """
                machines:
                  kvm01:
                    host: 10.0.0.5
                    ssh: {user: admin, port: 2222, jump: [gw01]}
                    hypervisor: kvm
                    uri: qemu+ssh://other/system
                  xen01:
                    hypervisor: xen
                """);
        return InventoryLoader.parse(file);
    }

    @Test
    void anInventoryMachineIsReachedWithItsAddressUserPortAndJumpHosts() throws IOException {
        assertThat(GuestLink.remote("kvm01", inventory())).isEqualTo(new Remote("10.0.0.5", "admin", 2222, List.of("gw01")));
    }

    @Test
    void anyOtherHostIsUserAtHostColonPort() throws IOException {
        assertThat(GuestLink.remote("root@127.0.0.1:2022", inventory())).isEqualTo(new Remote("127.0.0.1", "root", 2022, List.of()));
        assertThat(GuestLink.remote("kvm02", inventory())).isEqualTo(new Remote("kvm02", null, null, List.of()));
        assertThatThrownBy(() -> GuestLink.remote("root@@x y", inventory())).isInstanceOf(IOException.class)
                .hasMessage("host 'root@@x y' is neither a machine of the inventory nor " + org.ctys.grammar.JumpSpec.FORM_TEXT);
    }

    @Test
    void theCommandIsTheHypervisorsConsoleWithTheUriOfTheEndpointElseTheHostsElseTheSystemOne() throws IOException {
        Inventory inv = inventory();
        assertThat(GuestLink.command(new Endpoint.Guest("kvm01", "web1", Hypervisor.KVM, null), inv.machine("kvm01").get()))
                .isEqualTo("virsh -c qemu+ssh://other/system console web1");
        assertThat(GuestLink.command(new Endpoint.Guest("kvm01", "web1", Hypervisor.KVM, "qemu:///session"), inv.machine("kvm01").get()))
                .isEqualTo("virsh -c qemu:///session console web1");
        assertThat(GuestLink.command(new Endpoint.Guest("h", "my guest", Hypervisor.KVM, null), null))
                .isEqualTo("virsh -c qemu:///system console 'my guest'");
        assertThat(GuestLink.command(new Endpoint.Guest("xen01", "web2", Hypervisor.XEN, null), inv.machine("xen01").get()))
                .isEqualTo("xl console web2");
        assertThatThrownBy(() -> GuestLink.command(new Endpoint.Guest("h", "g", Hypervisor.NONE, null), null))
                .hasMessage("virsh console g on h: hypervisor none has no console (valid: kvm, xen)");
    }
}
