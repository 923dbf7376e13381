package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BMC the launcher trains its class-data archive against: a real RMCP+ session (ctys's own
 * client) gets a power status from it, it checks the password as a BMC does, and it listens on
 * 127.0.0.1 only.
 */
class TrainingBmcTest {
    private static final byte[] PASSWORD = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final IpmiClient.Timing FAST = new IpmiClient.Timing(Duration.ofMillis(200), 2);

    private static Thread serving(TrainingBmc bmc) {
        Thread t = new Thread(bmc::serve, "training-bmc-test");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static BmcAddress at(String host, int port) {
        return new BmcAddress(host, port, TrainingBmc.USER, 3, false);
    }

    @Test
    void aSessionOfCtysGetsThePowerStatusAndClosesIt() throws Exception {
        try (TrainingBmc bmc = TrainingBmc.open(PASSWORD); IpmiClient client = new IpmiClient(FAST)) {
            Thread t = serving(bmc);
            try (BmcSession s = client.open(at("127.0.0.1", bmc.address().getPort()), PASSWORD.clone(), null,
                    IpmiClient.Privilege.OPERATOR)) {
                assertThat(s.power()).isEqualTo(PowerState.ON);
            }
            bmc.close();
            t.join(2000);
            assertThat(t.isAlive()).as("serve() ends when it is closed").isFalse();
        }
    }

    @Test
    void aWrongPasswordIsRefusedAsABmcRefusesIt() throws Exception {
        try (TrainingBmc bmc = TrainingBmc.open(PASSWORD); IpmiClient client = new IpmiClient(FAST)) {
            serving(bmc);
            byte[] wrong = "not-the-password".getBytes(StandardCharsets.US_ASCII);

            assertThatThrownBy(() -> client.open(at("127.0.0.1", bmc.address().getPort()), wrong, null,
                    IpmiClient.Privilege.USER))
                    .isInstanceOfSatisfying(BmcException.class, e -> assertThat(e.kind()).isEqualTo(BmcException.Kind.AUTHENTICATION))
                    .hasMessageContaining("wrong password");
        }
    }

    @Test
    void itListensOn127001Only() throws Exception {
        try (TrainingBmc bmc = TrainingBmc.open(PASSWORD); IpmiClient client = new IpmiClient(FAST)) {
            serving(bmc);
            int port = bmc.address().getPort();

            // the kernel's view: one UDP socket on that port, bound to 127.0.0.1 (0100007F), none in udp6
            String hexPort = String.format("%04X", port);
            List<String> bound = Files.readAllLines(Path.of("/proc/net/udp")).stream()
                    .map(l -> l.trim().split("\\s+")[1]).filter(a -> a.endsWith(":" + hexPort)).toList();
            assertThat(bound).containsExactly("0100007F:" + hexPort);
            assertThat(Files.readAllLines(Path.of("/proc/net/udp6"))).noneMatch(l -> l.contains(":" + hexPort + " "));
            // another loopback address on the same port reaches nothing
            assertThatThrownBy(() -> client.open(at("127.0.0.2", port), PASSWORD.clone(), null, IpmiClient.Privilege.USER))
                    .isInstanceOfSatisfying(BmcException.class, e -> assertThat(e.kind()).isEqualTo(BmcException.Kind.UNREACHABLE));
        }
    }

    @Test
    void asTheLauncherStartsItItWritesItsPortAndAPrivatePassword(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TrainingBmc.class.getName(),
                dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        try {
            Path port = dir.resolve("port");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(port) && p.isAlive() && System.nanoTime() < until) Thread.sleep(20);
            assertThat(port).as(Files.exists(dir.resolve("out")) ? Files.readString(dir.resolve("out")) : "").exists();
            Path pw = dir.resolve("password");
            assertThat(Files.getPosixFilePermissions(pw)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            byte[] password = Files.readString(pw).strip().getBytes(StandardCharsets.US_ASCII);
            assertThat(password).hasSize(16);

            try (IpmiClient client = new IpmiClient(FAST);
                 BmcSession s = client.open(at("127.0.0.1", Integer.parseInt(Files.readString(port).strip())), password, null,
                         IpmiClient.Privilege.USER)) {
                assertThat(s.power()).isEqualTo(PowerState.ON);
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void itTakesNoArgumentButItsDirectory() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TrainingBmc.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(out).contains("usage:").contains("DIR");
    }
}
