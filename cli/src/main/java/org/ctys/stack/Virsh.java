package org.ctys.stack;

import java.util.List;
import java.util.Objects;
import org.ctys.spi.ShellWords;

/**
 * libvirt's {@code virsh}, for KVM (and any other libvirt driver the URI names).
 *
 * <p>The commands whose output is read run with {@value #READ}: virsh translates its state words
 * and its {@code dominfo} keys ("läuft", "Name:" padded for another language), and a host with a
 * German locale must not fail the confirmation of a shutdown. The locale is C's with UTF-8, not C:
 * in C, {@code virsh list} prints a name beyond ASCII as escapes that lose it ("wéb" as
 * {@code w\xff\xffb}), and such a guest could not be found, stopped or confirmed by its name.
 * {@code LANGUAGE} is emptied because gettext honours it in every locale but plain C. A host
 * without a C.UTF-8 locale runs virsh in C, as before, after a "setlocale:" warning on its error
 * output ({@link #firstLine} skips it). {@code virsh create} runs with it too: its answer names the
 * guest it created in English words.
 */
public final class Virsh implements Dialect {
    /** The environment of every virsh whose output is read. */
    static final String READ = "LC_ALL=C.UTF-8 LANGUAGE= ";

    @Override
    public String program() { return "virsh"; }

    /**
     * {@code dominfo} of every domain, looked up by UUID: dominfo is the one virsh command that
     * prints state, id, memory, vCPUs, autostart and managed save together, and a UUID (hex and
     * dashes) needs no quoting and is never mistaken for an id or an option, as a name such as
     * {@code 7} or {@code -x} would be. Stops with virsh's status when the listing fails (virsh
     * missing, no connection); a domain that disappears between the listing and its dominfo is
     * left out (it is gone), not a failure. Two virsh processes however many domains: see
     * {@link #forEveryDomain}.
     */
    @Override
    public String list(String uri) {
        return forEveryDomain(uri, READ + virsh(uri), "dominfo");
    }

    @Override
    public List<Guest> parseList(String stdout) { return VirshDominfo.parse(stdout); }

    /**
     * The states of all the host's domains, one virsh for every guest that waits on the host:
     * {@code domstats --state} prints each domain's exact name (no padding, no quoting) and its
     * state as libvirt's number. A {@code domstate} per guest started a virsh process per guest
     * and poll, which on a host stopping eight guests competed with them for its CPUs.
     */
    @Override
    public String state(String uri, String guest) {
        // libvirt's LXC driver has no domstats ("not supported by the connection driver"): there the
        // host-wide table of virsh list serves, still one virsh for all the guests waiting on the host
        return READ + virsh(uri) + " domstats --state 2>/dev/null || " + READ + virsh(uri) + " list --all";
    }

    /**
     * The table of {@code virsh list --all}: one virsh, every domain in virsh's own order (running
     * ones by id, then the others by name: the order guests come back in when the inventory does not
     * give one), a managed-saved one marked "saved". A driver without managed save (LXC) lists
     * without the mark.
     */
    @Override
    public String states(String uri) {
        return READ + virsh(uri) + " list --all --managed-save 2>/dev/null || " + READ + virsh(uri) + " list --all";
    }

    @Override
    public List<Guest> parseStates(String stdout) { return VirshListTable.all(stdout); }

    @Override
    public GuestState parseState(String guest, String stdout, String stderr, int exitStatus) {
        if (exitStatus != 0) {
            throw new IllegalArgumentException("virsh list failed with exit status " + exitStatus + ": " + firstLine(stderr));
        }
        String out = stdout == null ? "" : stdout;
        return VirshListTable.isTable(out) ? VirshListTable.state(out, guest) : VirshDomstats.state(out, guest);
    }

    /**
     * {@code virsh event --loop}: one connection to libvirtd for as long as guests are waited for,
     * a line at once when one stops or starts. It runs in the background of a shell that waits for
     * the end of its input, then stops it: closing the channel's input is how ctys ends it, as
     * OpenSSH does not pass signals to a root login's commands.
     */
    @Override
    public String watch(String uri) {
        return READ + virsh(uri) + " event --loop --event lifecycle </dev/null & p=$!; cat >/dev/null; kill $p 2>/dev/null; wait $p";
    }

    @Override
    public GuestState watched(String guest, String line) { return VirshEvents.state(guest, line); }

    /** virsh-util.c virshLookupDomainInternal: by id (a whole number, at least 0), then by UUID, then by name. */
    @Override
    public String misread(String guest) {
        if (AN_ID.matcher(guest).matches()) return "virsh takes '" + guest + "' for a domain id before a name";
        String hex = guest.replace("-", "");
        if (hex.length() == 32 && UUID_WORD.matcher(guest).matches()) return "virsh takes '" + guest + "' for a domain's UUID before a name";
        return null;
    }

    private static final java.util.regex.Pattern AN_ID = java.util.regex.Pattern.compile("\\s*\\+?\\d+");
    private static final java.util.regex.Pattern UUID_WORD = java.util.regex.Pattern.compile("[0-9A-Fa-f-]+");

    @Override
    public String start(String uri, String guest) { return domain(uri, "start", guest); }

    @Override
    public String create(String uri, String file) { return READ + domain(uri, "create", file); }

    /** virsh create says "Domain 'web1' created from /path/web1.xml". */
    @Override
    public String createdName(String stdout, String stderr, String file) {
        java.util.regex.Matcher m = CREATED.matcher(stdout);
        return m.find() ? m.group(1) : null;
    }

    private static final java.util.regex.Pattern CREATED = java.util.regex.Pattern.compile("(?m)^Domain '(.+)' created from ");

    @Override
    public String shutdown(String uri, String guest) { return domain(uri, "shutdown", guest); }

    /**
     * virsh runs the commands of one argument separated by {@code ;} over one connection and goes
     * on after one fails. Only names virsh's own word splitting leaves alone are put in one
     * argument; any other name is asked on its own.
     */
    @Override
    public String shutdownAll(String uri, List<String> guests) {
        if (guests.size() < 2 || !guests.stream().allMatch(g -> PLAIN_NAME.matcher(g).matches() && misread(g) == null)) return null;
        return READ + virsh(uri) + " " + ShellWords.quote(String.join("; ", guests.stream().map(g -> "shutdown --domain " + g).toList()));
    }

    /** "Domain 'web1' is being shutdown" (older libvirt: without the quotes). */
    @Override
    public boolean shutdownTaken(String guest, String stdout) {
        return stdout.lines().map(String::strip).anyMatch(l -> l.equals("Domain '" + guest + "' is being shutdown")
                || l.equals("Domain " + guest + " is being shutdown"));
    }

    /**
     * virsh starts the errors of each command with one naming the domain ("error: failed to get
     * domain 'web1'", "error: Failed to shutdown domain 'web1'"); the lines up to the next such
     * line are its reason.
     */
    @Override
    public String shutdownRefusal(String guest, String stderr) {
        List<String> said = new java.util.ArrayList<>();
        String about = null;
        for (String line : stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            java.util.regex.Matcher m = FAILED_DOMAIN.matcher(line);
            if (m.matches()) about = m.group(1);
            if (guest.equals(about)) said.add(line);
        }
        return said.isEmpty() ? null : String.join("; ", said);
    }

    private static final java.util.regex.Pattern FAILED_DOMAIN =
            java.util.regex.Pattern.compile("(?i)error: failed to (?:get|shutdown) domain '(.+)'");
    /** Names virsh's parser of a command line takes as one word, unquoted. */
    private static final java.util.regex.Pattern PLAIN_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+:@-]*");


    @Override
    public String reset(String uri, String guest) { return domain(uri, "reset", guest); }

    @Override
    public String destroy(String uri, String guest) { return domain(uri, "destroy", guest); }

    /** libvirt calls pausing "suspend"; its CPUs stop and its memory stays. */
    @Override
    public String pause(String uri, String guest) { return domain(uri, "suspend", guest); }

    @Override
    public String unpause(String uri, String guest) { return domain(uri, "resume", guest); }

    /** Managed save: libvirt keeps the memory image and the next {@code start} restores it. */
    @Override
    public String save(String uri, String guest) { return domain(uri, "managedsave", guest); }

    @Override
    public String restore(String uri, String guest) { return domain(uri, "start", guest); }

    /** {@code virsh console}; {@code --force} disconnects the client that holds the console. */
    @Override
    public String console(String uri, String guest, boolean force) {
        return virsh(uri) + " console " + (force ? "--force " : "") + Operand.of(guest);
    }

    /** The XML of every domain (live XML for a running one, so VNC shows its real port). */
    @Override
    public String details(String uri) {
        return forEveryDomain(uri, virsh(uri), "dumpxml");
    }

    @Override
    public List<GuestDetails> parseDetails(String stdout) { return DomainXml.parseAll(stdout); }

    /**
     * One virsh process for the listing and one for all the domains: virsh runs the commands of
     * one argument separated by {@code ;} on one connection, one after another, each printing as
     * it would alone, and goes on after one that fails (its exit status is the last command's). A
     * virsh process per domain cost its start and its connection to libvirtd each, N + 1 in all,
     * on a host that is busy stopping its guests.
     */
    private static String forEveryDomain(String uri, String virsh, String perDomain) {
        return "uuids=$(" + virsh(uri) + " list --all --uuid) && if [ -n \"$uuids\" ]; then " + virsh
                + " \"$(printf '" + perDomain + " %s; ' $uuids)\" || :; fi";
    }

    private static String domain(String uri, String command, String operand) {
        return virsh(uri) + " " + command + " " + Operand.of(operand);
    }

    private static String virsh(String uri) {
        return "virsh -c " + ShellWords.quote(Objects.requireNonNull(uri, "uri"));
    }

    /**
     * The first line of what a command said, skipping the "setlocale: …" warning with which a host
     * that lacks the C.UTF-8 locale of {@link #READ} starts virsh's error output (it then runs in C).
     */
    static String firstLine(String text) {
        if (text == null || text.isBlank()) return "(no message)";
        return text.strip().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("setlocale:"))
                .findFirst().orElse(text.strip().lines().findFirst().orElse(""));
    }
}
