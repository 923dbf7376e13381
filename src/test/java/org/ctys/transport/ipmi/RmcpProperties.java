package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever arrives, the RMCP+ codec either reads it or refuses it with a {@link BadPacket}, and
 * never crashes: random bytes, random bytes behind a valid header, and valid packets with any byte
 * changed, cut short or grown. A changed authenticated packet is never taken.
 */
class RmcpProperties {
    private static final BmcAddress SUITE_3 = new BmcAddress("b", 623, "u", 3, false);
    private static final BmcAddress SUITE_17 = new BmcAddress("b", 623, "u", 17, false);
    private static final BmcAddress SUITE_2 = new BmcAddress("b", 623, "u", 2, false);

    private static Rmcp.Keys keys(int which) {
        try {
            return new Rmcp.Keys(CipherSuites.rmcp(which == 0 ? SUITE_3 : which == 1 ? SUITE_17 : SUITE_2), new byte[20]);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A packet as a BMC sends it in a session, with a random (well-formed) IPMI response inside. */
    private static byte[] packet(Rmcp.Keys keys, byte[] data, int sequence) {
        byte[] m = new byte[8 + data.length];
        m[0] = (byte) 0x81;
        m[1] = 0x04;
        m[2] = (byte) -(m[0] + m[1]);
        m[3] = 0x20;
        m[4] = 0x04;
        m[5] = 0x01;
        System.arraycopy(data, 0, m, 7, data.length);
        int sum = 0;
        for (int i = 3; i < m.length - 1; i++) sum += m[i];
        m[m.length - 1] = (byte) -sum;
        try {
            return Rmcp.session(Rmcp.PAYLOAD_IPMI, 0x01020304, sequence, m, keys, new SecureRandom());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Parses and, if that works, reads the IPMI message: the only exception allowed is BadPacket. */
    private static boolean readable(byte[] p, int length, Rmcp.Keys keys) {
        try {
            Rmcp.Received r = Rmcp.parse(p, length, keys);
            Rmcp.response(r.payload());
            return true;
        } catch (BadPacket e) {
            assertThat(e.reason()).isNotBlank();
            return false;
        } catch (Throwable t) {
            fail("parse threw " + t + " for " + java.util.HexFormat.of().formatHex(p, 0, Math.min(length, p.length)));
            return false;
        }
    }

    @Provide
    Arbitrary<byte[]> junk() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(Rmcp.MAX_PACKET + 8);
    }

    @Provide
    Arbitrary<byte[]> junkBehindAHeader() {
        // the RMCP and RMCP+ header right, so that random bytes reach the deeper checks
        return Arbitraries.bytes().array(byte[].class).ofMinSize(16).ofMaxSize(200).map(b -> {
            b[0] = 0x06;
            b[1] = 0x00;
            b[2] = (byte) 0xFF;
            b[3] = 0x07;
            b[4] = 0x06;
            return b;
        });
    }

    @Property(tries = 2000)
    void randomBytesAreReadOrRefusedAsABadPacket(@ForAll("junk") byte[] p, @ForAll @IntRange(max = 2) int suite) {
        readable(p, p.length, keys(suite));
        readable(p, p.length, null);
    }

    @Property(tries = 2000)
    void randomBytesBehindAHeaderAreReadOrRefusedAsABadPacket(@ForAll("junkBehindAHeader") byte[] p,
                                                               @ForAll @IntRange(max = 2) int suite) {
        readable(p, p.length, keys(suite));
        readable(p, p.length, null);
    }

    @Property(tries = 1000)
    void anyChangedByteOfAnAuthenticPacketIsRefused(@ForAll @Size(max = 40) byte[] data, @ForAll @IntRange(max = 2) int suite,
                                                    @ForAll @IntRange(max = 10_000) int at,
                                                    @ForAll @IntRange(min = 1, max = 255) int xor) {
        Rmcp.Keys keys = keys(suite);
        byte[] p = packet(keys, data, 7);
        assertThat(readable(p, p.length, keys)).as("unchanged").isTrue();
        p[at % p.length] ^= (byte) xor;
        assertThat(readable(p, p.length, keys)).as("byte " + (at % p.length) + " changed").isFalse();
    }

    @Property(tries = 1000)
    void aPacketCutShortOrGrownIsRefused(@ForAll @Size(max = 40) byte[] data, @ForAll @IntRange(max = 2) int suite,
                                         @ForAll @IntRange(min = -200, max = 200) int change) {
        Rmcp.Keys keys = keys(suite);
        byte[] p = packet(keys, data, 7);
        int length = Math.max(0, p.length + (change == 0 ? 1 : change));
        byte[] q = Arrays.copyOf(p, length);
        assertThat(readable(q, q.length, keys)).as("length " + length + " of " + p.length).isFalse();
    }

    @Property(tries = 1000)
    void anyIpmiMessageIsReadOrRefusedAsABadPacket(@ForAll @Size(max = 64) byte[] m) {
        try {
            Rmcp.response(m);
        } catch (BadPacket e) {
            assertThat(e.reason()).isNotBlank();
        }
    }
}
