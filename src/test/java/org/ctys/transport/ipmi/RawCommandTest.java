package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.metricshub.ipmi.core.coding.payload.lan.IpmiLanRequest;
import org.metricshub.ipmi.core.coding.payload.lan.NetworkFunction;
import org.junit.jupiter.api.Test;

/** The requests the library has no class for, byte by byte against IPMI v2.0. */
class RawCommandTest {
    private static final BmcAddress BMC = new BmcAddress("127.0.0.1", 623, "admin", 3, false);

    private static byte[] data(RawCommand c) {
        return ((IpmiLanRequest) c.preparePayload(1)).getData();
    }

    @Test
    void chassisControlCarriesTheRequestCode() throws Exception {
        RawCommand cycle = RawCommand.chassisControl(CipherSuites.of(BMC), ChassisAction.CYCLE);
        assertThat(cycle.getNetworkFunction()).isEqualTo(NetworkFunction.ChassisRequest);
        assertThat(cycle.getCommandCode()).isEqualTo((byte) 0x02);
        assertThat(data(cycle)).containsExactly(0x02);
        assertThat(data(RawCommand.chassisControl(CipherSuites.of(BMC), ChassisAction.SOFT))).containsExactly(0x05);
        assertThat(data(RawCommand.chassisControl(CipherSuites.of(BMC), ChassisAction.RESET))).containsExactly(0x03);
    }

    @Test
    void bootFlagsAreParameterFiveValidOnceOrPersistent() throws Exception {
        RawCommand once = RawCommand.bootFlags(CipherSuites.of(BMC), BootDevice.PXE, false);
        assertThat(once.getCommandCode()).isEqualTo((byte) 0x08);
        assertThat(data(once)).containsExactly(0x05, 0x80, 0x04, 0, 0, 0);
        assertThat(data(RawCommand.bootFlags(CipherSuites.of(BMC), BootDevice.BIOS, true)))
                .containsExactly(0x05, 0xC0, 0x18, 0, 0, 0);
        assertThat(data(RawCommand.bootFlags(CipherSuites.of(BMC), BootDevice.CDROM, false))[2]).isEqualTo((byte) 0x14);
        assertThat(data(RawCommand.bootFlags(CipherSuites.of(BMC), BootDevice.DISK, false))[2]).isEqualTo((byte) 0x08);
    }

    @Test
    void cipherSuiteZeroIsRefusedUnlessAllowed() throws Exception {
        assertThatThrownBy(() -> CipherSuites.of(new BmcAddress("b", 623, "u", 0, false)))
                .isInstanceOfSatisfying(BmcException.class, e -> assertThat(e.kind()).isEqualTo(BmcException.Kind.REFUSED))
                .hasMessageContaining("authenticates nothing");
        assertThat(CipherSuites.of(new BmcAddress("b", 623, "u", 0, true)).getId()).isEqualTo((byte) 0);
    }

    @Test
    void suitesTheLibraryLacksAreNamed() {
        assertThatThrownBy(() -> CipherSuites.of(new BmcAddress("b", 623, "u", 4, false)))
                .hasMessageContaining("cipher suite 4").hasMessageContaining("valid: ");
    }

    @Test
    void suiteSeventeenIsSha256WithAes() throws Exception {
        var s = CipherSuites.of(new BmcAddress("b", 623, "u", 17, false));
        assertThat(s.getId()).isEqualTo((byte) 17);
    }
}
