package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NicModulesTest {
    @TempDir Path dir;

    private static final String DEP = """
            kernel/drivers/net/virtio_net.ko.xz: kernel/drivers/net/net_failover.ko.xz kernel/net/core/failover.ko.xz kernel/drivers/virtio/virtio.ko.xz
            kernel/drivers/net/net_failover.ko.xz: kernel/net/core/failover.ko.xz
            kernel/net/core/failover.ko.xz:
            kernel/drivers/virtio/virtio.ko.xz:
            kernel/drivers/virtio/virtio_pci.ko.xz: kernel/drivers/virtio/virtio.ko.xz
            kernel/drivers/net/ethernet/intel/e1000/e1000.ko.xz:
            kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko.xz: kernel/drivers/ptp/ptp.ko.xz
            kernel/drivers/ptp/ptp.ko.xz:
            kernel/drivers/net/ethernet/realtek/r8169.ko.xz: kernel/drivers/net/phy/realtek.ko.xz
            kernel/drivers/net/phy/realtek.ko.xz:
            kernel/sound/core/snd.ko.xz:
            kernel/drivers/net/wireless/foo-bar.ko.xz:
            """;

    @Test
    void theEthernetDriversVirtioAndEveryDependencyAreChosenAndNothingElse() throws Exception {
        Set<String> chosen = NicModules.choose(NicModules.readDeps(Files.writeString(dir.resolve("modules.dep"), DEP)));
        assertThat(chosen.stream().map(NicModules::moduleName)).containsExactlyInAnyOrder("virtio_net", "net_failover", "failover",
                "virtio", "virtio_pci", "e1000", "e1000e", "ptp", "r8169", "realtek");
    }

    @Test
    void aKernelWithoutTheNamedModulesIsRefusedNamingThem() throws Exception {
        Path dep = Files.writeString(dir.resolve("modules.dep"), "kernel/drivers/net/ethernet/intel/e1000/e1000.ko:\n");
        assertThatThrownBy(() -> NicModules.choose(NicModules.readDeps(dep))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[virtio_net, virtio_pci, e1000e] are not in modules.dep");
    }

    @Test
    void onlyTheChosenModulesAliasesAreKeptAndCompressionIsDropped() throws Exception {
        Path alias = Files.writeString(dir.resolve("modules.alias"), """
                # Aliases extracted from modules themselves.
                alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
                alias virtio:d00000001v* virtio_net
                alias usb:v0BDAp8153d*dc*dsc*dp*ic*isc*ip*in* r8152
                alias of:N*T*Cfoo-bar foo-bar
                """);
        assertThat(NicModules.aliases(alias, Set.of("e1000", "virtio_net", "foo_bar"))).isEqualTo("""
                alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
                alias virtio:d00000001v* virtio_net
                alias of:N*T*Cfoo-bar foo-bar
                """);
        assertThat(NicModules.plain("kernel/a/b-c.ko.zst")).isEqualTo("kernel/a/b-c.ko");
        assertThat(NicModules.moduleName("kernel/a/b-c.ko.zst")).isEqualTo("b_c");
    }
}
