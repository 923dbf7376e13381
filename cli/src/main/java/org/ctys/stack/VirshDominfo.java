package org.ctys.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code virsh dominfo} blocks (one per domain, separated by blank lines) in the C locale:
 * {@code "%-15s %s\n"} of key and value, so a value starts in column 17 and a name keeps its
 * spaces exactly.
 */
final class VirshDominfo {
    private static final int VALUE_COLUMN = 16;

    private VirshDominfo() {}

    static List<Guest> parse(String stdout) {
        List<Guest> guests = new ArrayList<>();
        Map<String, String> block = new HashMap<>();
        for (String line : stdout.split("\n", -1)) {
            if (line.isBlank()) {
                if (!block.isEmpty()) guests.add(guest(block));
                block = new HashMap<>();
                continue;
            }
            // the further lines of "Messages:" (libvirt 7.1+) have an empty key: 16 spaces, then the text
            if (line.startsWith(" ")) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("virsh dominfo printed a line without a key: \"" + line + "\"");
            String key = line.substring(0, colon);
            String value = key.equals("Name") ? exactValue(line) : line.substring(colon + 1).strip();
            if (block.put(key, value) != null && (key.equals("Name") || key.equals("State") || key.equals("Id"))) {
                throw new IllegalArgumentException("virsh dominfo printed \"" + key + "\" twice in one domain: \"" + line + "\"");
            }
        }
        if (!block.isEmpty()) guests.add(guest(block));
        return guests;
    }

    /** The state words of virsh 9 ({@code vshDomainStateToString}, C locale); null when unknown. */
    static GuestState state(String word) {
        return switch (word) {
            // "idle" is libvirt's BLOCKED: the guest runs and waits for something
            case "running", "idle", "blocked" -> GuestState.RUNNING;
            case "paused" -> GuestState.PAUSED;
            case "in shutdown", "dying" -> GuestState.SHUTTING_DOWN;
            case "shut off" -> GuestState.OFF;
            case "saved" -> GuestState.SAVED; // virsh list --managed-save's word for a shut off domain with a managed save
            case "crashed" -> GuestState.CRASHED;
            // suspended to RAM by the guest itself: neither resume nor shutdown wakes it (dompmwakeup does)
            case "pmsuspended", "no state" -> GuestState.OTHER;
            default -> null;
        };
    }

    private static String exactValue(String line) {
        if (line.length() <= VALUE_COLUMN || line.charAt(VALUE_COLUMN - 1) != ' ') {
            throw new IllegalArgumentException("virsh dominfo printed a name line not in the C locale's layout: \"" + line + "\"");
        }
        return line.substring(VALUE_COLUMN);
    }

    private static Guest guest(Map<String, String> block) {
        String name = required(block, "Name");
        String stateWord = required(block, "State");
        GuestState state = state(stateWord);
        if (state == null) throw new IllegalArgumentException("virsh dominfo printed an unknown state for " + name + ": \"State: " + stateWord + "\"");
        if (state == GuestState.OFF && "yes".equals(block.get("Managed save"))) state = GuestState.SAVED;
        String id = required(block, "Id");
        return new Guest(name, state, id.equals("-") ? null : id, kib(name, block.get("Used memory")),
                count(name, block.get("CPU(s)")), autostart(name, block.get("Autostart")));
    }

    private static String required(Map<String, String> block, String key) {
        String v = block.get(key);
        if (v == null) throw new IllegalArgumentException("virsh dominfo printed a domain without \"" + key + ":\": " + block);
        return v;
    }

    private static Long kib(String name, String value) {
        if (value == null) return null;
        if (!value.matches("[0-9]{1,18} KiB")) throw new IllegalArgumentException("virsh dominfo printed a memory size for " + name + " that is not in KiB: \"" + value + "\"");
        return Long.parseLong(value.substring(0, value.length() - 4));
    }

    private static Integer count(String name, String value) {
        if (value == null) return null;
        if (!value.matches("[0-9]{1,9}")) throw new IllegalArgumentException("virsh dominfo printed a vCPU count for " + name + " that is not a number: \"" + value + "\"");
        return Integer.parseInt(value);
    }

    private static Boolean autostart(String name, String value) {
        if (value == null) return null;
        return switch (value) {
            case "enable" -> true;
            case "disable" -> false;
            default -> throw new IllegalArgumentException("virsh dominfo printed an autostart for " + name + " that is neither enable nor disable: \"" + value + "\"");
        };
    }
}
