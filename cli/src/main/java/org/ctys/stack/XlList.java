package org.ctys.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code xl list} (Xen 4.17, tools/xl/xl_info.c list_domains):
 * <pre>
 * printf("Name                                        ID   Mem VCPUs\tState\tTime(s)");
 * printf("%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f", name, domid, mem_MiB, vcpus, r, b, p, s, reason, d, seconds);
 * </pre>
 * The six state letters stand in fixed places: running, blocked, paused, shutdown, the shutdown
 * reason ({@code -rscwS}: poweroff, reboot, suspend, crash, watchdog, soft reset) and dying. So
 * "c" (crashed, xl(1)) is the fifth letter, after "s".
 */
final class XlList {
    static final String HEADER_START = "Name";
    private static final Pattern HEADER = Pattern.compile("Name +ID +Mem +VCPUs\tState\tTime\\(s\\).*");
    // the name is padded to 40 and may hold spaces, even what looks like columns ("web 1 1 1 r----- 1.0"):
    // read the five columns from the right, the name greedy, nothing after the time (plain xl list has no more)
    private static final Pattern ROW = Pattern.compile(
            "(.*\\S) +(\\d{1,10}) +(\\d{1,15}) +(\\d{1,6}) +([r-][b-][p-][s-][-rscwS?][d-]) +(\\d+\\.\\d) *");
    private static final String DOM0_ID = "0";

    private XlList() {}

    /** The table without Domain-0 (the host itself). */
    static List<Guest> parseTable(String text) {
        List<Guest> guests = new ArrayList<>();
        boolean header = false;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) continue;
            if (!header) {
                if (!HEADER.matcher(line).matches()) throw new IllegalArgumentException("xl list printed no header where it should: \"" + line + "\"");
                header = true;
                continue;
            }
            Guest g = row(line);
            if (g != null) guests.add(g);
        }
        if (!header) throw new IllegalArgumentException("xl list printed nothing, not even its header");
        return guests;
    }

    /** {@link Xl#list}'s output: the table, the autostart names and the saved names. */
    static List<Guest> parseWithExtras(String stdout) {
        int auto = indexOfLine(stdout, Xl.AUTOSTART_MARK, 0);
        int saved = auto < 0 ? -1 : indexOfLine(stdout, Xl.SAVED_MARK, auto);
        if (auto < 0 || saved < 0) throw new IllegalArgumentException("the xl guest listing lacks its \"" + (auto < 0 ? Xl.AUTOSTART_MARK : Xl.SAVED_MARK) + "\" line");
        Set<String> autostart = new LinkedHashSet<>();
        for (String line : lines(stdout.substring(auto + Xl.AUTOSTART_MARK.length(), saved))) {
            if (!line.startsWith("name =")) throw new IllegalArgumentException("the xl autostart part has a line that is no name: \"" + line + "\"");
            autostart.add(XlConfigValue.string(line.substring("name =".length()), line));
        }
        Map<String, Guest> byName = new LinkedHashMap<>();
        for (Guest g : parseTable(stdout.substring(0, auto))) {
            byName.put(g.name(), new Guest(g.name(), g.state(), g.id(), g.memoryKiB(), g.vcpus(), autostart.contains(g.name())));
        }
        for (String name : lines(stdout.substring(saved + Xl.SAVED_MARK.length()))) {
            byName.putIfAbsent(name, new Guest(name, GuestState.SAVED, null, null, null, autostart.contains(name)));
        }
        for (String name : autostart) byName.putIfAbsent(name, new Guest(name, GuestState.OFF, null, null, null, true));
        return new ArrayList<>(byName.values());
    }

    private static Guest row(String line) {
        Matcher m = ROW.matcher(line);
        if (!m.matches()) throw new IllegalArgumentException("xl list printed a row it should not: \"" + line + "\"");
        if (m.group(2).equals(DOM0_ID)) return null;
        String name = m.group(1);
        long mib = Long.parseLong(m.group(3));
        return new Guest(name, state(m.group(5)), m.group(2), mib * 1024, Integer.parseInt(m.group(4)), null);
    }

    /** The six letters as one state: dying and shut down before paused, paused before running. */
    static GuestState state(String letters) {
        if (letters.charAt(5) == 'd') return GuestState.SHUTTING_DOWN;
        if (letters.charAt(3) == 's') return letters.charAt(4) == 'c' ? GuestState.CRASHED : GuestState.SHUTTING_DOWN;
        if (letters.charAt(2) == 'p') return GuestState.PAUSED;
        // r, b, or neither: runnable and waiting for a CPU ("------") also runs
        return GuestState.RUNNING;
    }

    private static int indexOfLine(String text, String line, int from) {
        int at = from;
        while (true) {
            int i = text.indexOf(line, at);
            if (i < 0) return -1;
            boolean starts = i == 0 || text.charAt(i - 1) == '\n';
            int end = i + line.length();
            boolean ends = end == text.length() || text.charAt(end) == '\n';
            if (starts && ends) return i;
            at = i + 1;
        }
    }

    private static List<String> lines(String part) {
        List<String> out = new ArrayList<>();
        for (String l : part.split("\n", -1)) if (!l.isEmpty()) out.add(l);
        return out;
    }
}
