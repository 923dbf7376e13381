package org.ctys.grammar;

import java.util.List;

/**
 * One target of the command line after parsing, before any inventory lookup.
 *
 * @param original the shell word it came from, for error messages and reports
 * @param user     the {@code USER@} part, or null when the word had none
 * @param kind     what {@link #name} names
 * @param name     the host for HOST, the group without '@' for GROUP, the physical machine for STACK
 * @param stack    the guest levels of a STACK, outermost first; empty otherwise
 * @param options  option tokens for this target: those shared by a preceding {@code (…)} word
 *                 first, then its own, so that a later one overrides an earlier one
 */
public record TargetSpec(String original, String user, Kind kind, String name, List<String> stack, List<String> options) {
    public TargetSpec {
        stack = List.copyOf(stack);
        options = List.copyOf(options);
    }

    /** The three shapes a target takes. */
    public enum Kind { HOST, GROUP, STACK }
}
