package org.ctys.plugins.pm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ctys.plugins.pm.FakeContext.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.ctys.grammar.ActionArgument;
import org.ctys.grammar.Mac;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SecretRef;
import org.ctys.inventory.SshSettings;
import org.ctys.inventory.WolSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.MagicPacket;
import org.ctys.spi.MagicPackets;
import org.ctys.spi.Note;
import org.ctys.spi.Plan;
import org.ctys.spi.Probe;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.SuboptionValidator;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitUntilUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreatePlannerTest {

    private static final String M1 = "00:11:22:33:44:01";
    private static final String M1B = "00:11:22:33:44:b1";
    private static final String M2 = "00:11:22:33:44:02";
    private static final String E_NAME = "00:ee:00:00:00:01";
    private static final String E_ADDR = "00:ee:00:00:00:02";
    private static final String BMAC = "00:bb:00:00:00:01";
    private static final String GIVEN = "00:aa:00:00:00:01";

    @TempDir Path dir;

    private final FakeContext ctx = new FakeContext()
            .add(machine("pm01", "10.0.0.1", M1, M1B))
            .add(machine("pm02", "10.0.0.2"))
            .add(machine("pm03", "10.0.0.3", M2))
            .iface("eth7", "192.168.7.255");

    // ---- helpers ----

    private Plan plan(String action, GenericOptions options, List<Target> targets) {
        ActionArgument arg = ActionArgument.parse(action);
        ActionRequest request = new ActionRequest("PM", PmActions.CREATE,
                SuboptionValidator.validate("PM", PmActions.CREATE, arg.suboptions()), targets, options);
        return new PmPlugin().plan(request, ctx);
    }

    private Plan plan(String action, String... targets) {
        List<Target> ts = new ArrayList<>();
        for (String t : targets) ts.add(ctx.target(t));
        return plan(action, GenericOptions.defaults(), ts);
    }

    private static CtysException thrown(Runnable r) {
        try {
            r.run();
        } catch (CtysException e) {
            return e;
        }
        throw new AssertionError("expected a CtysException");
    }

    private static List<Step> flatten(Step step) {
        List<Step> out = new ArrayList<>();
        out.add(step);
        List<Step> children = step instanceof Step.Sequence s ? s.steps()
                : step instanceof Step.Parallel p ? p.steps() : List.of();
        for (Step c : children) out.addAll(flatten(c));
        return out;
    }

    private static <T> List<T> steps(Plan plan, Class<T> type) {
        return flatten(plan.root()).stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<MagicPacket> packets(Plan plan) {
        return steps(plan, MagicPackets.class).stream().flatMap(m -> m.packets().stream()).toList();
    }

    private static List<String> macs(Plan plan) {
        return packets(plan).stream().map(p -> p.mac().toString()).toList();
    }

    // ---- which machines ----

    @Test
    void withoutANamingSuboptionTheTargetsAreTheMachines() {
        Plan plan = plan("create=wol", "pm01", "pm03");

        assertThat(plan.targets()).containsExactly("pm01", "pm03");
        assertThat(packets(plan)).extracting(MagicPacket::target).containsExactly("pm01", "pm01", "pm03");
        assertThat(steps(plan, Probe.class)).extracting(Probe::address).containsExactly("10.0.0.1", "10.0.0.3");
        assertThat(steps(plan, WaitUntilUp.class)).extracting(WaitUntilUp::target).containsExactly("pm01", "pm03");
        assertThat(plan.title()).contains("wake 2 machines");
    }

    @Test
    void defaultsAreTheLimitedBroadcastAndPortNine() {
        Plan plan = plan("create", "pm03");

        assertThat(packets(plan)).singleElement().satisfies(p -> {
            assertThat(p.destination()).isEqualTo("255.255.255.255");
            assertThat(p.port()).isEqualTo(9);
            assertThat(p.interfaceName()).isNull();
            assertThat(p.secureOn()).isNull();
        });
    }

    @Test
    void probesAskTheSshPortOfTheInventory() {
        ctx.add(new Machine("pm09", "10.0.0.9", List.of(Mac.parse(M2)), WolSettings.NONE, null,
                new SshSettings("admin", 2222, List.of()), Hypervisor.NONE, null, java.util.Map.of(), null, false, null));

        Plan plan = plan("create", "pm09", "pm03");

        assertThat(steps(plan, Probe.class)).extracting(Probe::tcpPort).containsExactly(2222, 22);
        assertThat(steps(plan, WaitUntilUp.class)).extracting(WaitUntilUp::tcpPort).containsExactly(2222, 22);
    }

    @Test
    void noTargetsAndNoNamingSuboptionIsAUsageError() {
        CtysException e = thrown(() -> plan("create=wol"));
        assertThat(e.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(e.getMessage()).contains("LABEL:");
    }

    // ---- where the MAC comes from ----

    @Test
    void everyInventoryMacGetsAPacket() {
        assertThat(macs(plan("create", "pm01"))).containsExactly(M1, M1B);
    }

    @Test
    void theMacSuboptionComesBeforeEverythingElse() {
        ctx.ether(GIVEN, E_NAME);
        assertThat(macs(plan("create=MAC:" + GIVEN + ",BMAC:" + BMAC))).containsExactly(GIVEN);
        // a MAC of the inventory names its machine
        Plan byInventoryMac = plan("create=M:" + M2 + ",BMAC:" + BMAC);
        assertThat(byInventoryMac.targets()).containsExactly("pm03");
        assertThat(macs(byInventoryMac)).containsExactly(M2);
    }

    @Test
    void theInventoryComesBeforeEthers() {
        ctx.ether("pm03", E_NAME).ether("10.0.0.3", E_ADDR);
        assertThat(macs(plan("create", "pm03"))).containsExactly(M2);
        assertThat(macs(plan("create=LABEL:pm03,BMAC:" + BMAC))).containsExactly(M2);
    }

    @Test
    void ethersByNameComesBeforeEthersByAddress() {
        ctx.ether("pm02", E_NAME).ether("10.0.0.2", E_ADDR);
        assertThat(macs(plan("create", "pm02"))).containsExactly(E_NAME);
    }

    @Test
    void ethersByAddressIsUsedWhenTheNameHasNoLine() {
        ctx.ether("10.0.0.2", E_ADDR);
        assertThat(macs(plan("create", "pm02"))).containsExactly(E_ADDR);
        assertThat(macs(plan("create=TCP:10.0.0.2"))).containsExactly(E_ADDR);
    }

    @Test
    void aTargetOutsideTheInventoryIsFoundInEthers() {
        ctx.ether("lab07", E_NAME);
        Plan plan = plan("create", "lab07");
        assertThat(macs(plan)).containsExactly(E_NAME);
        assertThat(steps(plan, Probe.class)).extracting(Probe::address).containsExactly("lab07");
    }

    @Test
    void bmacIsTheLastResort() {
        assertThat(macs(plan("create=LABEL:pm02,BMAC:" + BMAC))).containsExactly(BMAC);
        ctx.ether("10.0.0.2", E_ADDR);
        assertThat(macs(plan("create=LABEL:pm02,BMAC:" + BMAC))).containsExactly(E_ADDR);
    }

    @Test
    void noMacAnywhereIsAConfigErrorNamingTheMachine() {
        CtysException e = thrown(() -> plan("create", "pm01", "pm02"));
        assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(e.getMessage()).contains("'pm02'").contains("BMAC");

        CtysException byLabel = thrown(() -> plan("create=LABEL:pm02"));
        assertThat(byLabel.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(byLabel.getMessage()).contains("'pm02'");
    }

    // ---- suboptions that name the machine ----

    @Test
    void whenSuboptionsNameTheMachineTheTargetIsTheGatewayItIsSentFrom() {
        for (String action : List.of("create=LABEL:pm01", "create=TCP:10.0.0.1", "create=MAC:" + M1, "create=BMAC:" + BMAC)) {
            Plan plan = plan(action, "gw01");
            assertThat(packets(plan)).as(action).isEmpty();
            assertThat(steps(plan, RunCommand.class)).as(action).singleElement()
                    .satisfies(r -> assertThat(r.remote().host()).isEqualTo("gw01"));
        }
        CtysException e = thrown(() -> plan("create=LABEL:pm01", "gw01", "gw02"));
        assertThat(e.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(e.getMessage()).contains("several gateways");
    }

    @Test
    void whenSuboptionsNameTheMachineLocalhostIsAcceptedAsTheSender() {
        Plan plan = plan("create=LABEL:pm01", GenericOptions.defaults(), List.of(new Target("localhost", null, List.of(), null, null)));

        assertThat(plan.targets()).containsExactly("pm01");
        assertThat(macs(plan)).containsExactly(M1, M1B);
        assertThat(steps(plan, WaitUntilUp.class)).extracting(WaitUntilUp::address).containsExactly("10.0.0.1");
    }

    @Test
    void tcpNamesAMachineByItsAddress() {
        Plan plan = plan("create=TCP:10.0.0.3");
        assertThat(plan.targets()).containsExactly("pm03");
        assertThat(macs(plan)).containsExactly(M2);
    }

    @Test
    void anUnknownLabelIsAConfigError() {
        CtysException e = thrown(() -> plan("create=LABEL:pm99"));
        assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(e.getMessage()).contains("pm99").contains("/etc/ctys/inventory.yaml");
    }

    @Test
    void aBmacAloneCannotBeConfirmed() {
        Plan plan = plan("create=BMAC:" + BMAC);

        assertThat(macs(plan)).containsExactly(BMAC);
        assertThat(steps(plan, Probe.class)).isEmpty();
        assertThat(steps(plan, WaitUntilUp.class)).isEmpty();
        assertThat(packets(plan)).singleElement().satisfies(p -> {
            assertThat(p.sent().effect()).isEqualTo(Verdict.Effect.DONE);
            assertThat(p.sent().message()).contains("not confirmed").contains("no address known");
        });
    }

    // ---- where the packets go ----

    @Test
    void broadcastAndPortGoIntoEveryPacket() {
        Plan plan = plan("create=BROADCAST:192.168.1.255,PORT:7", "pm01", "pm03");

        assertThat(packets(plan)).hasSize(3).allSatisfy(p -> {
            assertThat(p.destination()).isEqualTo("192.168.1.255");
            assertThat(p.port()).isEqualTo(7);
            assertThat(p.interfaceName()).isNull();
        });
    }

    @Test
    void anInterfaceResolvesToItsBroadcastAddress() {
        Plan plan = plan("create=IF:eth7", "pm01", "pm03");

        assertThat(packets(plan)).hasSize(3).allSatisfy(p -> {
            assertThat(p.destination()).isEqualTo("192.168.7.255");
            assertThat(p.interfaceName()).isEqualTo("eth7");
            assertThat(p.port()).isEqualTo(9);
        });
        assertThat(ctx.interfacesAsked).contains("eth7");
    }

    @Test
    void anUnknownInterfaceIsTheContextsUsageError() {
        CtysException e = thrown(() -> plan("create=IF:eth9", "pm01"));
        assertThat(e.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(e.getMessage()).contains("eth9").contains("eth7");
    }

    @Test
    void theInventorysWakeSettingsApplyWhenNoSuboptionSaysOtherwise() {
        ctx.add(machine("pm04", "10.1.0.4", new WolSettings("10.1.255.255", 4000, null, null, null), M2));
        ctx.add(machine("pm05", "10.7.0.5", new WolSettings(null, null, "eth7", null, null), M1));

        Plan plan = plan("create", "pm04", "pm05");
        assertThat(packets(plan)).extracting(MagicPacket::target, MagicPacket::destination, MagicPacket::port,
                        MagicPacket::interfaceName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pm04", "10.1.255.255", 4000, null),
                        org.assertj.core.groups.Tuple.tuple("pm05", "192.168.7.255", 9, "eth7"));

        Plan overridden = plan("create=BROADCAST:192.168.1.255", "pm04");
        assertThat(packets(overridden)).singleElement().satisfies(p -> {
            assertThat(p.destination()).isEqualTo("192.168.1.255");
            assertThat(p.port()).as("the inventory's port still applies").isEqualTo(4000);
        });
    }

    @Test
    void aGatewayInTheInventorySendsThePacketOverSsh() {
        ctx.add(machine("pm06", "10.6.0.6", new WolSettings("10.6.0.255", null, null, null, "gw01"), M1));
        ctx.add(machine("pm07", "10.6.0.7", new WolSettings(null, null, null, null, "localhost"), M2));

        Plan plan = plan("create", "pm06");
        assertThat(packets(plan)).isEmpty();
        List<RunCommand> sends = steps(plan, RunCommand.class);
        assertThat(sends).singleElement().satisfies(r -> {
            assertThat(r.target()).isEqualTo("pm06");
            assertThat(r.remote().host()).isEqualTo("gw01");
            assertThat(r.command()).startsWith("perl -e 'use Socket;").endsWith("' " + M1 + "/10.6.0.255/9");
            assertThat(r.ok().effect()).isEqualTo(Verdict.Effect.CONTINUE);
            assertThat(r.ok().message()).contains("sent from gw01");
        });
        assertThat(macs(plan("create", "pm07"))).containsExactly(M2);
    }

    // ---- what is asked before and after ----

    @Test
    void pingOffLeavesOutProbesAndWaitsAndTheLastPacketOfEachMachineFinishesIt() {
        Plan plan = plan("create=PING:OFF", "pm01", "pm03");

        assertThat(steps(plan, Probe.class)).isEmpty();
        assertThat(steps(plan, WaitUntilUp.class)).isEmpty();
        assertThat(steps(plan, Note.class)).isEmpty();
        assertThat(macs(plan)).containsExactly(M1, M1B, M2);
        // pm01 has two MACs: its first packet must not finish it, or the second would be skipped
        assertThat(packets(plan)).extracting(p -> p.target() + ":" + p.sent().effect())
                .containsExactly("pm01:CONTINUE", "pm01:DONE", "pm03:DONE");
        assertThat(packets(plan)).allSatisfy(p -> assertThat(p.sent().message()).contains("PING:OFF"));
    }

    @Test
    void asyncAlsoLeavesOutTheWaits() {
        GenericOptions async = new GenericOptions(null, 64, false, true, null, false, null, false, 0);
        Plan plan = plan("create", async, List.of(ctx.target("pm03")));

        assertThat(steps(plan, WaitUntilUp.class)).isEmpty();
        assertThat(packets(plan)).singleElement()
                .satisfies(p -> assertThat(p.sent().message()).contains("async"));
    }

    @Test
    void connectOnlyProbesAndFailsMachinesThatAreDown() {
        Plan plan = plan("create=CONNECT", "pm01", "pm03");

        assertThat(steps(plan, MagicPackets.class)).isEmpty();
        assertThat(steps(plan, WaitUntilUp.class)).isEmpty();
        assertThat(steps(plan, Probe.class)).hasSize(2).allSatisfy(p -> {
            assertThat(p.ifDown().effect()).isEqualTo(Verdict.Effect.FAIL);
            assertThat(p.ifUp().effect()).isEqualTo(Verdict.Effect.DONE);
        });
        assertThat(plan.title()).contains("use 2 machines");
    }

    @Test
    void reuseFinishesAMachineThatIsUpAndWakesTheOthers() {
        Plan plan = plan("create=REUSE", "pm03");

        assertThat(steps(plan, Probe.class)).singleElement().satisfies(p -> {
            assertThat(p.ifUp().effect()).isEqualTo(Verdict.Effect.DONE);
            assertThat(p.ifDown().effect()).isEqualTo(Verdict.Effect.CONTINUE);
        });
        assertThat(macs(plan)).containsExactly(M2);
        assertThat(steps(plan, WaitUntilUp.class)).hasSize(1);
    }

    @Test
    void theWaitDefaultsToSixtyTriesTwoSecondsApart() {
        assertThat(steps(plan("create", "pm03"), WaitUntilUp.class)).singleElement().satisfies(w -> {
            assertThat(w.tries()).isEqualTo(60);
            assertThat(w.interval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(w.address()).isEqualTo("10.0.0.3");
        });
    }

    @Test
    void timeoutBoundsTheNumberOfTries() {
        assertThat(steps(plan("create=TIMEOUT:10s,PING:60%2", "pm03"), WaitUntilUp.class)).singleElement()
                .satisfies(w -> {
                    assertThat(w.tries()).isEqualTo(5);
                    assertThat(w.interval()).isEqualTo(Duration.ofSeconds(2));
                });
        assertThat(steps(plan("create=TIMEOUT:10s", "pm03"), WaitUntilUp.class)).singleElement()
                .satisfies(w -> assertThat(w.tries()).isEqualTo(5));
        assertThat(steps(plan("create=PING:10%500ms", "pm03"), WaitUntilUp.class)).singleElement()
                .satisfies(w -> {
                    assertThat(w.tries()).isEqualTo(10);
                    assertThat(w.interval()).isEqualTo(Duration.ofMillis(500));
                });
    }

    // ---- refused requests ----

    @Test
    void aStackTargetIsAUsageError() {
        Target stack = new Target("pm01", null, List.of("vm1"), ctx.machines.get("pm01"), null);
        CtysException e = thrown(() -> plan("create", GenericOptions.defaults(), List.of(stack)));
        assertThat(e.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(e.getMessage()).contains("pm01[vm1]").contains("'pm01'");
    }

    @Test
    void vncAndSerialConsolesNeedTheirViewerAndLineBeforeAnythingIsPlanned() {
        // no viewer on PATH in this context
        CtysException e = thrown(() -> plan("create=CONSOLE:VNC", "pm01"));
        assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(e.getMessage()).contains("no VNC viewer").contains("tigervnc-viewer");
        // pm01 has no serial: entry
        CtysException serial = thrown(() -> plan("create=CONSOLE:SERIAL", "pm01"));
        assertThat(serial.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(serial.getMessage()).contains("no serial line known for 'pm01'").contains("/etc/ctys/inventory.yaml")
                .contains("CONSOLE:SERIAL");
        assertThat(macs(plan("create=CONSOLE:NONE", "pm03"))).containsExactly(M2);
    }

    @Test
    void unavailableSuboptionsAreRefusedByTheTable() {
        assertThatThrownBy(() -> plan("create=RECONNECT", "pm01"))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.USAGE))
                .hasMessageContaining("not in this version");
    }

    // ---- the plan as a whole ----

    @Test
    void theRenderedPlanNamesWhereTheSecureOnPasswordIsButNeverThePassword() throws IOException {
        Path secret = dir.resolve("pm04.secureon");
        Files.writeString(secret, "de:ad:be:ef:00:42\n");
        SecretRef ref = SecretRef.file(secret);
        ctx.add(machine("pm04", "10.0.0.4", new WolSettings(null, null, null, ref, null), M2));

        Plan plan = plan("create", "pm04");
        String text = plan.render();

        assertThat(packets(plan)).singleElement().satisfies(p -> assertThat(p.secureOn()).isEqualTo(ref));
        assertThat(text).contains("file:" + secret).doesNotContain("de:ad:be:ef").doesNotContain("00:42");
    }

    @Test
    void allPacketsAreSentInOneStepBeforeTheWaits() {
        Plan plan = plan("create=WOL:5s", "pm01", "pm03");

        assertThat(plan.root()).isInstanceOf(Step.Sequence.class);
        List<Step> top = ((Step.Sequence) plan.root()).steps();
        assertThat(steps(plan, MagicPackets.class)).hasSize(1);
        int probes = indexOf(top, s -> s instanceof Step.Parallel p && p.steps().stream().allMatch(Probe.class::isInstance));
        int packets = indexOf(top, MagicPackets.class::isInstance);
        int waits = indexOf(top, s -> s instanceof Step.Parallel p && p.steps().stream().allMatch(WaitUntilUp.class::isInstance));
        assertThat(probes).isLessThan(packets);
        assertThat(packets).isLessThan(waits);
        assertThat(((MagicPackets) top.get(packets)).packets()).extracting(MagicPacket::target)
                .containsExactly("pm01", "pm01", "pm03");
        assertThat(((MagicPackets) top.get(packets)).delayAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(((Step.Parallel) top.get(waits)).steps()).hasSize(2);
    }

    private static int indexOf(List<Step> steps, java.util.function.Predicate<Step> p) {
        for (int i = 0; i < steps.size(); i++) if (p.test(steps.get(i))) return i;
        throw new AssertionError("no such step in " + steps);
    }
}
