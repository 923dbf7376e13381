package org.ctys;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

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
                    "org.ctys.plugins..", "org.ctys.spi..", "org.ctys.stack..", "org.ctys.grammar..", "org.ctys.inventory..", "java..")
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

    /*
     * The whole rule, "the CLI never imports a transport", does not hold yet: cli.Context asks
     * transport.wol.Interfaces for interface addresses. What does hold is kept: the CLI does not
     * decide who talks to BMCs.
     */
    @ArchTest
    static final ArchRule theCliDoesNotUseTheIpmiTransport = noClasses()
            .that().resideInAPackage("org.ctys.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.ctys.transport.ipmi..")
            .because("which plans talk to BMCs is known from their steps' executors, not from plugin names");

    @ArchTest
    static final ArchRule onlyTheWakeOnLanAndIpmiTransportsSendDatagrams = noClasses()
            .that().resideOutsideOfPackages("org.ctys.transport.wol..", "org.ctys.transport.ipmi..")
            .should().dependOnClassesThat().areAssignableTo(DatagramChannel.class);

    @ArchTest
    static final ArchRule onlyTheIpmiTransportUsesTheIpmiLibrary = noClasses()
            .that().resideOutsideOfPackage("org.ctys.transport.ipmi..")
            .should().dependOnClassesThat().resideInAPackage("org.metricshub.ipmi..")
            .because("its sessions, threads and errors stay behind ctys's own bounded calls and messages");

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
