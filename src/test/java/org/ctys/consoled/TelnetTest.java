package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The client side of telnet: which options are taken, what is answered, what is stripped, across split reads. */
class TelnetTest {
    private static final int IAC = 255;
    private static final int DONT = 254;
    private static final int DO = 253;
    private static final int WONT = 252;
    private static final int WILL = 251;
    private final Telnet telnet = new Telnet();
    private final ByteArrayOutputStream replies = new ByteArrayOutputStream();

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    private byte[] receive(int... b) {
        byte[] in = bytes(b);
        return telnet.receive(in, in.length, replies);
    }

    @Test
    void theGreetingAsksForTheServersEchoAndNoGoAheads() {
        assertThat(telnet.greeting()).containsExactly(bytes(IAC, DO, 3, IAC, DO, 1));
    }

    @Test
    void echoSgaAndBinaryOfferedByTheServerAreTakenEverythingElseRefused() {
        telnet.greeting();
        // WILL ECHO and WILL SGA answer our own DOs: not answered again; WILL BINARY is taken with DO; WILL 24 (TTYPE) refused
        byte[] data = receive(IAC, WILL, 1, IAC, WILL, 3, IAC, WILL, 0, IAC, WILL, 24);
        assertThat(data).isEmpty();
        assertThat(replies.toByteArray()).containsExactly(bytes(IAC, DO, 0, IAC, DONT, 24));
        assertThat(telnet.serverEchoes()).isTrue();
        assertThat(telnet.binaryIn()).isTrue();
    }

    @Test
    void whatTheServerAsksOfThisSideIsSgaAndBinaryOnlyAndNoStateIsAnsweredTwice() {
        receive(IAC, DO, 3, IAC, DO, 31, IAC, DO, 24, IAC, DO, 0, IAC, DO, 3);
        // SGA and BINARY accepted once; NAWS (31) and TTYPE (24) refused; the repeated DO SGA is not answered
        assertThat(replies.toByteArray()).containsExactly(bytes(IAC, WILL, 3, IAC, WONT, 31, IAC, WONT, 24, IAC, WILL, 0));
        assertThat(telnet.binaryOut()).isTrue();
        replies.reset();
        receive(IAC, DONT, 0, IAC, DONT, 0, IAC, WONT, 1);
        assertThat(replies.toByteArray()).as("DONT BINARY once; WONT ECHO of an option never on: nothing")
                .containsExactly(bytes(IAC, WONT, 0));
        assertThat(telnet.binaryOut()).isFalse();
    }

    @Test
    void commandsAndSubnegotiationsAreStrippedAndAnEscapedIacIsData() {
        byte[] data = receive('a', IAC, 241 /* NOP */, 'b', IAC, 250, 24, 1, IAC, IAC, IAC, 240, 'c', IAC, IAC, 'd', IAC, 249 /* GA */);
        assertThat(data).containsExactly(bytes('a', 'b', 'c', 255, 'd'));
        assertThat(replies.size()).isZero();
    }

    @Test
    void aCommandSplitAcrossReadsIsStillOneCommand() {
        assertThat(receive('x', IAC)).containsExactly(bytes('x'));
        assertThat(receive(WILL)).isEmpty();
        assertThat(receive(1, 'y')).containsExactly(bytes('y'));
        assertThat(replies.toByteArray()).containsExactly(bytes(IAC, DO, 1));
    }

    @Test
    void withoutBinaryCrNulIsACrBothWaysAndWithBinaryBytesPassAsTheyAre() {
        assertThat(receive('a', '\r', 0, 'b', '\r', '\n', '\r')).containsExactly(bytes('a', '\r', 'b', '\r', '\n', '\r'));
        assertThat(receive(0, 'c')).as("the NUL after a CR that ended the last read").containsExactly(bytes('c'));
        byte[] typed = bytes('l', 's', '\r', 0xff, '\r', '\n');
        assertThat(telnet.send(typed, typed.length)).containsExactly(bytes('l', 's', '\r', 0, 0xff, 0xff, '\r', '\n'));

        receive(IAC, DO, 0, IAC, WILL, 0);
        assertThat(receive('\r', 0)).as("binary: a NUL is data").containsExactly(bytes('\r', 0));
        assertThat(telnet.send(typed, typed.length)).containsExactly(bytes('l', 's', '\r', 0xff, 0xff, '\r', '\n'));
    }

    @Test
    void breakIsIacBrk() {
        assertThat(Telnet.breakCommand()).containsExactly(bytes(IAC, 243));
    }
}
