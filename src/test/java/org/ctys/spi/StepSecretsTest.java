package org.ctys.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ctys.grammar.Mac;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.SecretRef;
import org.junit.jupiter.api.Test;

/** Steps say which secrets they need, so that the engine reads them without knowing step kinds. */
class StepSecretsTest {
    private static final SecretRef PASSWORD = SecretRef.env("BMC_PW");
    private static final SecretRef KEY = SecretRef.env("BMC_KG");
    private static final SecretRef SECURE_ON = SecretRef.env("WOL_PW");
    private static final BmcSettings BMC = new BmcSettings("127.0.0.1", 623, "admin", PASSWORD, 17, false, KEY);
    private static final Verdict SENT = Verdict.proceed("sent", "magic packet sent");

    private static BmcPower power(BmcSettings bmc, BmcPower.Procedure p) {
        return new BmcPower("pm01", bmc, p, null, Duration.ofSeconds(30), false, "NONE");
    }

    @Test
    void aPowerChangeNeedsTheBmcPasswordAndKey() {
        assertThat(power(BMC, BmcPower.Procedure.ON).secrets()).containsExactly(
                new SecretUse(PASSWORD, SecretUse.Form.BYTES, true), new SecretUse(KEY, SecretUse.Form.BYTES, true));
    }

    @Test
    void aPowerStatusWantsTheSameSecretsButRunsWithoutThem() {
        assertThat(power(BMC, BmcPower.Procedure.STATUS).secrets()).containsExactly(
                new SecretUse(PASSWORD, SecretUse.Form.BYTES, false), new SecretUse(KEY, SecretUse.Form.BYTES, false));
    }

    @Test
    void aBmcWithoutPasswordOrKeyNeedsNothing() {
        BmcSettings open = new BmcSettings("127.0.0.1", 623, null, null, 17, false);

        assertThat(power(open, BmcPower.Procedure.OFF).secrets()).isEmpty();
        assertThat(new AttachSol("pm01", open, false).secrets()).isEmpty();
    }

    @Test
    void aConsoleNeedsTheBmcSecrets() {
        assertThat(new AttachSol("pm01", BMC, true).secrets()).extracting(SecretUse::ref, SecretUse::required)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PASSWORD, true),
                        org.assertj.core.groups.Tuple.tuple(KEY, true));
    }

    @Test
    void magicPacketsNeedTheirSecureOnPasswordsReadAsSuch() {
        Mac mac = Mac.parse("02:00:00:00:00:01");
        MagicPackets packets = new MagicPackets(List.of(
                new MagicPacket("pm01", mac, "127.0.0.1", 9, null, SECURE_ON, SENT),
                new MagicPacket("pm02", mac, "127.0.0.1", 9, null, null, SENT)));

        assertThat(packets.secrets()).containsExactly(new SecretUse(SECURE_ON, SecretUse.Form.SECURE_ON, true));
    }

    @Test
    void otherStepsNeedNoSecrets() {
        Note note = new Note("pm01", SENT, Map.of());

        assertThat(note.secrets()).isEmpty();
        assertThat(new Step.Sequence(List.of(power(BMC, BmcPower.Procedure.ON))).secrets())
                .as("a sequence lists none of its own; the engine walks its children").isEmpty();
    }
}
