package org.ctys.spi;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ctys.exit.CtysException;

/**
 * A plugin decides what must happen for an action, and in which order, as a {@link Plan}.
 * It never opens a socket or prints: the engine runs the plan through the transports.
 * Plugins are found with {@link java.util.ServiceLoader}.
 */
public interface Plugin {

    /** The type name given to {@code -t}, upper case (PM, XEN, KVM, ...). */
    String type();

    /** Other names accepted by {@code -t} (e.g. GTERM). */
    default List<String> aliases() { return List.of(); }

    /** One line for help. */
    String summary();

    /**
     * Longer explanation for {@code ctys -t TYPE --help} and the type's man page: paragraphs
     * separated by blank lines, each paragraph optionally starting with a heading line ending in ':'.
     */
    default String details() { return ""; }

    /**
     * Whether its targets are machines (hosts, guests, stacks), as for the types {@code -T ALL} widens
     * LIST and ENUMERATE to; false for a type whose targets are something else (the consoles of a
     * console server), which ALL leaves out and {@code -T} names only explicitly.
     */
    default boolean targetsAreMachines() { return true; }

    /** The actions, as data: validation and help read this table. */
    List<ActionSpec> actions();

    /**
     * Checks what the table cannot say (e.g. which suboptions name the machine) and turns the
     * request into a plan. Throws {@link CtysException} usage or config errors before anything happens.
     */
    Plan plan(ActionRequest request, PlanContext context);

    /** A loop, not a stream's findFirst: the JDK spins two lambda classes at run time for it, outside the class-data archive. */
    default Optional<ActionSpec> action(String name) {
        for (ActionSpec a : actions()) if (a.matches(name)) return Optional.of(a);
        return Optional.empty();
    }

    default boolean answersTo(String typeName) {
        String t = typeName.toUpperCase(Locale.ROOT);
        return type().equals(t) || aliases().contains(t);
    }
}
