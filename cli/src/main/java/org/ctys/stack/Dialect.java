package org.ctys.stack;

import java.util.List;

/**
 * One hypervisor's command line: the commands to type on a guest's host, and how to read what
 * they print. Everything else of the stack (discovery, order, confirmation, FORCE) is shared by
 * KVM and XEN; only this differs. Commands are shell command lines, words quoted with
 * {@link org.ctys.spi.ShellWords#quote}, and read like what a person would type
 * ({@code virsh -c qemu:///system shutdown web1}).
 *
 * <p>{@code uri} is the host's connection URI from the inventory (virsh's {@code -c}); a dialect
 * without URIs (xl) ignores it. Parsers throw {@link IllegalArgumentException} with a message that
 * quotes the line they could not read.
 */
public interface Dialect {

    /** The program on the host ("virsh", "xl"), for messages such as "virsh is not installed on lab01". */
    String program();

    /** Prints every guest of the host, running or not, with state, id, memory, vCPUs and autostart: one command. */
    String list(String uri);

    List<Guest> parseList(String stdout);

    /**
     * Prints every guest of the host with its state, and only that: what taking a host's guests down
     * needs to know, one command as cheap as the hypervisor has (virsh: one process, where {@link #list}
     * takes two). Read by {@link #parseStates}.
     */
    default String states(String uri) { return list(uri); }

    /** The guests {@link #states} printed: name and state, the rest of {@link Guest} null where it does not say. */
    default List<Guest> parseStates(String stdout) { return parseList(stdout); }

    /**
     * Whether {@link #list} shows every guest the host could start (virsh: every defined domain).
     * xl shows only the guests that run, autostart or are saved: any other stopped Xen guest is just
     * a config file, which {@link #start} reads, so a guest missing from the list may still start.
     */
    default boolean listsEveryGuest() { return true; }

    /**
     * Prints the guest's state. It may print the states of all the host's guests (virsh): the
     * same command for every guest of a host, so the engine asks it once for all the guests that
     * wait on that host at the same time.
     */
    String state(String uri, String guest);

    /**
     * The state of {@code guest} in what {@link #state} printed; a guest the hypervisor does not
     * know (not listed, or a non-zero exit with the hypervisor's "not found" words) is
     * {@link GuestState#ABSENT}.
     */
    GuestState parseState(String guest, String stdout, String stderr, int exitStatus);

    /**
     * A command that prints a line whenever one of the host's guests changes state, until its
     * standard input closes ({@code virsh event --loop}); null when the hypervisor has none. The
     * stack's waits still ask {@link #state}: a line only tells them sooner.
     */
    default String watch(String uri) { return null; }

    /** The state a line {@link #watch} printed says {@code guest} is now in; null when it says nothing sure of it. */
    default GuestState watched(String guest, String line) { return null; }

    /**
     * Why this hypervisor's command line would not take {@code guest} for the guest of that name,
     * or null when it would. virsh looks a domain word up as an id first, then as a UUID, and only
     * then as a name; xl reads an all-digit word as a domain id. A guest named {@code 7} may then be
     * answered for by domain 7, another guest: ctys never acts on such a guest by its name.
     */
    default String misread(String guest) { return null; }

    /** Why the files the dialect keeps for {@code guest} (under its name) would lie elsewhere, or null. */
    default String outsideItsFiles(String guest) { return null; }

    /**
     * Why ctys does not name {@code guest} on {@code d}'s command line, or null: {@link #misread}, or
     * control characters, quoted as {@code $'…'}, which a POSIX sh without it (dash, Debian's
     * /bin/sh) reads as other characters. Every command that names a guest asks this first.
     */
    static String notByName(Dialect d, String guest) {
        String why = d.misread(guest);
        if (why != null) return why + " (another guest may answer to it)";
        why = d.outsideItsFiles(guest);
        if (why != null) return why;
        if (guest.chars().anyMatch(c -> org.ctys.spi.ControlChars.isControl((char) c))) {
            return "the name " + org.ctys.spi.ShellWords.quote(guest) + " holds control characters, which not every shell reads back as sent";
        }
        return null;
    }

    /** Starts a guest the host knows by name (KVM: a defined domain, also one in managed save; XEN: its config file). */
    String start(String uri, String guest);

    /** Creates and starts a guest from a configuration file on the host. */
    String create(String uri, String file);

    /**
     * The name of the guest {@link #create} made, from what it printed; null when it does not say.
     *
     * @param file the configuration file it was created from
     */
    String createdName(String stdout, String stderr, String file);

    /** Asks the guest to shut down (ACPI): returns at once; the stack confirms the state by polling. */
    String shutdown(String uri, String guest);

    /**
     * One command that asks every guest of {@code guests} to shut down, each as {@link #shutdown}
     * would, going on past one that refuses; null when this dialect asks one guest at a time. On a
     * loaded host the guests' own shutdown is what takes long, and starting one hypervisor client
     * per guest at the same moment delayed the last guest's ACPI button by seconds.
     */
    default String shutdownAll(String uri, List<String> guests) { return null; }

    /** Whether {@code guest} took the request, by what {@link #shutdownAll} printed. */
    default boolean shutdownTaken(String guest, String stdout) { return false; }

    /** The hypervisor's words about {@code guest} in what {@link #shutdownAll} printed on its error stream, or null. */
    default String shutdownRefusal(String guest, String stderr) { return null; }

    /** A hard reset: no shutdown of the guest's system. */
    String reset(String uri, String guest);

    /** Stops at once (pulls the plug). */
    String destroy(String uri, String guest);

    /** Stops its CPUs, memory stays in place. */
    String pause(String uri, String guest);

    String unpause(String uri, String guest);

    /** Saves its memory to disk and stops it (KVM: managedsave; XEN: xl save to a file the dialect names). */
    String save(String uri, String guest);

    /** Brings a saved guest back as it was. */
    String restore(String uri, String guest);

    /** Prints, for every guest, what {@link #parseDetails} reads: MACs and consoles. One command. */
    String details(String uri);

    List<GuestDetails> parseDetails(String stdout);

    /**
     * Attaches to the guest's console (its first serial line) on a terminal, until the user leaves
     * with the hypervisor's escape or the console is closed. {@code force}: take the console over
     * from another client that holds it. Null when this hypervisor has no such command, or no take-over.
     */
    default String console(String uri, String guest, boolean force) { return null; }
}
