package org.ctys.consoled;

import org.ctys.cli.Docs;

/**
 * Breaks {@code ArchitectureTest.theConsoleServerUsesNoPluginAndNotTheCli} on purpose, so that the
 * test can show the rule catches it (no class of the daemon breaks it). Test code only.
 */
final class CliUsingFixture {
    Docs docs;
}
