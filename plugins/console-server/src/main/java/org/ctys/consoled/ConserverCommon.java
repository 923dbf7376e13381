package org.ctys.consoled;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Sizes;
import org.ctys.consoled.ConserverSettings.Value;

/**
 * The settings every conserver console has whatever its type: its log file, rotation and marks
 * (one log-dir, rotate and mark for all consoles in ctys-consoled), break sequences, and the
 * options and commands ctys-consoled has no equivalent for.
 */
final class ConserverCommon {

    private static final Pattern TIMESTAMP = Pattern.compile("(?i)(\\d*)([mhdl]?)([abt]*)");
    private static final Pattern LOGFILEMAX = Pattern.compile("(?i)(\\d{1,12})([km]?)");
    /** conserver's own break sequence 1; ctys-consoled's ~B sends a serial break, which is this. */
    static final String SERIAL_BREAK = "\\z";

    private final ImportedConfig config;
    private final ImportReport report;
    private final Map<String, String> breaks;
    private final Map<String, String> logs = new LinkedHashMap<>();
    private String mark;
    private String markOrigin;
    private String rotate;

    ConserverCommon(ImportedConfig config, ImportReport report, Map<String, String> breaks) {
        this.config = config;
        this.report = report;
        this.breaks = breaks;
    }

    /** localhost, a loopback address, or this host's name: the consoles ctys-consoled here should hold. */
    static boolean isLocal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.startsWith("127.") || h.equals("::1")) return true;
        try {
            InetAddress self = InetAddress.getLocalHost();
            return h.equals(self.getHostName().toLowerCase(Locale.ROOT))
                    || h.equals(self.getCanonicalHostName().toLowerCase(Locale.ROOT))
                    || h.equals(self.getHostAddress());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    void console(String name, String at, ConserverSettings s, List<String> notes) {
        log(name, s);
        marks(name, at, s, notes);
        breaks(name, s);
        Value init = s.get("initcmd");
        if (init != null) {
            report.refuse(init.at(), "initcmd " + (CommandSecrets.mayHoldSecret(init.text())
                    ? "(not shown: its command line may hold a secret)" : init.text()),
                    "there is no command run when a console comes up", name);
        }
        Value idle = s.get("idletimeout");
        if (idle != null && !idle.text().matches("0+[smh]?")) {
            report.refuse(idle.at(), "idletimeout " + idle.text(), "nothing is sent to a quiet console", name);
        }
        Value motd = s.get("motd");
        if (motd != null) notes.add("motd (" + motd.at() + "): ctys-consoled greets with the console's state instead");
        options(name, s, notes);
    }

    private void log(String name, ConserverSettings s) {
        Value logfile = s.get("logfile");
        logs.put(name, logfile == null ? null : logfile.text().replace("&", name));
        Value max = s.get("logfilemax");
        if (max == null) return;
        Matcher m = LOGFILEMAX.matcher(max.text());
        if (!m.matches()) {
            report.error(max.at(), "logfilemax " + max.text() + " is not number[k|m]");
            return;
        }
        long bytes = Long.parseLong(m.group(1)) * (m.group(2).isEmpty() ? 1 : m.group(2).equalsIgnoreCase("k") ? 1024 : 1 << 20);
        if (bytes == 0) return;
        String size = bytes % (1 << 20) == 0 ? bytes / (1 << 20) + "M" : (bytes + 1023) / 1024 + "K";
        try {
            Sizes.parse(size, ConfigReader.MIN_ROTATE_SIZE, ConfigReader.MAX_ROTATE_SIZE);
        } catch (CtysException e) {
            report.refuse(max.at(), "logfilemax " + max.text(), "ctys-consoled rotates a log at a size from "
                    + Sizes.format(ConfigReader.MIN_ROTATE_SIZE) + " to " + Sizes.format(ConfigReader.MAX_ROTATE_SIZE), name);
            return;
        }
        if (rotate == null) {
            rotate = size;
            config.set("rotate", Map.of("size", size), max.at() + ": logfilemax (conserver rotates by size only;"
                    + " ctys-consoled also by age, 1d unless set here)");
        } else if (!rotate.equals(size)) {
            report.refuse(max.at(), "logfilemax " + max.text(), "one rotation size for all consoles (rotate: {size: "
                    + rotate + "})", name);
        }
    }

    /** conserver's timestamp [n[m|h|d|l]][a][b]: the mark interval; ctys-consoled has one for all consoles. */
    private void marks(String name, String at, ConserverSettings s, List<String> notes) {
        Value ts = s.get("timestamp");
        String value = "0";
        if (ts != null) {
            Matcher m = TIMESTAMP.matcher(ts.text());
            if (!m.matches()) {
                report.error(ts.at(), "timestamp " + ts.text() + " is not [number[m|h|d|l]][a][b]");
                return;
            }
            String unit = m.group(2).toLowerCase(Locale.ROOT);
            if (unit.equals("l")) {
                report.refuse(ts.at(), "timestamp " + ts.text(), "marks come after quiet time, not every so many lines;"
                        + " every log line has its time", name);
                return;
            }
            String n = m.group(1).isEmpty() ? "0" : ImportedConfig.digits(m.group(1));
            if (!n.equals("0")) value = n + (unit.isEmpty() ? "m" : unit);
            if (TimeWords.duration(value).isEmpty()) {
                report.refuse(ts.at(), "timestamp " + ts.text(), ImportedConfig.MARK_RULE, name);
                return;
            }
            if (!m.group(3).isEmpty()) {
                notes.add("timestamp " + ts.text() + " (" + ts.at() + "): the log has every line's time and marks when the"
                        + " console comes up or drops; attach and break events are not logged");
            }
        }
        String origin = ts == null ? at + ": console " + name + " has no timestamp" : ts.at() + ": timestamp";
        if (mark == null) {
            mark = value;
            markOrigin = origin;
            config.set("mark", value, origin + " (a mark line in quiet console logs; 0: none)");
        } else if (!mark.equals(value)) {
            report.refuse(ts == null ? at : ts.at(), "timestamp " + (ts == null ? "(none)" : ts.text()),
                    "one mark interval for all consoles (mark: " + mark + ", from " + markOrigin + ")", name);
        }
    }

    private void breaks(String name, ConserverSettings s) {
        Value b = s.get("break");
        if (b != null && !b.text().equals("0")) {
            String seq = breaks.get(b.text());
            if (seq == null) {
                report.error(b.at(), "break " + b.text() + " of console " + name + " is not defined");
            } else if (!seq.equals(SERIAL_BREAK)) {
                report.refuse(b.at(), "break " + b.text() + " (sequence \"" + seq + "\")", "~B sends a serial break;"
                        + " other break sequences are typed by the user", name);
            }
        }
        Value list = s.get("breaklist");
        Value tasks = s.get("tasklist");
        if (tasks != null && !tasks.text().isEmpty() && !tasks.text().equals("*")) {
            report.refuse(tasks.at(), "tasklist " + tasks.text(), "there are no tasks", name);
        }
        if (list != null && list.text().isEmpty()) {
            report.refuse(list.at(), "breaklist \"\"", "~B (a serial break) is always there", name);
        }
    }

    private void options(String name, ConserverSettings s, List<String> notes) {
        Map<String, String> refuse = Map.of("ondemand", "every console is held open all the time",
                "striphigh", "the console's bytes are passed and logged as they are",
                "ixany", "a ctys serial line has no restart-on-any-character");
        refuse.forEach((o, why) -> {
            if (s.option(o, false)) report.refuse(s.options.get(o).at(), "option " + o, why, name);
        });
        if (!s.option("login", true)) {
            report.refuse(s.options.get("login").at(), "option !login", "a console users may not attach to is not served", name);
        }
        if (s.option("hupcl", false)) notes.add("option hupcl: the modem lines are not dropped on close");
        if (!s.option("autoreinit", true)) notes.add("option !autoreinit: ctys-consoled reopens a dropped console always");
    }

    /** After the last block: the log directory most consoles logged to, and where each console's log goes now. */
    void finish() {
        Map<String, Integer> dirs = new LinkedHashMap<>();
        for (String p : logs.values()) {
            if (p == null || !p.startsWith("/") || p.lastIndexOf('/') == 0 || !ImportedConfig.isPath(p)) continue;
            dirs.merge(p.substring(0, p.lastIndexOf('/')), 1, Integer::sum);
        }
        String dir = dirs.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        if (dir != null) config.set("log-dir", dir, "the directory of conserver's console logs");
        String target = dir == null ? ImportedConfig.DEFAULT_LOG_DIR : dir;
        logs.forEach((n, path) -> {
            ImportedConfig.Console c = config.consoles().get(n);
            if (c == null) return;
            String mine = target + "/" + n + ".log";
            if (path == null) c.notes().add("conserver did not log it; ctys-consoled logs it to " + mine);
            else if (path.isEmpty()) c.notes().add("conserver's logfile \"\" (no log); ctys-consoled logs it to " + mine);
            else if (!path.equals(mine)) c.notes().add("conserver logged it to " + path + "; ctys-consoled logs it to " + mine);
        });
    }
}
