package org.ctys.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SshSettings;
import org.ctys.inventory.WolSettings;
import org.junit.jupiter.api.Test;

class TargetTest {

    private static Machine machine(String name, String host) {
        return new Machine(name, host, List.of(), WolSettings.NONE, null, new SshSettings(null, null, List.of()),
                Hypervisor.NONE, null, Map.of(), null, false, null);
    }

    @Test
    void theLabelShowsUserAndStack() {
        assertThat(new Target("pm01", "root", List.of("vm1", "c2"), null, null).label()).isEqualTo("root@pm01[vm1][c2]");
        assertThat(new Target("pm01", null, List.of(), null, null).label()).isEqualTo("pm01");
        // written so that the target grammar reads it back (the ctys inside an xterm does)
        Target v6 = new Target("fe80::1%v0", "root", List.of("vm1"), null, null);
        assertThat(v6.label()).isEqualTo("root@[fe80::1%v0][vm1]");
        assertThat(v6.display()).isEqualTo("[fe80::1%v0][vm1]");
        assertThat(org.ctys.grammar.TargetParser.parse(List.of(v6.label())).get(0).name()).isEqualTo("fe80::1%v0");
        assertThat(new Target("::1", "root", List.of(), null, null).label()).isEqualTo("root@::1");
    }

    @Test
    void theAddressIsTheInventorysHostElseTheName() {
        assertThat(new Target("pm01", null, List.of(), machine("pm01", "10.0.0.1"), null).address()).isEqualTo("10.0.0.1");
        assertThat(new Target("lab7", null, List.of(), null, null).address()).isEqualTo("lab7");
    }

    @Test
    void onlyTheLocalHostWithoutGuestsIsLocal() {
        assertThat(new Target("localhost", null, List.of(), null, null).isLocal()).isTrue();
        assertThat(new Target("127.0.0.1", "me", List.of(), null, null).isLocal()).isTrue();
        assertThat(new Target("::1", null, List.of(), null, null).isLocal()).isTrue();
        assertThat(new Target("localhost", null, List.of("vm1"), null, null).isLocal()).isFalse();
        assertThat(new Target("pm01", null, List.of(), null, null).isLocal()).isFalse();
    }

    @Test
    void fanOutIsTheParallelBoundOrOneWhenSequential() {
        assertThat(GenericOptions.defaults().fanOut()).isEqualTo(GenericOptions.DEFAULT_PARALLEL);
        assertThat(new GenericOptions(null, 8, false, false, null, false, null, false, 0).fanOut()).isEqualTo(8);
        assertThat(new GenericOptions(null, 8, true, false, null, false, null, false, 0).fanOut()).isEqualTo(1);
        assertThat(new GenericOptions(null, 0, false, false, null, false, null, false, 0).fanOut()).isEqualTo(1);
    }
}
