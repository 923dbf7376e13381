package org.ctys.stack;

import java.util.List;

/**
 * A dialect for a machine the inventory does not say runs a hypervisor: where the program is not
 * installed, the machine runs no guests (instead of failing for want of it). Everything but the
 * listings is the wrapped dialect's, its refusals of names included (a test holds that every
 * method of {@link Dialect} is passed on here).
 */
public final class WhereInstalled implements Dialect {
    private final Dialect d;

    public WhereInstalled(Dialect d) { this.d = d; }

    @Override
    public String program() { return d.program(); }

    @Override
    public String list(String uri) {
        return "command -v " + d.program() + " >/dev/null 2>&1 || exit 0; " + d.list(uri);
    }

    @Override
    public List<Guest> parseList(String stdout) { return stdout.isBlank() ? List.of() : d.parseList(stdout); }

    @Override
    public String states(String uri) {
        return "command -v " + d.program() + " >/dev/null 2>&1 || exit 0; " + d.states(uri);
    }

    @Override
    public List<Guest> parseStates(String stdout) { return stdout.isBlank() ? List.of() : d.parseStates(stdout); }

    @Override
    public boolean listsEveryGuest() { return d.listsEveryGuest(); }

    @Override
    public String watch(String uri) { return d.watch(uri); }

    @Override
    public GuestState watched(String guest, String line) { return d.watched(guest, line); }

    @Override
    public String shutdownAll(String uri, List<String> guests) { return d.shutdownAll(uri, guests); }

    @Override
    public boolean shutdownTaken(String guest, String stdout) { return d.shutdownTaken(guest, stdout); }

    @Override
    public String shutdownRefusal(String guest, String stderr) { return d.shutdownRefusal(guest, stderr); }

    @Override
    public String console(String uri, String guest, boolean force) { return d.console(uri, guest, force); }

    @Override
    public String state(String uri, String guest) { return d.state(uri, guest); }

    @Override
    public GuestState parseState(String guest, String stdout, String stderr, int exitStatus) { return d.parseState(guest, stdout, stderr, exitStatus); }

    @Override
    public String misread(String guest) { return d.misread(guest); }

    @Override
    public String outsideItsFiles(String guest) { return d.outsideItsFiles(guest); }

    @Override
    public String start(String uri, String guest) { return d.start(uri, guest); }

    @Override
    public String create(String uri, String file) { return d.create(uri, file); }

    @Override
    public String createdName(String stdout, String stderr, String file) { return d.createdName(stdout, stderr, file); }

    @Override
    public String shutdown(String uri, String guest) { return d.shutdown(uri, guest); }

    @Override
    public String reset(String uri, String guest) { return d.reset(uri, guest); }

    @Override
    public String destroy(String uri, String guest) { return d.destroy(uri, guest); }

    @Override
    public String pause(String uri, String guest) { return d.pause(uri, guest); }

    @Override
    public String unpause(String uri, String guest) { return d.unpause(uri, guest); }

    @Override
    public String save(String uri, String guest) { return d.save(uri, guest); }

    @Override
    public String restore(String uri, String guest) { return d.restore(uri, guest); }

    @Override
    public String details(String uri) { return d.details(uri); }

    @Override
    public List<GuestDetails> parseDetails(String stdout) { return d.parseDetails(stdout); }
}
