package org.ctys;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.ctys.engine.run.PollLoop;
import org.ctys.spi.Plugin;
import org.junit.jupiter.api.Test;

/**
 * The layering that keeps plugins pure planners: they see the SPI, the grammar and the
 * inventory, and nothing that sends, prints or parses the command line.
 */
@AnalyzeClasses(packages = "org.ctys", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String SERVICES = "META-INF/services/" + Plugin.class.getName();

    @ArchTest
    static final ArchRule pluginsSeeOnlyTheSpiGrammarAndInventory = classes()
            .that().resideInAPackage("org.ctys.plugins..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "org.ctys.plugins..", "org.ctys.spi..", "org.ctys.grammar..", "org.ctys.inventory..", "org.ctys.exit..",
                    "org.ctys.stack..", "java..")
            .because("a plugin plans; the engine and the transports act on its plan");

    @ArchTest
    static final ArchRule pluginsDoNotUseTheCliTransportsOrEngine = noClasses()
            .that().resideInAPackage("org.ctys.plugins..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.ctys.cli..", "org.ctys.transport..", "org.ctys.engine..");

    @ArchTest
    static final ArchRule pluginsAreIndependentOfEachOther = slices()
            .matching("org.ctys.plugins.(*)..")
            .should().notDependOnEachOther();

    @ArchTest
    static final ArchRule theCliFindsPluginsOnlyThroughTheServiceLoader = noClasses()
            .that().resideInAPackage("org.ctys.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.ctys.plugins..");

    @ArchTest
    static final ArchRule theSpiDependsOnNothingThatActs = noClasses()
            .that().resideInAPackage("org.ctys.spi..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.ctys.cli..", "org.ctys.engine..", "org.ctys.transport..");

    /** What the hypervisor plugins share (how KVM and XEN hosts are asked and read) plans like they do. */
    @ArchTest
    static final ArchRule theStackDialectsDependOnNothingThatActs = noClasses()
            .that().resideInAPackage("org.ctys.stack..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.ctys.cli..", "org.ctys.engine..", "org.ctys.transport..", "org.ctys.plugins..")
            .because("the PM, KVM and XEN plugins use it, so it may use no more than they do, and none of them");

    @ArchTest
    static final ArchRule theCliImportsNoTransport = noClasses()
            .that().resideInAPackage("org.ctys.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.ctys.transport..")
            .because("the CLI hands plans to the engine; which transport carries a step is the engine's business");

    @ArchTest
    static final ArchRule noPackageCycles = slices()
            .matching("org.ctys.(**)")
            .should().beFreeOfCycles()
            .because("each package can be read, tested and changed knowing only those below it");

    @ArchTest
    static final ArchRule onlyTheSshTransportUsesMinaSshd = noClasses()
            .that().resideOutsideOfPackage("org.ctys.transport.ssh..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.sshd..")
            .because("its sessions, keys and errors stay behind ctys's own SSH transport");

    @ArchTest
    static final ArchRule onlyTheConsoleUsesJLine = noClasses()
            .that().resideOutsideOfPackage("org.ctys.console..")
            .should().dependOnClassesThat().resideInAPackage("org.jline..")
            .because("raw mode and its exact restore are the console's, in one place");

    @ArchTest
    static final ArchRule onlyTheWakeOnLanAndIpmiTransportsSendDatagrams = noClasses()
            .that().resideOutsideOfPackages("org.ctys.transport.wol..", "org.ctys.transport.ipmi..")
            .should().dependOnClassesThat().areAssignableTo(DatagramChannel.class);

    @ArchTest
    static final ArchRule onlyTheIpmiTransportUsesTheIpmiLibrary = noClasses()
            .that().resideOutsideOfPackage("org.ctys.transport.ipmi..")
            .should().dependOnClassesThat().resideInAPackage("org.metricshub.ipmi..")
            .because("its sessions, threads and errors stay behind ctys's own bounded calls and messages");

    @ArchTest
    static final ArchRule onlyTheSerialTransportUsesJSerialComm = noClasses()
            .that().resideOutsideOfPackage("org.ctys.transport.serial..")
            .should().dependOnClassesThat().resideInAPackage("com.fazecast.jSerialComm..")
            .because("its native library, error numbers and non-blocking reads stay behind ctys's own serial line");

    /**
     * One waiting loop: a wait of the engine (a machine coming up, a login, a state, a BMC's power)
     * is {@link PollLoop}'s tries, never a sleep of its own.
     */
    @ArchTest
    static final ArchRule theEngineWaitsOnlyThroughItsPollLoop = noClasses()
            .that().resideInAPackage("org.ctys.engine..").and().doNotBelongToAnyOf(PollLoop.class)
            .should().callMethod(Thread.class, "sleep", long.class)
            .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
            .orShould().callMethod(TimeUnit.class, "sleep", long.class)
            .because("a wait is tries, an interval and a bound, run and reported the same way everywhere");

    /** The console server is a program of its own in the same jar: ctys never reaches into it. */
    @ArchTest
    static final ArchRule nothingOutsideTheConsoleServerUsesIt = noClasses()
            .that().resideOutsideOfPackage("org.ctys.consoled..")
            .should().dependOnClassesThat().resideInAPackage("org.ctys.consoled..")
            .because("ctys-consoled is its own entry point; -t console talks to it over SSH only");

    @ArchTest
    static final ArchRule theConsoleServerUsesNoPluginAndNotTheCli = noClasses()
            .that().resideInAPackage("org.ctys.consoled..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ctys.plugins..", "org.ctys.cli..")
            .because("the daemon uses the inventory, the transports and the console model, never a plugin or ctys's command line");

    /** The boot server is a program of its own in the same jar: -t boot reaches it over SSH only. */
    @ArchTest
    static final ArchRule nothingOutsideTheBootServerUsesIt = noClasses()
            .that().resideOutsideOfPackage("org.ctys.bootd..")
            .should().dependOnClassesThat().resideInAPackage("org.ctys.bootd..")
            .because("ctys-bootd is its own entry point; -t boot talks to it over SSH only (its job commands)");

    @ArchTest
    static final ArchRule theBootServerUsesNoPluginAndNotTheCli = noClasses()
            .that().resideInAPackage("org.ctys.bootd..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ctys.plugins..", "org.ctys.cli..")
            .because("the daemon uses the grammar and the inventory's configuration reader, never a plugin or ctys's command line");

    /** Uses the boot server from outside it. */
    static final class UsesTheBootServer {
        org.ctys.bootd.JobTicket ticket;
    }

    /** Uses the console server from outside it. */
    static final class UsesTheConsoleServer {
        org.ctys.consoled.Endpoint endpoint;
    }

    /** Each breaks one rule that no class of ctys breaks today. */
    static final class UsesMinaSshd {
        org.apache.sshd.client.SshClient client;
    }

    static final class UsesJLine {
        org.jline.terminal.Terminal terminal;
    }

    static final class UsesJSerialComm {
        com.fazecast.jSerialComm.SerialPort port;
    }

    /** A rule nothing breaks yet could be one nothing can break: each is shown to catch a class that does. */
    @Test
    void theRulesNothingBreaksYetCatchAClassThatDoes() throws ClassNotFoundException {
        JavaClasses breaking = new ClassFileImporter().importClasses(UsesMinaSshd.class, UsesJLine.class,
                UsesJSerialComm.class, Class.forName("org.ctys.stack.ActingDialectFixture"), UsesTheConsoleServer.class,
                Class.forName("org.ctys.consoled.CliUsingFixture"), UsesTheBootServer.class,
                Class.forName("org.ctys.bootd.PluginUsingFixture"));

        assertThat(onlyTheSshTransportUsesMinaSshd.evaluate(breaking).getFailureReport().getDetails())
                .singleElement().asString().contains(UsesMinaSshd.class.getName());
        assertThat(onlyTheConsoleUsesJLine.evaluate(breaking).getFailureReport().getDetails())
                .singleElement().asString().contains(UsesJLine.class.getName());
        assertThat(onlyTheSerialTransportUsesJSerialComm.evaluate(breaking).getFailureReport().getDetails())
                .singleElement().asString().contains(UsesJSerialComm.class.getName());
        assertThat(theStackDialectsDependOnNothingThatActs.evaluate(breaking).getFailureReport().getDetails())
                .singleElement().asString().contains("ActingDialectFixture").contains("org.ctys.engine.Engine");
        assertThat(nothingOutsideTheConsoleServerUsesIt.evaluate(breaking).getFailureReport().getDetails())
                .singleElement().asString().contains(UsesTheConsoleServer.class.getName());
        assertThat(theConsoleServerUsesNoPluginAndNotTheCli.evaluate(breaking).getFailureReport().getDetails())
                .singleElement().asString().contains("CliUsingFixture").contains("org.ctys.cli.Docs");
        assertThat(nothingOutsideTheBootServerUsesIt.evaluate(breaking).getFailureReport().getDetails())
                .singleElement().asString().contains(UsesTheBootServer.class.getName());
        assertThat(theBootServerUsesNoPluginAndNotTheCli.evaluate(breaking).getFailureReport().getDetails())
                .singleElement().asString().contains("PluginUsingFixture").contains("org.ctys.plugins.pm.PmPlugin");
    }

    @Test
    void thePluginServiceFileExistsOnceAndNamesThePmPlugin() throws IOException {
        List<URL> files = Collections.list(ArchitectureTest.class.getClassLoader().getResources(SERVICES));

        assertThat(files).hasSize(1);
        String text;
        try (InputStream in = files.get(0).openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> names = text.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
        assertThat(names).contains("org.ctys.plugins.pm.PmPlugin").doesNotHaveDuplicates();
    }

    @Test
    void theServiceLoaderFindsThePmPlugin() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertThat(plugins).filteredOn(p -> p.type().equals("PM")).singleElement()
                .satisfies(p -> {
                    assertThat(p.answersTo("pm")).isTrue();
                    assertThat(p.action("create")).isPresent();
                    assertThat(p.action("list")).isPresent();
                });
    }
}
