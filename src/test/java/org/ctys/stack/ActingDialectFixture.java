package org.ctys.stack;

import org.ctys.engine.Engine;

/**
 * Breaks {@code ArchitectureTest.theStackDialectsDependOnNothingThatActs} on purpose, so that the
 * test can show the rule catches it (no class of the stack package breaks it yet). Test code only.
 */
final class ActingDialectFixture {
    Engine engine;
}
