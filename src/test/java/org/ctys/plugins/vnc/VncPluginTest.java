package org.ctys.plugins.vnc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.SuboptionValidator;
import org.ctys.spi.Target;
import org.ctys.spi.ViewVnc;
import org.junit.jupiter.api.Test;

/** VNC plans: how the display is found, which viewer, the detached keeper's command, and what is refused. */
class VncPluginTest {
    private Set<String> onPath = Set.of("xtigervncviewer", "vncviewer");
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, Machine> machines = new HashMap<>();

    private final PlanContext context = new PlanContext() {
        @Override public Optional<Machine> machine(String name) { return Optional.ofNullable(machines.get(name)); }
        @Override public List<Machine> machines() { return List.copyOf(machines.values()); }
        @Override public Optional<String> inventorySource() { return Optional.empty(); }
        @Override public Optional<Mac> ethers(String host) { return Optional.empty(); }
        @Override public WolSettings defaultWol() { return WolSettings.NONE; }
        @Override public Optional<InetAddress> interfaceBroadcast(String name) { return Optional.empty(); }
        @Override public List<String> interfaceNames() { return List.of(); }
        @Override public Optional<Path> program(String name) {
            return onPath.contains(name) ? Optional.of(Path.of("/usr/bin", name)) : Optional.empty();
        }
        @Override public Optional<String> environment(String name) { return Optional.ofNullable(env.get(name)); }
    };

    private Plan plan(String action, GenericOptions options, Target... targets) {
        VncPlugin p = new VncPlugin();
        ActionArgument a = ActionArgument.parse(action);
        var spec = p.action(a.action()).orElseThrow();
        return p.plan(new ActionRequest(p.type(), spec, SuboptionValidator.validate(p.type(), spec, a.suboptions()),
                List.of(targets), options), context);
    }

    private static Target target(String name, String user, String... stack) {
        return new Target(name, user, List.of(stack), null, null);
    }

    private static Machine machine(String name, Hypervisor hv, SecretRef vnc) {
        return new Machine(name, name + ".lab", List.of(), WolSettings.NONE, null, new SshSettings(null, null, List.of()),
                hv, null, Map.of(), null, false, null, vnc);
    }

    @Test
    void aMachinesDisplayIsAskedOfItAndTheViewerDetachedHoldsTheForwardInASecondCtys() {
        GenericOptions o = new GenericOptions(null, 64, false, false, null, false, null, false, 0,
                new GenericOptions.Ssh(null, List.of("gw1", "gw2"), false, Path.of("/root")));
        ViewVnc v = (ViewVnc) plan("create=l:desk,display:2", o, target("lab07", "root")).root();
        assertThat(v.finder()).isEqualTo(new ViewVnc.Listening(2));
        assertThat(v.remote().jumps()).containsExactly("gw1", "gw2");
        assertThat(v.viewer()).isEqualTo("/usr/bin/xtigervncviewer");
        assertThat(v.detached()).isTrue();
        assertThat(v.keeperArgs()).containsExactly("-J", "gw1,gw2", "-t", "vnc", "-a", "create=L:desk,DISPLAY:2,FOREGROUND",
                "--", "root@lab07");
        assertThat(v.describe()).contains("ssh -N -L '127.0.0.1:<local-port>:localhost:5902' -J gw1,gw2 root@lab07")
                .contains("/usr/bin/xtigervncviewer '127.0.0.1::<local-port>'").doesNotContain("ss -ltnH");
    }

    @Test
    void foregroundRunsTheViewerItselfAndWithoutDisplayTheMachineIsAsked() {
        ViewVnc v = (ViewVnc) plan("create=fg", GenericOptions.defaults(), target("lab07", null)).root();
        assertThat(v.detached()).isFalse();
        assertThat(v.keeperArgs()).isEmpty();
        assertThat(v.finder()).isEqualTo(new ViewVnc.Listening(null));
        assertThat(v.describe()).contains("ssh lab07 'ss -ltnH'");
    }

    @Test
    void aGuestsDisplayIsAskedOfItsHypervisorOnItsHost() {
        machines.put("lab01", machine("lab01", Hypervisor.KVM, null));
        Target kvmGuest = new Target("lab01", "root", List.of("web1"), machines.get("lab01"), null);
        ViewVnc v = (ViewVnc) plan("create", GenericOptions.defaults(), kvmGuest).root();
        assertThat(v.finder()).isEqualTo(new ViewVnc.Virsh("qemu:///system", "web1"));
        assertThat(v.remote().host()).isEqualTo("lab01.lab");
        assertThat(v.target()).isEqualTo("lab01[web1]");

        machines.put("xen1", machine("xen1", Hypervisor.XEN, null));
        Target xenGuest = new Target("xen1", null, List.of("win"), machines.get("xen1"), null);
        assertThat(((ViewVnc) plan("create", GenericOptions.defaults(), xenGuest).root()).finder())
                .isEqualTo(new ViewVnc.Xl("win"));
    }

    @Test
    void theInventorysPasswordIsASecretOfTheStepAndTheDryRunShowsOnlyWhereItGoes() {
        SecretRef ref = SecretRef.file(Path.of("/etc/ctys/vnc-lab07"));
        machines.put("lab07", machine("lab07", Hypervisor.NONE, ref));
        ViewVnc v = (ViewVnc) plan("create", GenericOptions.defaults(),
                new Target("lab07", null, List.of(), machines.get("lab07"), null)).root();
        assertThat(v.secrets()).extracting(s -> s.ref()).containsExactly(ref);
        assertThat(v.describe()).contains("-passwd '<file>'").doesNotContain("/etc/ctys/vnc-lab07");
    }

    @Test
    void theViewerIsCtysVncviewerElseXtigervncviewerElseVncviewer() {
        onPath = Set.of("vncviewer", "myviewer");
        assertThat(viewer()).isEqualTo("/usr/bin/vncviewer");
        env.put("CTYS_VNCVIEWER", "myviewer");
        assertThat(viewer()).isEqualTo("/usr/bin/myviewer");
        env.put("CTYS_VNCVIEWER", "/nonexistent");
        assertThatThrownBy(this::viewer).isInstanceOfSatisfying(CtysException.class,
                e -> assertThat(e.status()).isEqualTo(ExitStatus.CONFIG))
                .hasMessage("CTYS_VNCVIEWER=/nonexistent is not an executable program (xtigervncviewer is in the Debian package tigervnc-viewer)");
        env.clear();
        onPath = Set.of();
        assertThatThrownBy(this::viewer).hasMessageContaining("Debian package tigervnc-viewer");
    }

    private String viewer() {
        return ((ViewVnc) plan("create", GenericOptions.defaults(), target("lab07", null)).root()).viewer();
    }

    @Test
    void badInputIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> plan("create=display:x", GenericOptions.defaults(), target("lab07", null)))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.USAGE))
                .hasMessage("suboption 'DISPLAY:x': not a display number; valid: 0 to 99 (port 5900+n)");
        assertThatThrownBy(() -> plan("create=display:100", GenericOptions.defaults(), target("lab07", null)))
                .hasMessageContaining("DISPLAY:100");
        assertThatThrownBy(() -> plan("create", GenericOptions.defaults(), target("a", null), target("b", null)))
                .hasMessageContaining("one display, not 2");
        assertThatThrownBy(() -> plan("create", GenericOptions.defaults()))
                .hasMessageContaining("no target");
        assertThatThrownBy(() -> plan("create=display:1", GenericOptions.defaults(), target("lab01", null, "web1")))
                .hasMessageContaining("its hypervisor's");
        assertThatThrownBy(() -> plan("create=start", GenericOptions.defaults(), target("lab01", null, "web1")))
                .hasMessageContaining("START starts a server on a machine");
        assertThatThrownBy(() -> plan("create", GenericOptions.defaults(), target("localhost", null)))
                .hasMessageContaining("VNC is reached over SSH");
    }

    @Test
    void aLabelWithCommasColonsAndBackslashesReachesTheKeeperUnchanged() {
        for (String label : new String[] {"a,,b::c", "x\\\\", "x\\\\,,y%%"}) {
            ViewVnc v = (ViewVnc) plan("create=l:" + label + ",display:3", GenericOptions.defaults(), target("lab07", null)).root();
            String create = v.keeperArgs().get(v.keeperArgs().indexOf("-a") + 1);
            ActionArgument typed = ActionArgument.parse("create=l:" + label + ",display:3");
            ActionArgument kept = ActionArgument.parse(create);
            assertThat(kept.suboptions()).as(create).hasSize(3);
            assertThat(kept.suboptions().get(0).values()).isEqualTo(typed.suboptions().get(0).values());
            assertThat(kept.suboptions().get(1).values()).containsExactly("3");
        }
    }
}
