package org.ctys.stack;

import java.util.List;
import org.ctys.spi.ShellWords;

/**
 * Xen's {@code xl} (Xen 4.17). xl knows only the guests that run; a guest that is off is a config
 * file, so "autostart" and "saved" follow the xendomains convention: configs (or links to them) in
 * {@code /etc/xen/auto}, save files named after the guest in {@code /var/lib/xen/save}. A guest is
 * started from {@code /etc/xen/<guest>.cfg}. The URI is ignored: xl has none.
 */
public final class Xl implements Dialect {
    public static final String CONFIG_DIR = "/etc/xen";
    public static final String AUTO_DIR = "/etc/xen/auto";
    public static final String SAVE_DIR = "/var/lib/xen/save";

    static final String AUTOSTART_MARK = "# autostart";
    static final String SAVED_MARK = "# saved";

    private final String configDir;
    private final String autoDir;
    private final String saveDir;

    public Xl() { this(CONFIG_DIR, AUTO_DIR, SAVE_DIR); }

    /** With the host's directories where they differ from Debian's (xendomains' XENDOMAINS_AUTO and XENDOMAINS_SAVE). */
    public Xl(String configDir, String autoDir, String saveDir) {
        this.configDir = configDir;
        this.autoDir = autoDir;
        this.saveDir = saveDir;
    }

    @Override
    public String program() { return "xl"; }

    /**
     * {@code xl list}, then the {@code name =} lines of the autostart configs, then the names of
     * the save files, each part after a mark line that no row of {@code xl list} can be (a row
     * ends in its numbers). The guest's name is read from its config, not from the file's name.
     */
    @Override
    public String list(String uri) {
        return "xl list && echo " + ShellWords.quote(AUTOSTART_MARK)
                + " && for f in " + ShellWords.quote(autoDir) + "/*; do if [ -f \"$f\" ]; then"
                + " sed -n 's/^[[:space:]]*name[[:space:]]*=/name =/p' \"$f\"; fi; done"
                + " && echo " + ShellWords.quote(SAVED_MARK)
                + " && for f in " + ShellWords.quote(saveDir) + "/*; do if [ -f \"$f\" ]; then"
                + " printf '%s\\n' \"${f##*/}\"; fi; done";
    }

    @Override
    public List<Guest> parseList(String stdout) { return XlList.parseWithExtras(stdout); }

    /** A stopped guest that is neither autostart nor saved is only its config file: xl does not list it. */
    @Override
    public boolean listsEveryGuest() { return false; }

    @Override
    public String state(String uri, String guest) { return "xl list " + Operand.of(guest); }

    @Override
    public GuestState parseState(String guest, String stdout, String stderr, int exitStatus) {
        if (exitStatus != 0) {
            // xl_utils.c find_domain: "%s is an invalid domain identifier (rc=%d)\n", exit 1;
            // xl_info.c main_list, when it went between lookup and query: "Error: Domain '%s' does not exist.\n"
            String err = stderr == null ? "" : stderr;
            if (err.contains(" is an invalid domain identifier") || err.contains("' does not exist.")) return GuestState.ABSENT;
            throw new IllegalArgumentException("xl list failed with exit status " + exitStatus + ": " + Virsh.firstLine(stderr));
        }
        List<Guest> rows = XlList.parseTable(stdout == null ? "" : stdout);
        if (rows.size() != 1) throw new IllegalArgumentException("xl list of one guest printed " + rows.size() + " rows: \"" + stdout + "\"");
        // xl reads an all-digit word as a domain id: the row must be the guest's own, or its state is another guest's
        if (!rows.get(0).name().equals(guest)) {
            throw new IllegalArgumentException("xl list " + guest + " printed the row of '" + rows.get(0).name() + "'");
        }
        return rows.get(0).state();
    }

    /** xl_utils.c find_domain: a word of digits only is a domain id (qualifier_to_id), anything else a name. */
    @Override
    public String misread(String guest) {
        return guest.matches("\\d+") ? "xl takes '" + guest + "' for a domain id" : null;
    }

    /**
     * A guest's config and save file are named after it ({@code /etc/xen/NAME.cfg},
     * {@code /var/lib/xen/save/NAME}): a name with a '/', or {@code .} or {@code ..}, would have
     * ctys start another file, or {@code xl save} as root over one, outside those directories.
     */
    @Override
    public String outsideItsFiles(String guest) {
        if (guest.indexOf('/') < 0 && !guest.equals(".") && !guest.equals("..") && !guest.isEmpty()) return null;
        return "the name " + org.ctys.spi.ShellWords.quote(guest) + " is not a file name: its config or save file would lie outside "
                + configDir + " and " + saveDir;
    }

    @Override
    public String start(String uri, String guest) { return "xl create " + Operand.of(configDir + "/" + guest + ".cfg"); }

    @Override
    public String create(String uri, String file) {
        // xl create says nothing of the name: the config's name line is printed after it, to confirm that guest runs
        return "xl create " + Operand.of(file) + " && sed -n 's/^[[:space:]]*name[[:space:]]*=/name =/p' " + Operand.of(file);
    }

    @Override
    public String createdName(String stdout, String stderr, String file) {
        for (String line : stdout.split("\n")) {
            if (line.startsWith("name =")) return XlConfigValue.string(line.substring("name =".length()), line);
        }
        return null;
    }

    /**
     * Without {@code -w}: the stack polls. {@code -F}: an HVM guest without PV drivers gets the ACPI
     * power button instead of "external graceful shutdown not possible"; a PV guest is not affected.
     */
    @Override
    public String shutdown(String uri, String guest) { return "xl shutdown -F " + Operand.of(guest); }


    /** xl has no reset command; the reset trigger is the reset button (HVM guests only, as xl(1) says). */
    @Override
    public String reset(String uri, String guest) { return "xl trigger " + Operand.of(guest) + " reset"; }

    @Override
    public String destroy(String uri, String guest) { return "xl destroy " + Operand.of(guest); }

    @Override
    public String pause(String uri, String guest) { return "xl pause " + Operand.of(guest); }

    @Override
    public String unpause(String uri, String guest) { return "xl unpause " + Operand.of(guest); }

    /** As xendomains saves: into the save directory (made if missing), the file named after the guest. */
    @Override
    public String save(String uri, String guest) {
        return "mkdir -p " + ShellWords.quote(saveDir) + " && xl save " + Operand.of(guest) + " " + ShellWords.quote(saveFile(guest));
    }

    /** As xendomains restores: the file goes once the guest runs again, so it is not restored twice. */
    @Override
    public String restore(String uri, String guest) {
        return "xl restore " + Operand.of(saveFile(guest)) + " && rm -f " + Operand.of(saveFile(guest));
    }

    @Override
    public String details(String uri) { return "xl list -l"; }

    @Override
    public List<GuestDetails> parseDetails(String stdout) { return XlDetails.parse(stdout); }

    /** {@code xl console}: its first console (PV or, for an HVM guest, the emulated serial line); xl has no take-over. */
    @Override
    public String console(String uri, String guest, boolean force) {
        return force ? null : "xl console " + Operand.of(guest);
    }

    String saveFile(String guest) { return saveDir + "/" + guest; }
}
