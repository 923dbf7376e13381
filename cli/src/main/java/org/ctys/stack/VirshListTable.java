package org.ctys.stack;

import java.util.List;

/**
 * Reads the table of {@code virsh list --all} (C locale): a header {@code " Id   Name   State"}, a
 * rule of dashes, then per domain its id ({@code -} when it does not run), its name and its state
 * words, padded into columns. The state is matched from the end of the row (virsh's words are a
 * fixed set), so a name with spaces inside still reads right. With {@code --managed-save} a domain
 * that is off with its memory saved says "saved".
 */
final class VirshListTable {
    /** virsh's state words, longest first where one ends another. */
    private static final List<String> STATES = List.of("in shutdown", "shut off", "no state", "pmsuspended", "running", "paused",
            "crashed", "dying", "blocked", "idle", "saved");

    private VirshListTable() {}

    static boolean isTable(String stdout) {
        return stdout.stripLeading().startsWith("Id ");
    }

    /** The state of {@code guest}; {@link GuestState#ABSENT} when the table does not have it. */
    static GuestState state(String stdout, String guest) {
        return all(stdout).stream().filter(g -> g.name().equals(guest)).map(Guest::state).findFirst().orElse(GuestState.ABSENT);
    }

    /** Every row, in the table's order: name and state (the table's other columns are not read). */
    static List<Guest> all(String stdout) {
        String[] lines = stdout.split("\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) i++;
        if (i + 1 >= lines.length || !lines[i].strip().startsWith("Id") || !lines[i + 1].strip().matches("-+")) {
            throw new IllegalArgumentException("virsh list printed no table: \"" + (i < lines.length ? lines[i] : "") + "\"");
        }
        List<Guest> guests = new java.util.ArrayList<>();
        for (int k = i + 2; k < lines.length; k++) {
            String row = lines[k].strip();
            if (row.isEmpty()) continue;
            int space = row.indexOf(' ');
            String state = STATES.stream().filter(row::endsWith).findFirst().orElse(null);
            if (space < 0 || state == null) throw new IllegalArgumentException("virsh list printed a row it should not: \"" + lines[k] + "\"");
            guests.add(new Guest(row.substring(space, row.length() - state.length()).strip(), VirshDominfo.state(state), null, null, null, null));
        }
        return guests;
    }
}
