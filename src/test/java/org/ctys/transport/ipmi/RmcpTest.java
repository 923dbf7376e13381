package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
        assertThatThrownBy(() -> Rmcp.parse(packet, packet.length, keys)).isInstanceOf(BadPacket.class)
                .hasMessage("integrity check");
    }

    // ---- what parse refuses: each a BadPacket, whatever the integrity code says ----

    private static Rmcp.Keys keys() throws Exception {
        return new Rmcp.Keys(CipherSuites.rmcp(BMC), new byte[20]);
    }

    /** A reply "power is on" as a BMC sends it: encrypted, padded, authenticated (suite 3). */
    private static byte[] reply(Rmcp.Keys keys) throws Exception {
        return Rmcp.session(Rmcp.PAYLOAD_IPMI, 0x11223344, 9, chassisStatusReply(), keys, new SecureRandom());
    }

    /** Get Chassis Status's response (rqSeq 1): requester 81h, netFn 01h, responder 20h, power on. */
    private static byte[] chassisStatusReply() {
        byte[] m = {(byte) 0x81, 0x01 << 2, 0, 0x20, 1 << 2, 0x01, 0x00, 0x01, 0x00, 0x00, 0};
        m[2] = (byte) -(m[0] + m[1]);
        int sum = 0;
        for (int i = 3; i < m.length - 1; i++) sum += m[i];
        m[m.length - 1] = (byte) -sum;
        return m;
    }

    /** A new integrity code over the packet as it now is: a sender with the keys can make any packet authentic. */
    private static byte[] signed(byte[] p, Rmcp.Keys keys) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(keys.k1, "HmacSHA1"));
        mac.update(p, 4, p.length - 12 - 4);
        System.arraycopy(mac.doFinal(), 0, p, p.length - 12, 12);
        return p;
    }

    private static void refused(byte[] p, Rmcp.Keys keys, String reason) {
        assertThatThrownBy(() -> Rmcp.parse(p, p.length, keys)).isInstanceOf(BadPacket.class).hasMessage(reason);
    }

    @Test
    void aWellFormedReplyIsReadWithItsSequenceNumber() throws Exception {
        Rmcp.Keys keys = keys();
        byte[] p = reply(keys);

        Rmcp.Received r = Rmcp.parse(p, p.length, keys);

        assertThat(r.sequence()).isEqualTo(9);
        assertThat(r.authenticated()).isTrue();
        assertThat(Rmcp.response(r.payload()).data()).containsExactly(0x01, 0x00, 0x00);
    }

    @Test
    void theIntegrityPadMustBeFfBytes() throws Exception {
        Rmcp.Keys keys = keys();
        byte[] p = reply(keys);
        int padLengthAt = p.length - 12 - 2;
        assertThat(p[padLengthAt]).as("AES payloads need a pad of 2").isEqualTo((byte) 2);
        p[padLengthAt - 1] = 0x00;
        refused(signed(p, keys), keys, "integrity pad byte");
    }

    @Test
    void thePadLengthMustBeThePadsLength() throws Exception {
        Rmcp.Keys keys = keys();
        byte[] p = reply(keys);
        p[p.length - 12 - 2] = 1;
        refused(signed(p, keys), keys, "pad length byte");
    }

    @Test
    void thePadMustMakeAMultipleOfFour() throws Exception {
        Rmcp.Keys keys = keys();
        byte[] p = reply(keys);
        // one pad byte more: FF FF FF, pad length 3
        byte[] longer = new byte[p.length + 1];
        int padAt = p.length - 12 - 4;
        System.arraycopy(p, 0, longer, 0, padAt);
        longer[padAt] = (byte) 0xFF;
        longer[padAt + 1] = (byte) 0xFF;
        longer[padAt + 2] = (byte) 0xFF;
        longer[padAt + 3] = 3;
        longer[padAt + 4] = 0x07;
        refused(signed(longer, keys), keys, "integrity pad length");
    }

    @Test
    void theNextHeaderMustBe07() throws Exception {
        Rmcp.Keys keys = keys();
        byte[] p = reply(keys);
        p[p.length - 12 - 1] = 0x06;
        refused(signed(p, keys), keys, "next header");
    }

    @Test
    void bothMessageChecksumsAreChecked() throws Exception {
        byte[] m = chassisStatusReply();
        assertThat(Rmcp.response(m).rqSeq()).isEqualTo(1);

        byte[] header = m.clone();
        header[2]++;
        assertThatThrownBy(() -> Rmcp.response(header)).isInstanceOf(BadPacket.class).hasMessage("IPMI header checksum");
        byte[] data = m.clone();
        data[7] ^= 1;
        assertThatThrownBy(() -> Rmcp.response(data)).isInstanceOf(BadPacket.class).hasMessage("IPMI data checksum");
        assertThatThrownBy(() -> Rmcp.response(Arrays.copyOf(m, 7))).isInstanceOf(BadPacket.class)
                .hasMessage("short IPMI message");
    }

    @Test
    void truncatedOversizedAndTrailingBytesAreRefused() throws Exception {
        Rmcp.Keys keys = keys();
        byte[] p = reply(keys);
        for (int n = 0; n < p.length; n++) {
            byte[] cut = Arrays.copyOf(p, n);
            assertThatThrownBy(() -> Rmcp.parse(cut, cut.length, keys)).as("cut to " + n).isInstanceOf(BadPacket.class);
        }
        byte[] huge = Arrays.copyOf(p, Rmcp.MAX_PACKET + 1);
        refused(huge, keys, "oversized packet");
        byte[] open = Rmcp.sessionless(Rmcp.OPEN_SESSION_RESPONSE, new byte[36]);
        refused(Arrays.copyOf(open, open.length + 1), null, "bytes after the payload");
    }

    @Test
    void aSessionPacketBeforeTheSessionHasKeysCannotClaimAnIntegrityCode() throws Exception {
        Rmcp.Keys keys = keys();
        refused(reply(keys), null, "unexpected integrity trailer");
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
