package org.ctys.plugins.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.ctys.grammar.ActionArgument;
import org.ctys.grammar.Mac;
import org.ctys.inventory.Machine;
import org.ctys.inventory.WolSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.OpenWindow;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;
import org.ctys.spi.SuboptionValidator;
import org.ctys.spi.Target;
import org.junit.jupiter.api.Test;

/** XTERM and GTERM plans: one window, on one target, running the CLI shell. */
class TerminalPluginTest {
    private Set<String> onPath = Set.of("xterm", "gnome-terminal");

    private final PlanContext context = new PlanContext() {
        @Override public Optional<Machine> machine(String name) { return Optional.empty(); }
        @Override public List<Machine> machines() { return List.of(); }
        @Override public Optional<String> inventorySource() { return Optional.empty(); }
        @Override public Optional<Mac> ethers(String host) { return Optional.empty(); }
        @Override public WolSettings defaultWol() { return WolSettings.NONE; }
        @Override public Optional<InetAddress> interfaceBroadcast(String name) { return Optional.empty(); }
        @Override public List<String> interfaceNames() { return List.of(); }
        @Override public Optional<Path> program(String name) {
            return onPath.contains(name) ? Optional.of(Path.of("/usr/bin", name)) : Optional.empty();
        }
    };

    private Plan plan(Plugin p, String action, GenericOptions options, Target... targets) {
        ActionArgument a = ActionArgument.parse(action);
        var spec = p.action(a.action()).orElseThrow();
        return p.plan(new ActionRequest(p.type(), spec, SuboptionValidator.validate(p.type(), spec, a.suboptions()),
                List.of(targets), options), context);
    }

    private static Target target(String name, String user) { return new Target(name, user, List.of(), null, null); }

    @Test
    void xtermOpensOneWindowRunningTheCliShell() {
        Plan plan = plan(new XtermPlugin(), "create=l:lab01", GenericOptions.defaults(), target("lab01", "root"));
        assertThat(plan.targets()).containsExactly("lab01");
        OpenWindow w = (OpenWindow) plan.root();
        assertThat(w).isEqualTo(new OpenWindow("lab01", "xterm", "lab01", List.of("-t", "cli", "-a", "create", "--", "root@lab01")));
        assertThat(w.describe()).isEqualTo("xterm -T lab01 -e ctys -t cli -a create -- root@lab01");
        assertThat(w.commandLine(List.of("/opt/ctys/bin/ctys", "-t", "cli")))
                .containsExactly("xterm", "-T", "lab01", "-e", "/opt/ctys/bin/ctys", "-t", "cli");
    }

    @Test
    void gtermUsesGnomeTerminal() {
        Plan plan = plan(new GtermPlugin(), "create=label:my shell", GenericOptions.defaults(), target("lab01", null));
        OpenWindow w = (OpenWindow) plan.root();
        assertThat(w.terminal()).isEqualTo("gnome-terminal");
        assertThat(w.describe()).isEqualTo("gnome-terminal '--title=my shell' -- ctys -t cli -a create -- lab01");
        assertThat(w.commandLine(List.of("ctys"))).containsExactly("gnome-terminal", "--title=my shell", "--", "ctys");
    }

    @Test
    void theSshOptionsArePassedOnToTheShellInside() {
        GenericOptions o = new GenericOptions("admin", 64, false, false, null, false, Boolean.TRUE, true, 0,
                new GenericOptions.Ssh(Path.of("/etc/ctys/ssh_config"), List.of("gw1", "root@gw2:2200"), true, Path.of("/root")));
        OpenWindow w = (OpenWindow) plan(new XtermPlugin(), "create=l:x", o, target("lab[vm1]", "admin")).root();
        assertThat(w.ctysArgs()).containsExactly("-l", "admin", "-J", "gw1,root@gw2:2200", "-F", "/etc/ctys/ssh_config",
                "--accept-new-host-keys", "-z", "PTY", "-Y", "-t", "cli", "-a", "create", "--", "admin@lab[vm1]");
    }

    @Test
    void theTargetPassedOnCannotBecomeAnOptionOfTheCtysInTheWindow() {
        // a name such as "-d3" (from an inventory group, say) must reach the inner ctys as a target,
        // where the grammar refuses it, and never turn into "-d 3" and a shell on localhost
        OpenWindow w = (OpenWindow) plan(new XtermPlugin(), "create=l:x", GenericOptions.defaults(), target("-d3", null)).root();
        assertThat(w.ctysArgs()).endsWith("--", "-d3");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        List<String> inner = new java.util.ArrayList<>(List.of("-n"));
        inner.addAll(w.ctysArgs());
        int status = org.ctys.cli.Ctys.run(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
                inner.toArray(new String[0]));
        assertThat(status).as(out + "\n" + err).isEqualTo(ExitStatus.USAGE.code());
        assertThat(err.toString()).contains("bad target '-d3'");
        assertThat(w.describe()).endsWith("ctys -t cli -a create -- -d3");
    }

    @Test
    void noTargetIsThisHostAsForTheCliShell() {
        Plan plan = plan(new XtermPlugin(), "create=l:here", GenericOptions.defaults());
        assertThat(plan.targets()).containsExactly("localhost");
        assertThat(plan.root().describe()).isEqualTo("xterm -T here -e ctys -t cli -a create");
    }

    @Test
    void theLabelIsRequired() {
        assertThatThrownBy(() -> plan(new XtermPlugin(), "create", GenericOptions.defaults(), target("lab01", null)))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.USAGE))
                .hasMessageContaining("L:<label>");
    }

    @Test
    void oneTargetOnly() {
        assertThatThrownBy(() -> plan(new GtermPlugin(), "create=l:x", GenericOptions.defaults(),
                target("lab01", null), target("lab02", null)))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.USAGE))
                .hasMessageContaining("exactly one target, not 2 (lab01, lab02)");
        assertThatThrownBy(() -> plan(new XtermPlugin(), "create=l:x", GenericOptions.defaults(),
                target("lab01", "root"), target("lab01", "admin")))
                .hasMessageContaining("exactly one target, not 2 (root@lab01, admin@lab01)");
        // the same login twice is one target
        assertThat(plan(new XtermPlugin(), "create=l:x", GenericOptions.defaults(), target("lab01", "root"),
                target("lab01", "root")).targets()).containsExactly("lab01");
    }

    @Test
    void aMissingTerminalIsAConfigurationErrorNamingItsPackage() {
        onPath = Set.of();
        assertThatThrownBy(() -> plan(new XtermPlugin(), "create=l:x", GenericOptions.defaults(), target("lab01", null)))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.CONFIG))
                .hasMessage("xterm not found on PATH (Debian package xterm)");
        assertThatThrownBy(() -> plan(new GtermPlugin(), "create=l:x", GenericOptions.defaults(), target("lab01", null)))
                .hasMessage("gnome-terminal not found on PATH (Debian package gnome-terminal)");
    }
}
