package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PM CREATE, CANCEL and LIST through real BMCs: OpenIPMI's ipmi_sim on 127.0.0.1. Every change
 * ctys makes is confirmed with ipmitool, an independent client, and what ipmitool changes ctys
 * reads back. The chassis script of the simulator records every request, so a refused command is
 * shown to have changed nothing.
 */
class IpmiPowerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private final List<IpmiSim> sims = new ArrayList<>();

    @AfterEach
    void stop() {
        sims.forEach(IpmiSim::close);
    }

    private IpmiSim sim(String name, IpmiSim.Options options) throws IOException {
        IpmiSim s = IpmiSim.start(Files.createDirectories(dir.resolve(name)), options);
        sims.add(s);
        return s;
    }

    /** A machine of the inventory and its BMC entry, as YAML lines. */
    private record Entry(String name, String bmc) {}

    private Entry entry(String name, IpmiSim s) throws IOException {
        return entry(name, s.port(), s.user(), s.password(), "");
    }

    private Entry entry(String name, int port, String user, String password, String extra) throws IOException {
        Path pw = dir.resolve(name + ".pw");
        Files.writeString(pw, password + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        return new Entry(name, "{address: 127.0.0.1, port: " + port + ", user: " + user + ", password-file: " + pw + extra + "}");
    }

    private Path inventory(Entry... entries) throws IOException {
        StringBuilder y = new StringBuilder("machines:\n");
        for (Entry e : entries) {
            y.append("  ").append(e.name()).append(":\n    host: 127.0.0.1\n    bmc: ").append(e.bmc()).append('\n');
        }
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, y.toString());
        return inv;
    }

    private Proc.Outcome ctys(Path inventory, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--inventory", inventory.toString()));
        all.addAll(List.of(args));
        return new CtysRunner(Files.createDirectories(dir.resolve("home"))).run(all.toArray(String[]::new));
    }

    private static String power(IpmiSim s) {
        IpmiTool.Result r = IpmiTool.run(s, "chassis", "power", "status");
        assertThat(r.exit()).as(r.output()).isZero();
        return r.out().strip();
    }

    private static Map<String, JsonNode> results(Proc.Outcome run) throws IOException {
        Map<String, JsonNode> byTarget = new LinkedHashMap<>();
        for (JsonNode r : JSON.readTree(run.out()).get("reports").get(0).get("results")) byTarget.put(r.get("target").asText(), r);
        return byTarget;
    }

    // ---- CREATE ----

    @Test
    void createPowersOnWithTheBootDeviceFirstAndIpmitoolSeesIt() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false));
        Path inv = inventory(entry("lab01", s));

        Proc.Outcome run = ctys(inv, "-t", "pm", "-a", "create=ipmi,boot:pxe", "lab01");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(power(s)).isEqualTo("Chassis Power is on");
        assertThat(s.actions()).containsExactly("boot pxe", "power 1");
        // the machine's address (127.0.0.1) answers at once: powered on, then confirmed up
        assertThat(run.err()).contains("powered on, next boot from PXE").contains("answers after");
    }

    @Test
    void createOnAMachineThatIsOnSendsNothing() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(true));

        Proc.Outcome run = ctys(inventory(entry("lab01", s)), "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("already powered on; nothing sent");
        assertThat(s.actions()).isEmpty();
    }

    @Test
    void connectFailsOnAMachineThatIsOffAndChangesNothing() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false));

        Proc.Outcome run = ctys(inventory(entry("lab01", s)), "-t", "pm", "-a", "create=ipmi,connect,ping:off", "lab01");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("CONNECT does not power it on");
        assertThat(s.actions()).isEmpty();
        assertThat(power(s)).isEqualTo("Chassis Power is off");
    }

    // ---- what ipmitool changes, ctys reads ----

    @Test
    void listReadsWhatIpmitoolSet() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false));
        Path inv = inventory(entry("lab01", s));

        assertThat(IpmiTool.run(s, "chassis", "power", "on").exit()).isZero();
        Proc.Outcome on = ctys(inv, "--output", "json", "-t", "pm", "-a", "list");
        assertThat(IpmiTool.run(s, "chassis", "power", "off").exit()).isZero();
        Proc.Outcome off = ctys(inv, "--output", "json", "-t", "pm", "-a", "list");

        assertThat(on.exit()).as(on.err()).isZero();
        assertThat(results(on).get("lab01").get("fields").get("power").asText()).isEqualTo("on");
        assertThat(results(off).get("lab01").get("fields").get("power").asText()).isEqualTo("off");
    }

    // ---- CANCEL ----

    @Test
    void cancelAsksForASoftOffAndConfirmsTheMachineIsOff() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(true).softOffAfter(Duration.ofSeconds(1)));

        Proc.Outcome run = ctys(inventory(entry("lab01", s)), "-t", "pm", "-a", "cancel=ipmi,timeout:20s", "lab01");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(s.actions()).containsExactly("shutdown");
        assertThat(power(s)).isEqualTo("Chassis Power is off");
        assertThat(run.err()).contains("powered off by soft off (ACPI)");
    }

    @Test
    void anOsThatIgnoresAcpiIsPoweredOffHardAfterTheTimeout() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(true).ignoringSoftOff());

        long started = System.nanoTime();
        Proc.Outcome run = ctys(inventory(entry("lab01", s)), "-t", "pm", "-a", "cancel=ipmi,timeout:2s", "lab01");
        double secs = (System.nanoTime() - started) / 1e9;

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(s.actions()).containsExactly("shutdown", "power 0");
        assertThat(power(s)).isEqualTo("Chassis Power is off");
        assertThat(run.err()).contains("powered off hard: the soft off had not finished after 2s");
        assertThat(secs).as("waited the grace, not much more").isBetween(2.0, 20.0);
    }

    @Test
    void forcePowersOffHardAtOnce() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(true));

        Proc.Outcome run = ctys(inventory(entry("lab01", s)), "-t", "pm", "-a", "cancel=ipmi,force", "lab01");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(s.actions()).containsExactly("power 0");
        assertThat(power(s)).isEqualTo("Chassis Power is off");
    }

    @Test
    void rebootIsASoftOffThenPowerOn() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(true));

        Proc.Outcome run = ctys(inventory(entry("lab01", s)), "-t", "pm", "-a", "cancel=ipmi,reboot", "lab01");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(s.actions()).containsExactly("shutdown", "power 1");
        assertThat(power(s)).isEqualTo("Chassis Power is on");
        assertThat(run.err()).contains("rebooted: soft off (ACPI)");
    }

    @Test
    void resetIsAHardResetAndRefusedForAMachineThatIsOff() throws Exception {
        IpmiSim on = sim("bmc1", IpmiSim.Options.defaults().poweredOn(true));
        IpmiSim off = sim("bmc2", IpmiSim.Options.defaults().poweredOn(false));

        Proc.Outcome run = ctys(inventory(entry("lab01", on), entry("lab02", off)), "--output", "json",
                "-t", "pm", "-a", "cancel=ipmi,reset", "lab01", "lab02");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(on.actions()).containsExactly("reset");
        assertThat(off.actions()).isEmpty();
        assertThat(results(run).get("lab02").get("message").asText()).contains("a reset does nothing to a machine that is off");
    }

    // ---- credentials and the BMC's failures ----

    @Test
    void aWrongPasswordIsNamedAndChangesNothing() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false));

        Proc.Outcome run = ctys(inventory(entry("lab01", s.port(), s.user(), "not-the-password", "")),
                "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).contains("wrong password for user '" + s.user() + "'");
        assertThat(s.actions()).isEmpty();
        assertThat(run.out() + run.err()).doesNotContain("not-the-password").doesNotContain(s.password());
        assertThat(IpmiTool.activeSessions(s)).as("the half-open session was given back (only ipmitool's own is active)").isEqualTo(1);
    }

    @Test
    void aTargetsOwnTimeoutStopsItsProcedureAndItsSessionIsClosed() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(true).ignoringSoftOff());

        long started = System.nanoTime();
        Proc.Outcome run = ctys(inventory(entry("lab01", s)), "-t", "pm", "-a", "cancel=ipmi,timeout:12s", "lab01(--timeout 3s)");
        double secs = (System.nanoTime() - started) / 1e9;

        assertThat(run.exit()).isNotZero();
        assertThat(run.out()).contains("lab01").contains("3s");
        assertThat(secs).as("ends with the target's bound, not the 12 s grace").isLessThan(9);
        Thread.sleep(10_000);
        assertThat(s.actions()).as("no hard off after the target was reported timed out").containsExactly("shutdown");
        assertThat(power(s)).isEqualTo("Chassis Power is on");
        assertThat(IpmiTool.activeSessions(s)).isEqualTo(1);
    }

    @Test
    void aWrongUserIsNamed() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false));

        Proc.Outcome run = ctys(inventory(entry("lab01", s.port(), "nosuchuser", s.password(), "")),
                "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).contains("does not know user 'nosuchuser'");
        assertThat(s.actions()).isEmpty();
    }

    @Test
    void aBmcThatIsNotRunningFailsWithinTheBound() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults());
        int port = s.port();
        s.close();

        long started = System.nanoTime();
        Proc.Outcome run = ctys(inventory(entry("lab01", port, "ctys", "pw", "")), "-t", "pm", "-a", "list");
        double secs = (System.nanoTime() - started) / 1e9;

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("does not answer (3 tries, 2000 ms each)");
        assertThat(secs).as("3 tries of 2 s, and the JVM").isLessThan(15);
    }

    @Test
    void aBmcKilledDuringTheSessionEndsItWithItsOwnMessage() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(true).ignoringSoftOff());
        Path inv = inventory(entry("lab01", s));
        Path home = Files.createDirectories(dir.resolve("home"));
        try (CtysRunner.Running ctys = new CtysRunner(home).start("--inventory", inv.toString(),
                "-t", "pm", "-a", "cancel=ipmi,timeout:60s", "lab01")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!s.actions().contains("shutdown") && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(s.actions()).as("ctys asked for a soft off and now waits").contains("shutdown");
            s.kill();
            long killed = System.nanoTime();
            assertThat(ctys.waitFor(Duration.ofSeconds(30))).as("ctys ends, bounded").isTrue();
            double secs = (System.nanoTime() - killed) / 1e9;

            assertThat(ctys.outcome().exit()).isEqualTo(1);
            assertThat(ctys.outcome().both()).contains("stopped answering during the session");
            assertThat(secs).isLessThan(15);
        }
    }

    @Test
    void cipherSuiteZeroIsRefusedBeforeAnythingIsSentThoughThisBmcWouldTakeIt() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false));

        Proc.Outcome refused = ctys(inventory(entry("lab01", s.port(), s.user(), s.password(), ", cipher-suite: 0")),
                "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");

        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err()).contains("cipher-suite 0").contains("allow-cipher-suite-0: true");
        assertThat(s.actions()).isEmpty();

        // allowed explicitly, it is used: this simulator accepts suite 0 with any password
        Proc.Outcome allowed = ctys(inventory(entry("lab01", s.port(), s.user(), "anything",
                ", cipher-suite: 0, allow-cipher-suite-0: true")), "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");
        assertThat(allowed.exit()).as(allowed.out() + allowed.err()).isZero();
        assertThat(s.actions()).containsExactly("power 1");
    }

    @Test
    void aPasswordFileOthersCanReadIsRefusedBeforeAnythingIsSent() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false));
        Path inv = inventory(entry("lab01", s));
        Files.setPosixFilePermissions(dir.resolve("lab01.pw"), PosixFilePermissions.fromString("rw-r--r--"));

        Proc.Outcome run = ctys(inv, "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");
        Proc.Outcome dry = ctys(inv, "-n", "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("mode 0644").contains("chmod 600");
        assertThat(dry.exit()).as("a dry run checks it too").isEqualTo(3);
        assertThat(s.actions()).isEmpty();
    }

    @Test
    void thePasswordAppearsInNoOutputAndNotInTheDryRun() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false));
        Path inv = inventory(entry("lab01", s));

        Proc.Outcome dry = ctys(inv, "-n", "-t", "pm", "-a", "create=ipmi,boot:pxe", "lab01");
        Proc.Outcome real = ctys(inv, "-d", "3", "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");

        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("chassis bootdev pxe").contains("-U " + s.user() + " -E");
        assertThat(real.exit()).as(real.err()).isZero();
        for (Proc.Outcome r : List.of(dry, real)) assertThat(r.out() + r.err()).doesNotContain(s.password());
        assertThat(s.actions()).containsExactly("power 1");
    }

    @Test
    void thePasswordMayComeFromAnEnvironmentVariable() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false));
        Files.writeString(dir.resolve("inventory.yaml"), "machines:\n  lab01:\n    host: 127.0.0.1\n    bmc: {address: 127.0.0.1, port: "
                + s.port() + ", user: " + s.user() + ", password-env: LAB01_BMC_PW}\n");

        Proc.Outcome run = new CtysRunner(Files.createDirectories(dir.resolve("home"))).env("LAB01_BMC_PW", s.password())
                .run("--inventory", dir.resolve("inventory.yaml").toString(), "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(power(s)).isEqualTo("Chassis Power is on");
    }

    // ---- the BMC key (K_G, "two-key login") ----

    private Path secret(String name, String value) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, value + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void aBmcKeyFromTheInventoryKeysTheSessionAsIpmitoolsDoes() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false).withBmcKey("bmc1-kg-Key"));
        IpmiTool.Result without = IpmiTool.run(s, s.user(), s.password(), IpmiTool.LANPLUS, IpmiTool.LIMIT,
                "-N", "1", "-R", "1", "chassis", "power", "status");
        assertThat(without.exit()).as("this BMC wants its key: " + without.output()).isNotZero();
        Path kg = secret("lab01.kg", "bmc1-kg-Key");

        Proc.Outcome run = ctys(inventory(entry("lab01", s.port(), s.user(), s.password(), ", kg-file: " + kg)),
                "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");
        Proc.Outcome dry = ctys(inventory(entry("lab01", s.port(), s.user(), s.password(), ", kg-file: " + kg)),
                "-n", "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(power(s)).as("ipmitool -K sees it").isEqualTo("Chassis Power is on");
        assertThat(s.actions()).containsExactly("power 1");
        assertThat(dry.out()).contains("-E -K chassis power on");
        for (Proc.Outcome r : List.of(run, dry)) assertThat(r.out() + r.err()).doesNotContain("bmc1-kg-Key");
    }

    @Test
    void aMissingOrWrongBmcKeyIsNamedAndChangesNothing() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false).withBmcKey("bmc1-kg-Key"));
        Path wrong = secret("wrong.kg", "another-key");

        Proc.Outcome missing = ctys(inventory(entry("lab01", s)), "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");
        Proc.Outcome mismatch = ctys(inventory(entry("lab01", s.port(), s.user(), s.password(), ", kg-file: " + wrong)),
                "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");

        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.out()).contains("RAKP 4").contains("seems to have a BMC key (K_G), which the inventory does not give");
        assertThat(mismatch.exit()).isEqualTo(3);
        assertThat(mismatch.out()).contains("the BMC key (K_G) the inventory gives (kg-file or kg-env) does not match the BMC's");
        assertThat(mismatch.out() + mismatch.err()).doesNotContain("another-key").doesNotContain("bmc1-kg-Key");
        assertThat(s.actions()).isEmpty();
        assertThat(power(s)).isEqualTo("Chassis Power is off");
    }

    @Test
    void aBmcKeyFileOthersCanReadIsRefusedBeforeAnythingIsSent() throws Exception {
        IpmiSim s = sim("bmc1", IpmiSim.Options.defaults().poweredOn(false).withBmcKey("bmc1-kg-Key"));
        Path kg = secret("lab01.kg", "bmc1-kg-Key");
        Files.setPosixFilePermissions(kg, PosixFilePermissions.fromString("rw-r--r--"));

        Proc.Outcome run = ctys(inventory(entry("lab01", s.port(), s.user(), s.password(), ", kg-file: " + kg)),
                "-t", "pm", "-a", "create=ipmi,ping:off", "lab01");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains(kg.toString()).contains("mode 0644");
        assertThat(s.actions()).isEmpty();
    }

    // ---- many BMCs ----

    @Test
    void listFailsOnlyTheRowOfAMachineWhosePasswordCannotBeRead() throws Exception {
        IpmiSim a = sim("bmc1", IpmiSim.Options.defaults().poweredOn(true));
        IpmiSim b = sim("bmc2", IpmiSim.Options.defaults().poweredOn(true));
        Path inv = inventory(entry("lab01", a), new Entry("lab02", "{address: 127.0.0.1, port: " + b.port()
                + ", user: " + b.user() + ", password-env: CTYS_IT_UNSET_BMC_PW}"));

        Proc.Outcome list = ctys(inv, "--output", "json", "-t", "pm", "-a", "list");
        Proc.Outcome cancel = ctys(inv, "-t", "pm", "-a", "cancel=ipmi,force", "lab01", "lab02");

        assertThat(list.exit()).isEqualTo(3);
        Map<String, JsonNode> r = results(list);
        assertThat(r.get("lab01").get("fields").get("power").asText()).isEqualTo("on");
        assertThat(r.get("lab02").get("status").asText()).isEqualTo("CONFIG");
        assertThat(r.get("lab02").get("message").asText()).contains("CTYS_IT_UNSET_BMC_PW");
        // a change is another matter: nothing is sent to any machine before every secret is read
        assertThat(cancel.exit()).isEqualTo(3);
        assertThat(a.actions()).isEmpty();
    }

    @Test
    void listAsksEveryBmcAtOnceAndOneThatIsDownFailsOnlyItsMachine() throws Exception {
        IpmiSim a = sim("bmc1", IpmiSim.Options.defaults().poweredOn(true));
        IpmiSim b = sim("bmc2", IpmiSim.Options.defaults().poweredOn(false));
        IpmiSim c = sim("bmc3", IpmiSim.Options.defaults().poweredOn(true));
        Path inv = inventory(entry("lab01", a), entry("lab02", b), entry("lab03", c));
        c.kill();

        long started = System.nanoTime();
        Proc.Outcome run = ctys(inv, "--output", "json", "-t", "pm", "-a", "list");
        double secs = (System.nanoTime() - started) / 1e9;

        assertThat(run.exit()).isEqualTo(1);
        Map<String, JsonNode> r = results(run);
        assertThat(r.get("lab01").get("fields").get("power").asText()).isEqualTo("on");
        assertThat(r.get("lab02").get("fields").get("power").asText()).isEqualTo("off");
        assertThat(r.get("lab03").get("status").asText()).isEqualTo("FAILED");
        assertThat(r.get("lab03").get("message").asText()).contains("does not answer");
        assertThat(secs).as("the silent BMC is waited for once, alongside the others").isLessThan(15);
    }
}
