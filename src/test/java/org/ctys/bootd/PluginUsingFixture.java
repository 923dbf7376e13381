package org.ctys.bootd;

import org.ctys.plugins.pm.PmPlugin;

/**
 * Breaks {@code ArchitectureTest.theBootServerUsesNoPluginAndNotTheCli} on purpose, so that the test
 * can show the rule catches it (no class of the daemon breaks it). Test code only.
 */
final class PluginUsingFixture {
    PmPlugin plugin;
}
