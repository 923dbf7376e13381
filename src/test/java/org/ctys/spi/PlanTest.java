package org.ctys.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ctys.grammar.Mac;
import org.ctys.inventory.SecretRef;
import org.junit.jupiter.api.Test;

class PlanTest {

    private static final Mac MAC = Mac.parse("00:11:22:33:44:55");
    private static final Verdict SENT = Verdict.proceed("sent", "magic packet sent");

    @Test
    void rendersTheTreeIndentedUnderItsTitle() {
        Plan plan = new Plan("ctys -t PM -a CREATE: wake 2 machines", List.of("pm01", "pm02"), new Step.Sequence(List.of(
                new MagicPackets(List.of(
                        new MagicPacket("pm01", MAC, "192.168.1.255", 9, null, null, SENT),
                        new MagicPacket("pm02", MAC, "255.255.255.255", 7, "eth0", null, SENT)), Duration.ofSeconds(5)),
                new Step.Parallel(3, List.of(
                        new WaitUntilUp("pm01", "10.0.0.1", 22, 60, Duration.ofSeconds(2), Duration.ofSeconds(2)))))));

        assertThat(plan.render()).isEqualTo("""
                ctys -t PM -a CREATE: wake 2 machines
                  in order:
                    wakeonlan -i 192.168.1.255 -p 9 00:11:22:33:44:55
                    wakeonlan -i 255.255.255.255 -p 7 00:11:22:33:44:55   # out of eth0
                    sleep 5s   # WOL delay, once, if a packet was sent
                    at the same time (at most 3 at once):
                      wait until 10.0.0.1 answers ping or TCP 22: up to 60 tries, 2s apart
                """);
    }

    @Test
    void aPacketNamesWhereItsSecureOnPasswordIsKept() {
        SecretRef file = SecretRef.file(Path.of("/etc/ctys/pm01.secureon"));
        assertThat(new MagicPacket("pm01", MAC, "10.0.0.255", 9, null, file, SENT).describe())
                .endsWith("# SecureOn password from file:/etc/ctys/pm01.secureon");
        assertThat(new MagicPacket("pm01", MAC, "10.0.0.255", 9, "eth1", SecretRef.env("WOL_PW"), SENT).describe())
                .endsWith("# out of eth1, SecureOn password from env:WOL_PW");
    }

    @Test
    void aProbeNeverAsksForLessThanASecond() {
        Probe p = new Probe("pm01", "10.0.0.1", 2222, Duration.ofMillis(200), Verdict.done("up", "up"),
                Verdict.proceed("down", "down"));
        assertThat(p.describe()).startsWith("ping -c 1 -W 1 10.0.0.1 || nc -z -w 1 10.0.0.1 2222")
                .endsWith("# answers: up; silent: down");
    }

    @Test
    void aNoteDescribesItsVerdictAndKeepsItsFieldsInOrder() {
        Note n = new Note("pm01", Verdict.fail("unknown", "not in the inventory"),
                new java.util.LinkedHashMap<>(Map.of("a", "1")));
        assertThat(n.describe()).isEqualTo("# pm01: not in the inventory");
        assertThat(n.verdict().effect()).isEqualTo(Verdict.Effect.FAIL);
    }

    @Test
    void anIpv6JumpHostIsBracketedAsOpenSshReadsIt() throws Exception {
        Remote r = new Remote("2001:db8::5", "root", null, List.of("::1", "admin@fe80::1%lo", "[::2]:2222", "gw"));
        assertThat(r.describe()).isEqualTo("ssh -J '[::1],admin@[fe80::1%lo],[::2]:2222,gw' root@2001:db8::5");
        // OpenSSH's own reading of the same words (ssh -G prints the configuration, connects nowhere)
        Process p = new ProcessBuilder("ssh", "-G", "-F", "/dev/null", "-J", "[::1],admin@[fe80::1%lo],[::2]:2222,gw",
                "root@2001:db8::5").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("hostname 2001:db8::5", "user root", "proxyjump [::1],admin@[fe80::1%lo],[::2]:2222,gw");
    }
}
