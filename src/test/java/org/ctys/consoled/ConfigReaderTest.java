package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.SerialSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** consoled.yaml: what it means, its defaults, and one line naming file:line for each mistake. */
class ConfigReaderTest {

    @TempDir
    Path dir;

    private DaemonConfig read(String yaml) throws IOException {
        Path file = dir.resolve("consoled.yaml");
        Files.writeString(file, yaml);
        return ConfigReader.read(file, Map.of(), dir);
    }

    private void refused(String yaml, String message) {
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(CtysException.class)
                .satisfies(e -> assertThat(((CtysException) e).status()).isEqualTo(ExitStatus.CONFIG))
                .hasMessage(dir.resolve("consoled.yaml") + ":" + message);
    }

    @Test
    void theSpecsExampleReadsWithItsDefaultsAndRelativePaths() throws IOException {
        DaemonConfig c = read("""
                listen: 127.0.0.1:7022
                log-dir: logs
                rotate: {size: 10M, age: 1d, keep: 10}
                mark: 20m
                users:
                  alice: {keys: keys/alice.pub}
                  bob: {keys: keys/bob.pub}
                groups:
                  ops: {members: [alice, bob], keys: keys/ops.pub}
                access:
                  - {consoles: [lab07, "@lab"], rw: [alice, "@ops"], ro: ["*"]}
                  - {consoles: ["*"], ro: ["@ops"]}
                consoles:
                  lab07: {serial: {device: /dev/ttyS0, speed: 115200}, groups: [lab]}
                  lab08: {sol: {address: 10.0.0.8, user: admin, password-file: bmc/lab08.pw}}
                  web1:  {guest: {host: kvm01, domain: web1, hypervisor: kvm, uri: "qemu:///system"}}
                  pdu1:  {cmd: "telnet pdu1"}
                  ts1-3: {tcp: {host: ts1.example, port: 7003, telnet: true}}
                """);

        assertThat(c.listenHost()).isEqualTo("127.0.0.1");
        assertThat(c.listenPort()).isEqualTo(7022);
        assertThat(c.logDir()).isEqualTo(dir.resolve("logs"));
        assertThat(c.pidFile()).isEqualTo(dir.resolve("logs/ctys-consoled.pid"));
        assertThat(c.hostKey()).isEqualTo(dir.resolve("consoled_host_key"));
        assertThat(c.rotation()).isEqualTo(new DaemonConfig.Rotation(10L << 20, Duration.ofDays(1), 10));
        assertThat(c.mark()).isEqualTo(Duration.ofMinutes(20));
        assertThat(c.userKeys()).containsEntry("alice", dir.resolve("keys/alice.pub"));
        assertThat(c.groups().get("ops").keys()).isEqualTo(dir.resolve("keys/ops.pub"));
        assertThat(c.consoles()).extracting(ConsoleDef::name).containsExactly("lab07", "lab08", "web1", "pdu1", "ts1-3");
        assertThat(c.consoles()).extracting(ConsoleDef::kind).containsExactly("serial", "sol", "guest", "cmd", "tcp");
        assertThat(c.consoles().get(0).endpoint()).isEqualTo(new Endpoint.Serial(SerialSettings.defaults("/dev/ttyS0")));
        assertThat(c.consoles().get(2).endpoint()).isEqualTo(new Endpoint.Guest("kvm01", "web1", Hypervisor.KVM, "qemu:///system"));
        assertThat(c.consoles().get(4).endpoint()).isEqualTo(new Endpoint.Tcp("ts1.example", 7003, true));
        assertThat(((Endpoint.Sol) c.consoles().get(1).endpoint()).bmc().password().location())
                .isEqualTo(dir.resolve("bmc/lab08.pw").toString());

        ConsoleDef lab07 = c.consoles().get(0);
        ConsoleDef pdu1 = c.consoles().get(3);
        assertThat(c.access().level("alice", lab07)).isEqualTo(Access.Level.RW);
        assertThat(c.access().level("bob", lab07)).as("@ops").isEqualTo(Access.Level.RW);
        assertThat(c.access().level("carol", lab07)).as("*").isEqualTo(Access.Level.RO);
        assertThat(c.access().level("bob", pdu1)).as("the second rule").isEqualTo(Access.Level.RO);
        assertThat(c.access().level("carol", pdu1)).as("no rule gives carol pdu1").isEqualTo(Access.Level.NONE);
        assertThat(c.knowsUser("bob")).isTrue();
    }

    @Test
    void theDefaultsWhenOnlyConsolesAreGiven() throws IOException {
        DaemonConfig c = read("consoles:\n  lab07: {cmd: 'cat'}\n");
        assertThat(c.listenHost()).isEqualTo("0.0.0.0");
        assertThat(c.listenPort()).isEqualTo(7022);
        assertThat(c.logDir()).isEqualTo(Path.of("/var/log/ctys/consoles"));
        assertThat(c.rotation()).isEqualTo(DaemonConfig.Rotation.DEFAULT);
        assertThat(c.mark()).isEqualTo(Duration.ofMinutes(20));
        assertThat(c.access().level("anyone", c.consoles().get(0))).as("no rule: no access").isEqualTo(Access.Level.NONE);
    }

    @Test
    void consolesComeFromTheInventoryAndAConsolesEntryOfTheSameNameWins() throws IOException {
        Files.writeString(dir.resolve("inventory.yaml"), """
                machines:
                  lab01: {serial: {device: /dev/ttyUSB0, speed: 9600}, bmc: {address: 10.0.0.1, user: admin, password-env: BMC_PW}}
                  lab02: {bmc: {address: 10.0.0.2}}
                  lab03: {host: 10.0.0.3}
                  kvm01:
                    hypervisor: kvm
                    uri: qemu:///system
                    guests:
                      web1: {}
                groups:
                  lab: ["lab[01-02]"]
                  all: ["@lab", kvm01]
                """);
        DaemonConfig c = read("""
                inventory: {file: inventory.yaml}
                access:
                  - {consoles: ["@lab"], rw: [alice]}
                consoles:
                  lab02: {cmd: "ipmitool sol activate"}
                """);

        assertThat(c.consoles()).extracting(ConsoleDef::name).containsExactly("lab02", "lab01", "web1");
        assertThat(c.consoles().get(0).kind()).isEqualTo("cmd");
        assertThat(c.consoles().get(1).endpoint()).isEqualTo(new Endpoint.Serial(SerialSettings.defaults("/dev/ttyUSB0").withSpeed(9600)));
        assertThat(c.consoles().get(1).groups()).containsExactlyInAnyOrder("lab", "all");
        assertThat(c.consoles().get(2).endpoint()).isEqualTo(new Endpoint.Guest("kvm01", "web1", Hypervisor.KVM, "qemu:///system"));
        assertThat(c.access().level("alice", c.consoles().get(1))).as("@lab from the inventory").isEqualTo(Access.Level.RW);
        assertThat(c.access().level("alice", c.consoles().get(2))).isEqualTo(Access.Level.NONE);

        DaemonConfig sol = read("inventory: {file: inventory.yaml, take: [sol]}\n");
        assertThat(sol.consoles()).extracting(ConsoleDef::name).containsExactly("lab01", "lab02");
        assertThat(sol.consoles()).extracting(ConsoleDef::kind).containsExactly("sol", "sol");
    }

    @Test
    void eachMistakeIsOneLineNamingFileAndLine() {
        refused("listen: 0.0.0.0:7022\nlsten: x\n", "2: unknown key 'lsten' in the configuration (valid: listen, host-key, log-dir,"
                + " rotate, mark, pid-file, inventory, users, groups, access, consoles)");
        refused("listen: nowhere\n", "1: listen is 'nowhere'; expected address:port such as 0.0.0.0:7022, [::]:7022 or 127.0.0.1:7022");
        refused("consoles:\n  lab07: {serial: {device: /dev/ttyS0, speed: fast}}\n",
                "2: speed of serial of 'lab07' is 'fast'; valid: " + SerialSettings.SPEED_FORM);
        refused("consoles:\n  lab08:\n    sol: {address: 10.0.0.8, password: secret}\n",
                "3: inline password is not allowed for bmc of 'lab08'; use password-file or password-env");
        refused("consoles:\n  lab07: {cmd: x, tcp: {host: a, port: 1}}\n",
                "2: console 'lab07' gives cmd and tcp; a console has exactly one of serial, sol, guest, cmd, tcp");
        refused("consoles:\n  bad/name: {cmd: x}\n",
                "2: bad console name 'bad/name': use " + ConfigReader.CONSOLE_NAME_FORM);
        refused("consoles:\n  list: {cmd: x}\n", "2: console name 'list' is a word of the command protocol; choose another");
        refused("consoles:\n  a: {cmd: x}\n  A: {cmd: y}\n", "3: duplicate console 'A' (first at line 2; case does not count)");
        refused("rotate: {size: 1T}\n", "1: size of rotate: bad size '1T': expected a size from 4 KiB to 64 GiB, e.g. 8M, 512K, 1G");
        refused("mark: often\n", "1: mark is 'often'; expected " + TimeWords.DURATION_FORM + " (at most 3650d), or 0");
        refused("users:\n  alice: {}\n", "2: user 'alice' needs keys: an authorized_keys file");
        refused("access:\n  - {rw: [alice]}\n", "2: the access rule at line 2 needs consoles: (names, globs or @group)");
        refused("access:\n  - {consoles: ['*'], rw: ['al ice']}\n",
                "2: bad user 'al ice' in rw of the access rule at line 2; expected a user name, @group or *");
        refused("consoles:\n  web1: {guest: {host: kvm01}}\n", "2: guest of 'web1' needs domain: the guest's name on its host");
        assertThatThrownBy(() -> read("inventory: {file: missing.yaml}\n")).isInstanceOf(CtysException.class)
                .hasMessage("inventory file " + dir.resolve("missing.yaml") + " does not exist");
    }

    /** The configuration chooses the commands the daemon runs: one others can write, or another user's, is refused. */
    @Test
    void aConfigurationOthersCanWriteOrAnotherUserOwnsIsRefused() throws IOException {
        Path file = dir.resolve("consoled.yaml");
        Files.writeString(file, "consoles:\n  lab07: {cmd: 'cat'}\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        Files.setAttribute(file, "unix:gid", 65534); // nogroup: a group that is not the owner's alone
        assertThatThrownBy(() -> ConfigReader.read(file, Map.of(), dir)).isInstanceOf(CtysException.class)
                .satisfies(e -> assertThat(((CtysException) e).status()).isEqualTo(ExitStatus.CONFIG))
                .hasMessage("bad owner or permissions on configuration file " + file + ": it chooses what the daemon runs,"
                        + " serves and whom it lets in, so it must belong to you or root and no one else may write it"
                        + " (chmod go-w " + file + ")");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ConfigReader.read(file, Map.of(), dir).consoles()).hasSize(1);
        Files.setAttribute(file, "unix:uid", 65534);
        assertThatThrownBy(() -> ConfigReader.read(file, Map.of(), dir)).hasMessageStartingWith("bad owner or permissions on");
    }
}
