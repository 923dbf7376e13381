package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ctys's RMCP+ sessions against a BMC that misbehaves ({@link FakeBmc}): replayed replies, replies
 * whose integrity code is right but whose trailer or message is not, junk, a BMC key (K_G).
 */
class RmcpSessionTest {
    private static final String USER = "admin";
    private static final String PASSWORD = "secret-pw";
    private static final byte[] OFF = {0x00, 0, 0};
    private static final byte[] ON = {0x01, 0, 0};
    private static final IpmiClient.Timing FAST = new IpmiClient.Timing(Duration.ofMillis(150), 3);

    private final List<AutoCloseable> open = new ArrayList<>();
    /** The socket of the last session made: its loop thread does the session's HMAC and AES. */
    private RmcpSocket socket;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private FakeBmc bmc(byte[] bmcKey, int suite, FakeBmc.Script script) throws IOException {
        FakeBmc b = new FakeBmc(USER, PASSWORD, bmcKey, suite, script);
        open.add(b);
        return b;
    }

    private RmcpSession session(FakeBmc b, int suite, byte[] bmcKey) throws Exception {
        socket = new RmcpSocket();
        open.add(socket);
        BmcAddress address = new BmcAddress("127.0.0.1", b.port(), USER, suite, false);
        RmcpSession s = RmcpSession.open(socket, new InetSocketAddress("127.0.0.1", b.port()), address,
                PASSWORD.getBytes(StandardCharsets.UTF_8), bmcKey, IpmiClient.Privilege.USER, CipherSuites.rmcp(address), FAST);
        open.add(s);
        return s;
    }

    private static PowerState power(RmcpSession s) throws Exception {
        return new BmcSession(s, null).power();
    }

    private static boolean isChassisStatus(FakeBmc.Request q) { return q.netFn() == 0x00 && q.command() == 0x01; }

    /** Answers Close Session, and chassis status with {@code power}. */
    private static void answer(FakeBmc bmc, FakeBmc.Request q, byte[] power) throws IOException {
        bmc.send(isChassisStatus(q) ? bmc.reply(q, 0, power) : bmc.reply(q, 0), q.from());
    }

    // ---- replay ----

    @Test
    void aReplayedReplyIsDroppedThoughItsRequestSequenceMatches() throws Exception {
        // the machine was off at the first question and is on since; 64 questions later the request
        // sequence (6 bits) is the first one's again, and the BMC's first "off" is sent once more
        AtomicInteger asked = new AtomicInteger();
        FakeBmc b = bmc(null, 3, (bmc, q) -> {
            if (!isChassisStatus(q)) {
                answer(bmc, q, ON);
                return;
            }
            int n = asked.incrementAndGet();
            if (n == 65) {
                bmc.send(bmc.sent().get(0), q.from()); // byte for byte: its integrity code is right
            } else {
                answer(bmc, q, n == 1 ? OFF : ON);
            }
        });
        RmcpSession s = session(b, 3, null);

        assertThat(power(s)).isEqualTo(PowerState.OFF);
        for (int i = 2; i <= 64; i++) assertThat(power(s)).isEqualTo(PowerState.ON);
        PowerState afterReplay = power(s);

        assertThat(afterReplay).as("the replayed \"off\" is no answer").isEqualTo(PowerState.ON);
        assertThat(asked.get()).as("the replay was sent, then the request was tried again").isEqualTo(66);
        assertThat(s.drops()).containsEntry("a replayed or out-of-window session sequence number", 1);
    }

    @Test
    void aReplyThatCameTwiceIsTakenOnce() throws Exception {
        FakeBmc b = bmc(null, 3, (bmc, q) -> {
            byte[] reply = isChassisStatus(q) ? bmc.reply(q, 0, ON) : bmc.reply(q, 0);
            bmc.send(reply, q.from());
            bmc.send(reply, q.from());
        });
        RmcpSession s = session(b, 3, null);

        assertThat(power(s)).isEqualTo(PowerState.ON);
        assertThat(power(s)).isEqualTo(PowerState.ON);

        // each second copy comes after its answer was taken, and is examined as it comes: its number is used
        long until = System.nanoTime() + 2_000_000_000L;
        while (s.drops().getOrDefault("a replayed or out-of-window session sequence number", 0) < 2
                && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(s.drops()).containsEntry("a replayed or out-of-window session sequence number", 2);
    }

    // ---- a right integrity code on a wrong packet ----

    @ParameterizedTest
    @CsvSource({
            "PAD_BYTE, integrity pad byte",
            "PAD_LENGTH, pad length byte",
            "NEXT_HEADER, next header",
            "HEADER_CHECKSUM, IPMI header checksum",
            "DATA_CHECKSUM, IPMI data checksum",
            "CONFIDENTIALITY_PAD, confidentiality pad"})
    void aFlawedReplyIsDroppedAndTheRightOneTaken(FakeBmc.Flaw flaw, String reason) throws Exception {
        FakeBmc b = bmc(null, 3, (bmc, q) -> {
            if (isChassisStatus(q)) bmc.send(bmc.reply(q, flaw, 0, OFF), q.from());
            answer(bmc, q, ON);
        });
        RmcpSession s = session(b, 3, null);

        assertThat(power(s)).isEqualTo(PowerState.ON);
        assertThat(s.drops()).containsEntry(reason, 1);
    }

    @Test
    void aReplyWithAnotherSessionIdNeverReachesTheSession() throws Exception {
        FakeBmc b = bmc(null, 3, (bmc, q) -> {
            if (isChassisStatus(q)) bmc.send(bmc.reply(q, FakeBmc.Flaw.SESSION_ID, 0, OFF), q.from());
            answer(bmc, q, ON);
        });
        RmcpSession s = session(b, 3, null);

        assertThat(power(s)).isEqualTo(PowerState.ON);
    }

    // ---- heard ----

    @Test
    void junkAddressedToTheSessionIsNotAnAnswer() throws Exception {
        FakeBmc b = bmc(null, 3, (bmc, q) -> answer(bmc, q, ON));
        b.answerWithJunk();

        assertThatThrownBy(() -> session(b, 3, null))
                .isInstanceOfSatisfying(BmcException.class, e -> assertThat(e.kind()).isEqualTo(BmcException.Kind.UNREACHABLE))
                .hasMessageContaining("does not answer")
                .hasMessageContaining("3 packets from it dropped");
    }

    @Test
    void aBmcThatAuthenticatedAndThenSendsJunkStoppedAnswering() throws Exception {
        FakeBmc b = bmc(null, 3, (bmc, q) -> answer(bmc, q, ON));
        RmcpSession s = session(b, 3, null);
        b.answerWithJunk();

        assertThatThrownBy(() -> power(s))
                .isInstanceOfSatisfying(BmcException.class, e -> assertThat(e.kind()).isEqualTo(BmcException.Kind.STOPPED))
                .hasMessageContaining("stopped answering");
    }

    // ---- the BMC key ----

    @ParameterizedTest
    @CsvSource({"3", "17"})
    void theBmcKeyKeysTheSession(int suite) throws Exception {
        byte[] kg = "two-key-login".getBytes(StandardCharsets.UTF_8);
        FakeBmc b = bmc(kg, suite, (bmc, q) -> answer(bmc, q, ON));

        assertThat(power(session(b, suite, kg.clone()))).isEqualTo(PowerState.ON);
    }

    @Test
    void aMissingOrWrongBmcKeyIsNamed() throws Exception {
        byte[] kg = "two-key-login".getBytes(StandardCharsets.UTF_8);
        FakeBmc b = bmc(kg, 3, (bmc, q) -> answer(bmc, q, ON));

        assertThatThrownBy(() -> session(b, 3, null))
                .isInstanceOfSatisfying(BmcException.class, e -> assertThat(e.kind()).isEqualTo(BmcException.Kind.AUTHENTICATION))
                .hasMessageContaining("RAKP 4").hasMessageContaining("seems to have a BMC key (K_G)");
        assertThatThrownBy(() -> session(b, 3, "another-key".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(BmcException.class, e -> assertThat(e.kind()).isEqualTo(BmcException.Kind.AUTHENTICATION))
                .hasMessageContaining("BMC key (K_G) the inventory gives (kg-file or kg-env) does not match the BMC's");
        assertThatThrownBy(() -> session(b, 3, new byte[21]))
                .hasMessageContaining("21 bytes; IPMI v2.0 allows at most 20");
    }

    @Test
    void aBmcKeyOfZerosIsNoKey() throws Exception {
        FakeBmc b = bmc(null, 3, (bmc, q) -> answer(bmc, q, ON));

        assertThat(power(session(b, 3, new byte[20]))).isEqualTo(PowerState.ON);
    }

    // ---- key material ----

    @Test
    void closingTheSessionClearsItsKeysAndTheLoopsMacState() throws Exception {
        FakeBmc b = bmc(null, 3, (bmc, q) -> answer(bmc, q, ON));
        RmcpSession s = session(b, 3, null);
        assertThat(power(s)).isEqualTo(PowerState.ON);
        byte[] probe = "probe".getBytes(StandardCharsets.UTF_8);
        Mac zeroKeyed = Mac.getInstance("HmacSHA1");
        zeroKeyed.init(new SecretKeySpec(new byte[20], "HmacSHA1"));
        byte[] zeroKeyedCode = zeroKeyed.doFinal(probe);
        // the session's HMAC ran on the socket's loop thread: its instance is the one to look at
        assertThat(socket.call(() -> RmcpCrypto.mac("HmacSHA1").doFinal(probe)).get()).as("keyed with K1 while open")
                .isNotEqualTo(zeroKeyedCode);

        s.close();

        assertThat(s.keys().k1).containsOnly(0);
        assertThat(s.keys().k2).containsOnly(0);
        assertThat(socket.call(() -> RmcpCrypto.mac("HmacSHA1").doFinal(probe)).get()).as("the loop's HMAC re-keyed with zeros")
                .isEqualTo(zeroKeyedCode);
    }

    @Test
    void aOneUseKeyIsWipedOnClose() {
        byte[] source = {1, 2, 3, 4};
        RmcpCrypto.OneUseKey k = new RmcpCrypto.OneUseKey(source, 0, 4, "HmacSHA1");
        assertThat(k.getEncoded()).containsExactly(1, 2, 3, 4);

        k.close();

        assertThat(k.isDestroyed()).isTrue();
        assertThat(source).as("the caller's array is its own").containsExactly(1, 2, 3, 4);
        assertThatThrownBy(k::getEncoded).isInstanceOf(IllegalStateException.class);
    }
}
