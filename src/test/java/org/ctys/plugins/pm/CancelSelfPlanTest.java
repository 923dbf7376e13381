package org.ctys.plugins.pm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ctys.grammar.ActionArgument;
import org.ctys.spi.SuboptionValidator;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.grammar.Mac;
import org.ctys.inventory.SshSettings;
import org.ctys.inventory.WolSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Note;
import org.ctys.spi.Plan;
import org.ctys.spi.Step;
import org.ctys.spi.Target;
import org.junit.jupiter.api.Test;

/** PM CANCEL with SELF as a plan: what its title promises and what its final line tells the user. */
class CancelSelfPlanTest {
    private static final Machine LAB01 = new Machine("lab01", "10.0.0.1", List.of(Mac.parse("52:54:00:5e:1f:01")), WolSettings.NONE,
            null, new SshSettings("root", null, List.of()), Hypervisor.KVM, null, Map.of(), null, false, null);
    private final FakeContext ctx = new FakeContext().add(LAB01);

    private Plan plan(String argument, Target target) {
        ActionArgument arg = ActionArgument.parse(argument);
        ActionRequest request = new ActionRequest("PM", PmActions.CANCEL,
                SuboptionValidator.validate("PM", PmActions.CANCEL, arg.suboptions()), List.of(target), GenericOptions.defaults());
        return new PmPlugin().plan(request, ctx);
    }

    private static List<String> notes(Step step) {
        List<String> out = new ArrayList<>();
        if (step instanceof Note n) out.add(n.verdict().message());
        for (Step c : step.children()) out.addAll(notes(c));
        return out;
    }

    @Test
    void initThreeSaysItSwitchesTheRunLevelNotThatItPowersOff() {
        Plan plan = plan("cancel=init:3", new Target("lab01", null, List.of(), LAB01, null));

        assertThat(plan.title()).contains("switch to run level 3").doesNotContain("power off");
    }

    @Test
    void theWakeLineNamesTheMachineNotTheLogin() {
        // the user comes from the inventory's ssh entry: a wake sends no login
        Plan plan = plan("cancel=self,wol,broadcast:10.0.0.255", new Target("lab01", "root", List.of(), LAB01, null));

        assertThat(notes(plan.root())).anyMatch(m -> m.endsWith("wake it with: ctys -t pm -a create=wol,broadcast:10.0.0.255 lab01"));
    }

    @Test
    void theLabelNamesTheSessionInTheReportNotOnlyInTheTitle() {
        Plan plan = plan("cancel=l:tst100,POWEROFF:0", new Target("lab01", null, List.of(), LAB01, null));

        assertThat(notes(plan.root())).anyMatch(m -> m.startsWith("tst100: ") && m.endsWith("lab01 stays up"));
    }
}
