package org.ctys.plugins.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ctys.exit.CtysException;
import org.ctys.grammar.ActionArgument;
import org.ctys.grammar.Mac;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SshSettings;
import org.ctys.inventory.WolSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.OpenShell;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.SuboptionValidator;
import org.ctys.spi.Target;
import org.junit.jupiter.api.Test;

class CliPluginTest {
    private final Map<String, Machine> machines = new HashMap<>();

    private final PlanContext context = new PlanContext() {
        @Override public Optional<Machine> machine(String name) { return Optional.ofNullable(machines.get(name)); }
        @Override public List<Machine> machines() { return List.copyOf(machines.values()); }
        @Override public Optional<String> inventorySource() { return Optional.empty(); }
        @Override public Optional<Mac> ethers(String host) { return Optional.empty(); }
        @Override public WolSettings defaultWol() { return WolSettings.NONE; }
        @Override public Optional<InetAddress> interfaceBroadcast(String name) { return Optional.empty(); }
        @Override public List<String> interfaceNames() { return List.of(); }
        @Override public Optional<Path> program(String name) { return Optional.empty(); }
    };

    private static Machine machine(String name, String host, Integer port, List<String> jump, boolean viaHostOnly, String parent) {
        return new Machine(name, host, List.of(), WolSettings.NONE, null, new SshSettings("admin", port, jump),
                Hypervisor.NONE, null, Map.of(), null, viaHostOnly, parent);
    }

    private Plan plan(String action, GenericOptions options, Target... targets) {
        CliPlugin p = new CliPlugin();
        ActionArgument a = ActionArgument.parse(action);
        var spec = p.action(a.action()).orElseThrow();
        return p.plan(new ActionRequest("CLI", spec, SuboptionValidator.validate("CLI", spec, a.suboptions()),
                List.of(targets), options), context);
    }

    private static List<RunCommand> runs(Plan plan) {
        return ((Step.Parallel) plan.root()).steps().stream().map(RunCommand.class::cast).toList();
    }

    @Test
    void oneCommandPerTargetAllAtOnce() {
        Plan plan = plan("create=cmd:uptime", GenericOptions.defaults(),
                new Target("lab01", "root", List.of(), null, null), new Target("lab02", null, List.of(), null, null),
                new Target("lab01", "root", List.of(), null, null));
        assertThat(plan.targets()).containsExactly("lab01", "lab02");
        assertThat(runs(plan)).extracting(RunCommand::describe).containsExactly("ssh root@lab01 uptime", "ssh lab02 uptime");
        assertThat(runs(plan)).allSatisfy(r -> assertThat(r.timeout()).isEqualTo(CliPlugin.DEFAULT_TIMEOUT));
    }

    @Test
    void theInventoryGivesAddressPortAndHopsAndMinusJWins() {
        machines.put("lab01", machine("lab01", "10.0.0.1", 2222, List.of("gw01"), false, null));
        Target t = new Target("lab01", "admin", List.of(), machines.get("lab01"), null);
        assertThat(runs(plan("create=cmd:true", GenericOptions.defaults(), t)).get(0).describe())
                .isEqualTo("ssh -J gw01 -p 2222 admin@10.0.0.1 true");
        GenericOptions withJ = new GenericOptions(null, 64, false, false, null, false, null, false, 0,
                new GenericOptions.Ssh(null, List.of("hop1", "root@hop2:2200"), false, Path.of("/root")));
        assertThat(runs(plan("create=cmd:true", withJ, t)).get(0).describe())
                .isEqualTo("ssh -J hop1,root@hop2:2200 -p 2222 admin@10.0.0.1 true");
    }

    @Test
    void aStackAddressGoesThroughItsHostWhenTheGuestIsOnlyReachableFromThere() {
        machines.put("pm01", machine("pm01", "10.0.0.1", null, List.of(), false, null));
        machines.put("vm3", machine("vm3", "192.168.122.3", null, List.of(), true, "pm01"));
        machines.put("vm4", machine("vm4", "10.0.0.4", null, List.of(), false, "pm01"));
        Plan plan = plan("create=cmd:id", GenericOptions.defaults(),
                new Target("pm01", "root", List.of("vm3"), machines.get("pm01"), null),
                new Target("pm01", "root", List.of("vm4"), machines.get("pm01"), null),
                new Target("pm01", "root", List.of("unknown"), machines.get("pm01"), null));
        assertThat(plan.targets()).containsExactly("pm01[vm3]", "pm01[vm4]", "pm01[unknown]");
        assertThat(runs(plan)).extracting(RunCommand::describe).containsExactly(
                "ssh -J root@10.0.0.1 admin@192.168.122.3 id", "ssh admin@10.0.0.4 id", "ssh -J root@10.0.0.1 root@unknown id");
    }

    @Test
    void aTargetsOwnTimeoutBoundsItsCommand() {
        Plan plan = plan("create=cmd:true,timeout:1m", GenericOptions.defaults(),
                new Target("lab01", null, List.of(), null, Duration.ofSeconds(10)), new Target("lab02", null, List.of(), null, null));
        assertThat(runs(plan)).extracting(RunCommand::timeout).containsExactly(Duration.ofSeconds(10), Duration.ofMinutes(1));
    }

    @Test
    void withoutACommandItIsAShellOnTheOneTarget() {
        Plan plan = plan("create", GenericOptions.defaults(), new Target("lab01", "root", List.of(), null, null));
        assertThat(plan.targets()).containsExactly("lab01");
        assertThat(plan.root()).isInstanceOf(OpenShell.class);
        assertThat(plan.root().describe()).isEqualTo("ssh -t root@lab01");
        assertThat(((OpenShell) plan.root()).pty()).isNull();
    }

    @Test
    void theShellGoesThroughTheInventorysHopsAndNoPtyShowsAsMinusT() {
        machines.put("lab01", machine("lab01", "10.0.0.1", 2222, List.of("gw01"), false, null));
        GenericOptions noPty = new GenericOptions(null, 64, false, false, null, false, false, false, 0);
        Plan plan = plan("create", noPty, new Target("lab01", "admin", List.of(), machines.get("lab01"), null));
        assertThat(plan.root().describe()).isEqualTo("ssh -T -J gw01 -p 2222 admin@10.0.0.1");
        assertThat(((OpenShell) plan.root()).pty()).isFalse();
    }

    @Test
    void aShellOnSeveralTargetsIsRefusedNamingThem() {
        assertThatThrownBy(() -> plan("create", GenericOptions.defaults(), new Target("lab01", null, List.of(), null, null),
                new Target("lab02", null, List.of(), null, null)))
                .isInstanceOf(CtysException.class).hasMessageContaining("exactly one target, not 2 (lab01, lab02)")
                .hasMessageContaining("use CMD:<command> to run on many")
                .satisfies(e -> assertThat(((CtysException) e).status()).isEqualTo(org.ctys.exit.ExitStatus.USAGE));
    }

    @Test
    void theSameTargetTwiceIsStillOneShell() {
        Plan plan = plan("create", GenericOptions.defaults(), new Target("lab01", null, List.of(), null, null),
                new Target("lab01", null, List.of(), null, null));
        assertThat(plan.root().describe()).isEqualTo("ssh -t lab01");
    }

    @Test
    void aShellHasNoTimeout() {
        assertThatThrownBy(() -> plan("create=timeout:1m", GenericOptions.defaults(), new Target("lab01", null, List.of(), null, null)))
                .isInstanceOf(CtysException.class).hasMessageContaining("TIMEOUT bounds a command");
    }

    @Test
    void quotingInTheDryRunKeepsTheCommandOneWord() {
        Plan plan = plan("create=cmd:echo 'it''s',,ok", GenericOptions.defaults(), new Target("lab01", null, List.of(), null, null));
        assertThat(runs(plan).get(0).command()).isEqualTo("echo 'it''s',ok");
        assertThat(runs(plan).get(0).describe()).isEqualTo("ssh lab01 'echo '\\''it'\\'''\\''s'\\'',ok'");
    }

    @Test
    void localhostAndNoTargetRunHereWithoutSsh() {
        Plan none = plan("create=cmd:uptime", GenericOptions.defaults());
        assertThat(runs(none)).singleElement().satisfies(r -> {
            assertThat(r.remote()).isNull();
            assertThat(r.describe()).isEqualTo("sh -c uptime");
        });
        Plan local = plan("create=cmd:uptime", GenericOptions.defaults(), new Target("localhost", null, List.of(), null, null));
        assertThat(runs(local).get(0).remote()).isNull();
    }
}
