package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.metricshub.ipmi.core.coding.payload.lan.NetworkFunction;
import org.metricshub.ipmi.core.coding.protocol.PayloadType;
import org.junit.jupiter.api.Test;

/** Get Payload Instance Info as IPMI v2.0 24.5 lays it out, and the line a console taken over ends with. */
class GetPayloadInstanceInfoTest {
    private static final BmcAddress BMC = new BmcAddress("10.0.0.8", 623, "admin", 3, false);

    @Test
    void isAppCommand4BhAskingForSolInstance1() {
        GetPayloadInstanceInfo info = new GetPayloadInstanceInfo(null, PayloadType.Sol, 1);
        assertThat(info.getNetworkFunction()).isEqualTo(NetworkFunction.ApplicationRequest);
        assertThat(info.getCommandCode()).isEqualTo((byte) 0x4B);
        assertThat(GetPayloadInstanceInfo.request(PayloadType.Sol, 1)).containsExactly(0x01, 0x01);
    }

    @Test
    void theOwnerIsTheFirstFourBytesLeastSignificantFirst() {
        // ipmi_sim's answer (ipmitool raw 0x06 0x4b 1 1) while its session 82h held SOL: the BMC's own
        // number for that session (the library's session ID for it was 64h), then SOL's port 1 and 7 zeros
        byte[] seen = {(byte) 0x82, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0};
        assertThat(GetPayloadInstanceInfo.owner(seen).sessionId()).isEqualTo(0x82);
        assertThat(GetPayloadInstanceInfo.owner(seen).none()).isFalse();
        assertThat(GetPayloadInstanceInfo.owner(new byte[] {0x02, 0x04, 0x00, 0x0A}).sessionId()).isEqualTo(0x0A000402);
        assertThat(GetPayloadInstanceInfo.owner(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}).sessionId())
                .as("all 32 bits, the top one too").isEqualTo(0xFFFFFFFE);
    }

    @Test
    void anInstanceNotActivatedHasOwnerZero() {
        // what the review saw from ipmi_sim with SOL inactive: ipmitool raw 0x06 0x4b 1 1 -> 00 00 00 00 01 ...
        assertThat(GetPayloadInstanceInfo.owner(new byte[] {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}).none()).isTrue();
    }

    @Test
    void anAnswerShorterThanTheSessionIdIsRefused() {
        assertThatThrownBy(() -> GetPayloadInstanceInfo.owner(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> GetPayloadInstanceInfo.owner(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConsoleAnotherSessionHoldsIsTakenOverInOneLine() {
        BmcException other = SolConsole.takenOver(BMC, new GetPayloadInstanceInfo.Owner(0x0A000402));
        assertThat(other.kind()).isEqualTo(BmcException.Kind.BUSY);
        assertThat(other.getMessage()).isEqualTo("Serial-over-LAN of BMC 10.0.0.8 was taken over by another session");

        BmcException none = SolConsole.takenOver(BMC, new GetPayloadInstanceInfo.Owner(0));
        assertThat(none.getMessage()).startsWith("Serial-over-LAN of BMC 10.0.0.8 was taken over by another session")
                .contains("deactivated at the BMC").doesNotContain("\n");
        assertThat(SolConsole.takenOver(BMC, null).getMessage()).isEqualTo(none.getMessage());
    }
}
