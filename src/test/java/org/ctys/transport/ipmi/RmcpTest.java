package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The RMCP+ wire format and the requests ctys encodes itself, byte by byte against IPMI v2.0. */
class RmcpTest {
    private static final BmcAddress BMC = new BmcAddress("127.0.0.1", 623, "admin", 3, false);

    @Test
    void chassisControlCarriesTheRequestCode() {
        assertThat(BmcSession.chassisControl(ChassisAction.OFF)).containsExactly(0x00);
        assertThat(BmcSession.chassisControl(ChassisAction.ON)).containsExactly(0x01);
        assertThat(BmcSession.chassisControl(ChassisAction.CYCLE)).containsExactly(0x02);
        assertThat(BmcSession.chassisControl(ChassisAction.RESET)).containsExactly(0x03);
        assertThat(BmcSession.chassisControl(ChassisAction.SOFT)).containsExactly(0x05);
    }

    @Test
    void bootFlagsAreParameterFiveValidOnceOrPersistent() {
        assertThat(BmcSession.bootFlags(BootDevice.PXE, false)).containsExactly(0x05, 0x80, 0x04, 0, 0, 0);
        assertThat(BmcSession.bootFlags(BootDevice.BIOS, true)).containsExactly(0x05, 0xC0, 0x18, 0, 0, 0);
        assertThat(BmcSession.bootFlags(BootDevice.CDROM, false)[2]).isEqualTo((byte) 0x14);
        assertThat(BmcSession.bootFlags(BootDevice.DISK, false)[2]).isEqualTo((byte) 0x08);
    }

    @Test
    void aRequestMessageHasBothChecksums() {
        byte[] m = Rmcp.request(0x00, 0x01, 5, new byte[0]);
        assertThat(m).containsExactly(0x20, 0x00, 0xE0, 0x81, 0x14, 0x01, 0x6A);
        int sum = 0;
        for (int i = 3; i < m.length; i++) sum += m[i];
        assertThat(sum & 0xFF).isZero();
    }

    @Test
    void aSessionPacketIsEncryptedAuthenticatedAndReadBack() throws Exception {
        Rmcp.Keys keys = new Rmcp.Keys(CipherSuites.rmcp(BMC), new byte[20]);
        byte[] message = Rmcp.request(0x00, 0x02, 1, new byte[] {0x01});

        byte[] packet = Rmcp.session(Rmcp.PAYLOAD_IPMI, 0x11223344, 7, message, keys, new SecureRandom());

        assertThat(packet[5] & 0xC0).as("encrypted and authenticated").isEqualTo(0xC0);
        assertThat((packet.length - 4 - 12) % 4).as("integrity pad to a multiple of 4").isZero();
        assertThat(packet[packet.length - 13]).as("next header").isEqualTo((byte) 0x07);
        Rmcp.Received back = Rmcp.parse(packet, packet.length, keys);
        assertThat(back.sessionId()).isEqualTo(0x11223344);
        assertThat(back.payload()).containsExactly(message);
    }

    @Test
    void aPacketWithAWrongIntegrityCodeIsRefused() throws Exception {
        Rmcp.Keys keys = new Rmcp.Keys(CipherSuites.rmcp(BMC), new byte[20]);
        byte[] packet = Rmcp.session(Rmcp.PAYLOAD_IPMI, 1, 1, Rmcp.request(0, 1, 1, new byte[0]), keys, new SecureRandom());
        packet[packet.length - 1] ^= 1;
        assertThatThrownBy(() -> Rmcp.parse(packet, packet.length, keys)).hasMessageContaining("integrity");
    }

    @Test
    void repliesAreRoutedByTheConsolesSessionId() {
        byte[] payload = new byte[36];
        payload[4] = 0x78;
        payload[5] = 0x56;
        payload[6] = 0x34;
        payload[7] = 0x12;
        byte[] reply = Rmcp.sessionless(Rmcp.OPEN_SESSION_RESPONSE, payload);
        assertThat(RmcpSocket.consoleSessionId(reply)).isEqualTo(0x12345678);
        assertThat(RmcpSocket.consoleSessionId(new byte[] {1, 2, 3})).isNull();
    }

    @Test
    void cipherSuiteZeroIsRefusedUnlessAllowed() throws Exception {
        assertThatThrownBy(() -> CipherSuites.rmcp(new BmcAddress("b", 623, "u", 0, false)))
                .isInstanceOfSatisfying(BmcException.class, e -> assertThat(e.kind()).isEqualTo(BmcException.Kind.REFUSED))
                .hasMessageContaining("authenticates nothing");
        assertThat(CipherSuites.rmcp(new BmcAddress("b", 623, "u", 0, true)).authMac()).isNull();
    }

    @Test
    void suitesWithoutAnImplementationAreNamed() {
        assertThatThrownBy(() -> CipherSuites.rmcp(new BmcAddress("b", 623, "u", 4, false)))
                .hasMessageContaining("cipher suite 4").hasMessageContaining("valid: ");
        assertThatThrownBy(() -> CipherSuites.rmcp(new BmcAddress("b", 623, "u", 8, false)))
                .hasMessageContaining("HMAC-MD5");
    }

    @Test
    void theInventoryAcceptsTheSuitesTheTransportSpeaks() {
        assertThat(CipherSuites.SPOKEN).isEqualTo(org.ctys.inventory.BmcSettings.SPOKEN_CIPHER_SUITES);
        assertThat(CipherSuites.SUPPORTED).isEqualTo("0 (only where allowed), 2, 3, 16, 17");
    }

    @Test
    void suiteSeventeenIsSha256WithAes() throws Exception {
        Rmcp.Suite s = CipherSuites.rmcp(new BmcAddress("b", 623, "u", 17, false));
        assertThat(s.authMac()).isEqualTo("HmacSHA256");
        assertThat(s.integrityLength()).isEqualTo(16);
        assertThat(s.encrypted()).isTrue();
    }
}
