package org.ctys.plugins.pm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.ctys.grammar.ActionArgument;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SecretRef;
import org.ctys.inventory.SshSettings;
import org.ctys.inventory.WolSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.After;
import org.ctys.spi.AttachSol;
import org.ctys.spi.BmcPower;
import org.ctys.spi.Discover;
import org.ctys.spi.RunCommand;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Plan;
import org.ctys.spi.Step;
import org.ctys.spi.SuboptionValidator;
import org.ctys.spi.Target;
import org.ctys.spi.WaitForLogin;
import org.ctys.spi.WaitUntilUp;
import org.junit.jupiter.api.Test;

/** PM CREATE=IPMI and CANCEL=IPMI as plans: which BMC, which procedure, what waits after it. */
class IpmiPlannerTest {
    private static final BmcSettings BMC1 = new BmcSettings("10.9.0.1", 6230, "admin", SecretRef.env("PM01_BMC"), 3, false);
    private static final BmcSettings BMC2 = new BmcSettings("10.9.0.2", 623, "admin", SecretRef.env("PM02_BMC"), 17, false);

    private final FakeContext ctx = new FakeContext()
            .add(withBmc("pm01", "10.0.0.1", BMC1, Map.of()))
            .add(withBmc("pm02", "pm02", BMC2, Map.of()))
            .add(withBmc("kvm1", "10.0.0.3", BMC1, Map.of("vm1", FakeContext.machine("vm1", "10.0.1.1"))))
            .add(FakeContext.machine("plain", "10.0.0.4", "00:11:22:33:44:55"));

    private static Machine withBmc(String name, String host, BmcSettings bmc, Map<String, Machine> guests) {
        return new Machine(name, host, List.of(), WolSettings.NONE, bmc, new SshSettings(null, null, List.of()),
                guests.isEmpty() ? Hypervisor.NONE : Hypervisor.KVM, null, guests, null, false, null);
    }

    private Plan plan(ActionSpec action, String argument, String... targets) {
        ActionArgument arg = ActionArgument.parse(argument);
        List<Target> ts = new ArrayList<>();
        for (String t : targets) ts.add(ctx.target(t));
        ActionRequest request = new ActionRequest("PM", action, SuboptionValidator.validate("PM", action, arg.suboptions()),
                ts, GenericOptions.defaults());
        return new PmPlugin().plan(request, ctx);
    }

    private static <T> List<T> steps(Step step, Class<T> type) {
        List<T> out = new ArrayList<>();
        if (type.isInstance(step)) out.add(type.cast(step));
        for (Step c : step.children()) out.addAll(steps(c, type));
        return out;
    }

    private static CtysException thrown(Runnable r) {
        try {
            r.run();
        } catch (CtysException e) {
            return e;
        }
        throw new AssertionError("expected a CtysException");
    }

    @Test
    void createPowersEachMachineOnThroughItsOwnBmcThenWaitsWhereAnAddressIsKnown() {
        Plan plan = plan(PmActions.CREATE, "create=ipmi,boot:pxe", "pm01", "pm02");

        List<BmcPower> powers = steps(plan.root(), BmcPower.class);
        assertThat(powers).extracting(BmcPower::target).containsExactly("pm01", "pm02");
        assertThat(powers).extracting(BmcPower::bmc).containsExactly(BMC1, BMC2);
        assertThat(powers).allSatisfy(p -> {
            assertThat(p.procedure()).isEqualTo(BmcPower.Procedure.ON);
            assertThat(p.boot()).isEqualTo("PXE");
        });
        // the power-on goes on to the wait for an answer, at the inventory's address or the name
        assertThat(powers).noneMatch(BmcPower::finish);
        assertThat(steps(plan.root(), WaitUntilUp.class)).extracting(WaitUntilUp::address).containsExactly("10.0.0.1", "pm02");
        assertThat(plan.root()).isInstanceOf(Step.Parallel.class);
    }

    @Test
    void theDryRunReadsLikeIpmitoolAndDoesNotSayWhereThePasswordIs() {
        String text = plan(PmActions.CREATE, "create=ipmi,boot:cdrom,ping:off", "pm01").render();

        assertThat(text).contains("ipmitool -I lanplus -C 3 -H 10.9.0.1 -p 6230 -U admin -E chassis bootdev cdrom")
                .contains("chassis power on").doesNotContain("PM01_BMC");
    }

    @Test
    void withPingOffTheBmcsWordIsAll() {
        Plan plan = plan(PmActions.CREATE, "create=ipmi,ping:off", "pm01");
        assertThat(steps(plan.root(), BmcPower.class)).singleElement().satisfies(p -> assertThat(p.finish()).isTrue());
        assertThat(steps(plan.root(), WaitUntilUp.class)).isEmpty();
    }

    @Test
    void consoleSolAttachesRightAfterThePowerOn() {
        Plan plan = plan(PmActions.CREATE, "create=ipmi,boot:pxe,console:sol", "pm01");

        assertThat(((Step.Sequence) plan.root()).steps()).satisfiesExactly(
                p -> assertThat(p).isInstanceOfSatisfying(BmcPower.class, b -> assertThat(b.boot()).isEqualTo("PXE")),
                a -> assertThat(a).isInstanceOfSatisfying(org.ctys.spi.AttachSol.class, s -> assertThat(s.bmc()).isEqualTo(BMC1)));
        assertThat(steps(plan.root(), WaitUntilUp.class)).as("the console shows the boot; no wait").isEmpty();
    }

    @Test
    void consoleSolIsForOneMachineAndForIpmi() {
        assertThat(thrown(() -> plan(PmActions.CREATE, "create=ipmi,console:sol", "pm01", "pm02")).getMessage())
                .contains("one terminal to one machine, not 2 (pm01, pm02)");
        // after Wake-on-LAN the console is attached once the machine answers
        Plan woken = plan(PmActions.CREATE, "create=wol,console:sol,tcp:10.0.0.1,bmac:00:11:22:33:44:01");
        Step.Sequence seq = (Step.Sequence) woken.root();
        assertThat(seq.steps().get(seq.steps().size() - 1)).isInstanceOfSatisfying(AttachSol.class,
                s -> assertThat(s.bmc()).isEqualTo(BMC1));
        // a machine without a BMC has no Serial-over-LAN: a configuration error, before anything is sent
        assertThat(thrown(() -> plan(PmActions.CREATE, "create=wol,console:sol", "plain")).getMessage())
                .contains("no BMC known for 'plain'");
        assertThat(thrown(() -> plan(PmActions.CREATE, "create=ipmi,console:sol,sshping:3%1", "pm01")).getMessage())
                .contains("SSHPING with CONSOLE:SOL");
    }

    @Test
    void sshPingFollowsThePowerOn() {
        Plan plan = plan(PmActions.CREATE, "create=ipmi,sshping:5%2", "pm01");

        assertThat(steps(plan.root(), WaitForLogin.class)).singleElement()
                .satisfies(w -> assertThat(w.tries()).isEqualTo(5));
    }

    @Test
    void aMachineWithoutABmcIsAConfigurationError() {
        CtysException e = thrown(() -> plan(PmActions.CREATE, "create=ipmi", "pm01", "plain"));
        assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(e.getMessage()).contains("no BMC known for 'plain'").contains("bmc:");
    }

    @Test
    void wakeOnLanSuboptionsDoNotGoWithIpmi() {
        for (String bad : List.of("create=ipmi,broadcast:10.0.0.255", "create=ipmi,l:pm01", "create=ipmi,bmac:00:11:22:33:44:55")) {
            CtysException e = thrown(() -> plan(PmActions.CREATE, bad, "pm01"));
            assertThat(e.status()).as(bad).isEqualTo(ExitStatus.USAGE);
            assertThat(e.getMessage()).as(bad).contains("is for Wake-on-LAN");
        }
        assertThatThrownBy(() -> plan(PmActions.CREATE, "create=ipmi")).hasMessageContaining("no machine to power on");
    }

    @Test
    void cancelIsSoftOffWithAGraceByDefaultAndHardWithForce() {
        BmcPower soft = steps(plan(PmActions.CANCEL, "cancel=ipmi", "pm01").root(), BmcPower.class).get(0);
        assertThat(soft.procedure()).isEqualTo(BmcPower.Procedure.OFF);
        assertThat(soft.grace()).isEqualTo(CancelPlanner.DEFAULT_GRACE);

        BmcPower given = steps(plan(PmActions.CANCEL, "cancel=ipmi,timeout:30s", "pm01").root(), BmcPower.class).get(0);
        assertThat(given.grace()).isEqualTo(Duration.ofSeconds(30));

        BmcPower hard = steps(plan(PmActions.CANCEL, "cancel=ipmi,force", "pm01").root(), BmcPower.class).get(0);
        assertThat(hard.procedure()).isEqualTo(BmcPower.Procedure.OFF_HARD);
        assertThat(hard.grace()).isNull();
    }

    @Test
    void rebootAndResetChooseTheirProcedures() {
        assertThat(steps(plan(PmActions.CANCEL, "cancel=ipmi,reboot", "pm01").root(), BmcPower.class).get(0).procedure())
                .isEqualTo(BmcPower.Procedure.REBOOT);
        assertThat(steps(plan(PmActions.CANCEL, "cancel=ipmi,reboot,force", "pm01").root(), BmcPower.class).get(0).procedure())
                .isEqualTo(BmcPower.Procedure.CYCLE);
        assertThat(steps(plan(PmActions.CANCEL, "cancel=ipmi,reset", "pm01").root(), BmcPower.class).get(0).procedure())
                .isEqualTo(BmcPower.Procedure.RESET);
    }

    @Test
    void aMachineWithGuestsHasThemShutDownOverSshBeforeItsBmcPowersItOff() {
        Step root = plan(PmActions.CANCEL, "cancel=ipmi", "kvm1").root();
        Discover walk = steps(root, Discover.class).get(0);
        assertThat(walk.target()).isEqualTo("kvm1");
        // names and states are all a shutdown needs to know: one virsh
        assertThat(walk.command()).isEqualTo("LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all --managed-save 2>/dev/null || LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all");
        // the dry run's view: the inventory's guest shut down, then, once it is off, the BMC's soft off
        After after = steps(walk.preview(), After.class).get(0);
        assertThat(after.prerequisites()).containsExactly("kvm1[vm1]");
        assertThat(after.anyway()).isFalse();
        assertThat(steps(after, BmcPower.class)).singleElement().extracting(BmcPower::procedure).isEqualTo(BmcPower.Procedure.OFF);
        // FORCE: the BMC stops everything at once, nothing is asked first
        Step forced = plan(PmActions.CANCEL, "cancel=ipmi,force", "kvm1").root();
        assertThat(steps(forced, Discover.class)).isEmpty();
        assertThat(steps(forced, BmcPower.class)).singleElement().extracting(BmcPower::procedure).isEqualTo(BmcPower.Procedure.OFF_HARD);
    }

    @Test
    void cancelWithoutIpmiGoesOverSshAndNeverToTheBmc() {
        Step root = plan(PmActions.CANCEL, "cancel=reboot,self", "pm01").root();
        assertThat(steps(root, Discover.class)).isNotEmpty();
        assertThat(steps(root, BmcPower.class)).isEmpty();
        assertThat(steps(root, RunCommand.class)).extracting(RunCommand::command)
                .anyMatch(c -> c.contains("systemctl --no-block reboot"));
    }

    @Test
    void aMachineNamedTwiceIsTakenDownOnce() {
        Plan plan = plan(PmActions.CANCEL, "cancel=ipmi", "pm01", "pm01", "pm02");
        assertThat(plan.targets()).containsExactly("pm01", "pm02");
        assertThat(steps(plan.root(), BmcPower.class)).hasSize(2);
    }
}
