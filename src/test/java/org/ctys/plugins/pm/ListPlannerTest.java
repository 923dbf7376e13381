package org.ctys.plugins.pm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.grammar.Mac;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SecretRef;
import org.ctys.inventory.SshSettings;
import org.ctys.inventory.WolSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.BmcPower;
import org.ctys.spi.Note;
import org.ctys.spi.Plan;
import org.ctys.spi.Step;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;

class ListPlannerTest {

    private static final SshSettings SSH = new SshSettings(null, null, List.of());

    private final FakeContext ctx = new FakeContext();

    private static Machine guest(String name, String parent) {
        return new Machine(name, name + ".lab", List.of(), WolSettings.NONE, null, SSH, Hypervisor.NONE, null, Map.of(),
                "virsh", true, parent);
    }

    private Machine full() {
        Map<String, Machine> guests = new LinkedHashMap<>();
        guests.put("vm2", guest("vm2", "pm01"));
        guests.put("vm1", guest("vm1", "pm01"));
        return new Machine("pm01", "10.0.0.1", List.of(Mac.parse("00:11:22:33:44:01"), Mac.parse("00:11:22:33:44:02")),
                new WolSettings("10.0.255.255", 7, "eth0", SecretRef.file(Path.of("/etc/ctys/pm01.secureon")), "gw01"),
                new BmcSettings("10.0.1.1", 623, "admin", SecretRef.env("BMC_PW"), 3, false), SSH, Hypervisor.KVM, null, guests,
                null, false, null, SecretRef.env("VNC_PW"), org.ctys.inventory.SerialSettings.defaults("/dev/ttyS1"));
    }

    private Plan plan(String... targets) {
        List<Target> ts = new ArrayList<>();
        for (String t : targets) ts.add(ctx.target(t));
        ActionRequest request = new ActionRequest("PM", PmActions.LIST, Suboptions.none(), ts, GenericOptions.defaults());
        return new PmPlugin().plan(request, ctx);
    }

    private static List<Note> notes(Plan plan) {
        return ((Step.Sequence) plan.root()).steps().stream().filter(Note.class::isInstance).map(Note.class::cast).toList();
    }

    /** The BMCs asked for the power state, all at once after the notes. */
    private static List<BmcPower> asks(Plan plan) {
        List<Step> steps = ((Step.Sequence) plan.root()).steps();
        if (!(steps.get(steps.size() - 1) instanceof Step.Parallel p)) return List.of();
        List<BmcPower> out = new java.util.ArrayList<>();
        for (Step s : p.steps()) {
            if (s instanceof BmcPower b) out.add(b);
            else s.children().stream().filter(BmcPower.class::isInstance).map(BmcPower.class::cast).forEach(out::add);
        }
        return out;
    }

    @Test
    void showsWhatTheInventoryKnowsOfAMachine() {
        ctx.add(full());

        Note note = notes(plan("pm01")).get(0);

        assertThat(note.target()).isEqualTo("pm01");
        // the BMC's answer finishes the row
        assertThat(note.verdict().effect()).isEqualTo(Verdict.Effect.CONTINUE);
        assertThat(note.fields()).containsExactly(
                Map.entry("host", "10.0.0.1"),
                Map.entry("mac", "00:11:22:33:44:01 00:11:22:33:44:02"),
                Map.entry("wake", "broadcast 10.0.255.255, if eth0, port 7, via gw01, secureon"),
                Map.entry("bmc", "10.0.1.1"),
                Map.entry("power", "?"),
                Map.entry("hypervisor", "kvm"),
                Map.entry("guests", "vm2 vm1"),
                // serial: and vnc: entries: its serial line and its VNC display
                Map.entry("consoles", "CLI,XTERM,GTERM,SOL,SERIAL,VNC"));
    }

    @Test
    void everyBmcIsAskedForThePowerStateAtOnceAndNothingElse() {
        ctx.add(full()).add(FakeContext.machine("pm02", "pm02"));

        Plan plan = plan("pm01", "pm02");

        assertThat(asks(plan)).singleElement().satisfies(b -> {
            assertThat(b.target()).isEqualTo("pm01");
            assertThat(b.procedure()).isEqualTo(BmcPower.Procedure.STATUS);
            assertThat(b.describe()).contains("-H 10.0.1.1").contains("chassis power status").doesNotContain("BMC_PW");
        });
        assertThat(notes(plan).get(1).verdict().effect()).as("no BMC: the inventory is all").isEqualTo(Verdict.Effect.DONE);
        assertThat(plan.title()).contains("the power state from 1 BMC");
    }

    @Test
    void theSecureOnLocationIsNotListed() {
        ctx.add(full());
        assertThat(notes(plan("pm01")).get(0).fields().values()).noneMatch(v -> v.contains("pm01.secureon"));
    }

    @Test
    void aBareMachineHasEmptyFields() {
        ctx.add(FakeContext.machine("pm02", "pm02"));

        assertThat(notes(plan("pm02")).get(0).fields()).containsExactly(
                Map.entry("host", "pm02"), Map.entry("mac", ""), Map.entry("wake", ""), Map.entry("bmc", ""),
                Map.entry("power", ""), Map.entry("hypervisor", ""), Map.entry("guests", ""), Map.entry("consoles", "CLI,XTERM,GTERM"));
    }

    @Test
    void withoutTargetsEveryMachineIsListedInFileOrder() {
        ctx.add(FakeContext.machine("zz9", "10.0.0.9")).add(full()).add(FakeContext.machine("aa1", "10.0.0.8"));

        Plan plan = plan();

        assertThat(plan.targets()).containsExactly("zz9", "pm01", "aa1");
        assertThat(notes(plan)).extracting(Note::target).containsExactly("zz9", "pm01", "aa1");
        assertThat(plan.title()).contains("3 machines");
    }

    @Test
    void anUnknownTargetIsAFailingNote() {
        ctx.add(full());

        Plan plan = plan("pm01", "nosuch");

        assertThat(plan.targets()).containsExactly("pm01", "nosuch");
        Note unknown = notes(plan).get(1);
        assertThat(unknown.target()).isEqualTo("nosuch");
        assertThat(unknown.verdict().effect()).isEqualTo(Verdict.Effect.FAIL);
        assertThat(unknown.verdict().message()).contains("not in the inventory").contains("/etc/ctys/inventory.yaml");
    }

    @Test
    void aGuestSaysWhoseGuestItIs() {
        ctx.add(guest("vm1", "pm01"));
        assertThat(notes(plan("vm1")).get(0).verdict().message()).isEqualTo("guest of pm01");
    }
}
