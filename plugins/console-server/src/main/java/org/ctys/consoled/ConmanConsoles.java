package org.ctys.consoled;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.consoled.ConmanDirective.Value;
import org.ctys.inventory.SerialSettings;

/** conman's CONSOLE directives, each converted by the kind its dev= string names. */
final class ConmanConsoles {

    private static final Pattern TELNET = Pattern.compile("([^:]*):(\\d+)");
    private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");

    /**
     * conman's expect scripts that log in to a BMC's SOL: HOST USER [PSWD [KEYG]]. The others, with the
     * place of their password argument, are in {@link CommandSecrets#SCRIPT_PASSWORD}.
     */
    private static final Set<String> SOL_SCRIPTS = Set.of("ipmitool.exp", "ipmiconsole.exp");
    private static final String PASSWORD_DB = "/etc/conman.pswd";

    private final String file;
    private final ImportedConfig config;
    private final ImportReport report;
    private final ConmanServer server;
    private final Map<String, Integer> seen = new HashMap<>();
    /** The console that has each serial device and each BMC: conmand refuses a second console on one. */
    private final Map<String, String> owners = new HashMap<>();
    /** Where conmand logged each console; null: it did not. */
    private final Map<String, String> conmanLogs = new LinkedHashMap<>();
    private final List<String> passwordDbConsoles = new ArrayList<>();
    /** The execpath whose directories are in execDirs, and the programs found there (a null value: not there). */
    private String searched;
    private List<Path> execDirs = List.of();
    private final Map<String, String> found = new HashMap<>();

    ConmanConsoles(String file, ImportedConfig config, ImportReport report, ConmanServer server) {
        this.file = file;
        this.config = config;
        this.report = report;
        this.server = server;
    }

    private String at(int line) { return ImportReport.at(file, line); }

    void console(ConmanDirective d) {
        Value name = d.values().get("name");
        Value dev = d.values().get("dev");
        String at = at(d.line());
        if (name == null || dev == null) {
            report.error(at, "a CONSOLE directive needs name= and dev=; left out");
            return;
        }
        String n = name.text();
        Integer first = seen.putIfAbsent(n, d.line());
        if (first != null) {
            report.error(at, "console '" + n + "' is defined again (first at line " + first + "); left out");
            return;
        }
        if (!ImportedConfig.isConsoleName(n)) {
            report.refuse(at, "console name '" + n + "'", ImportedConfig.CONSOLE_NAME_RULE, null);
            return;
        }
        String twin = config.caseTwin(n);
        if (twin != null) {
            report.refuse(at, "console name '" + n + "'", ImportedConfig.caseRule(twin), null);
            return;
        }
        List<String> words;
        try {
            words = ConmanDev.words(dev.text(), n);
        } catch (IllegalArgumentException e) {
            report.error(at(dev.line()), "dev= of console " + n + ": " + e.getMessage() + "; left out");
            return;
        }
        if (words.isEmpty()) {
            report.error(at(dev.line()), "dev= of console " + n + " is empty; left out");
            return;
        }
        List<String> notes = new ArrayList<>();
        Endpoint e = endpoint(d, n, words, notes);
        if (e == null || taken(d, n, words.get(0), e)) return;
        if (e.kind().equals("cmd") && !ConfigReader.isCommand((String) e.value())) {
            report.refuse(at(dev.line()), "a control character in the command", ImportedConfig.COMMAND_RULE, n);
            return;
        }
        logs(d, n, words.get(0));
        config.console(new ImportedConfig.Console(n, at + ": console " + n, e.kind, e.value, notes));
    }

    private record Endpoint(String kind, Object value) {}

    /**
     * Whether another console has this one's serial device, or its BMC (dev="ipmi:..."), as conmand
     * checks: a second console there is left out, as conmand leaves it out (under ctys-consoled it
     * would never open: the line is locked, the BMC's one SOL session taken).
     */
    @SuppressWarnings("unchecked")
    private boolean taken(ConmanDirective d, String n, String dev, Endpoint e) {
        String what;
        if (e.kind().equals("serial")) what = "device " + ((Map<String, Object>) e.value()).get("device");
        else if (e.kind().equals("sol") && dev.toLowerCase(java.util.Locale.ROOT).startsWith("ipmi:")) {
            what = "BMC " + ((Map<String, Object>) e.value()).get("address");
        } else return false;
        String first = owners.putIfAbsent(what, n);
        if (first == null) return false;
        report.error(at(d.line()), "console " + n + " has the " + what + " of console " + first
                + "; left out, as conmand leaves it out");
        return true;
    }

    private Endpoint endpoint(ConmanDirective d, String n, List<String> words, List<String> notes) {
        String w = words.get(0);
        String lower = w.toLowerCase(java.util.Locale.ROOT);
        Value dev = d.values().get("dev");
        boolean single = words.size() == 1;
        boolean singleKind = lower.startsWith("unix:") || lower.startsWith("ipmi:") || lower.startsWith("test:")
                || TELNET.matcher(w).matches() || w.startsWith("/dev/");
        if (singleKind && !single) {
            report.error(at(dev.line()), "dev= of console " + n + " has more than one word for a "
                    + (w.startsWith("/dev/") ? "serial device" : "connection") + "; left out");
            return null;
        }
        if (lower.startsWith("unix:")) return unixSocket(w.substring(5), notes);
        if (lower.startsWith("test:")) {
            report.refuse(at(dev.line()), "test console " + n, "conman's built-in test pattern; use a cmd: console", null);
            return null;
        }
        Matcher telnet = TELNET.matcher(w);
        if (telnet.matches()) return telnet(n, dev, telnet.group(1), telnet.group(2));
        if (w.startsWith("/dev/")) return serial(d, n, w);
        if (lower.startsWith("ipmi:")) return sol(d, n, w.substring(5), server.ipmi, notes);
        return command(d, n, words, notes);
    }

    private Endpoint unixSocket(String path, List<String> notes) {
        notes.add("conman's unix-socket console, reached through socat (Debian package socat)"
                + (path.startsWith("/") ? "" : "; the path was relative to conmand's working directory"));
        return new Endpoint("cmd", ShellWords.join(List.of("socat", "STDIO,raw,echo=0", "UNIX-CONNECT:" + path)));
    }

    private Endpoint telnet(String n, Value dev, String host, String port) {
        int p = port.length() > 5 ? 0 : Integer.parseInt(port);
        if (host.isEmpty() || p < 1 || p > 65535) {
            report.error(at(dev.line()), "dev= of console " + n + ": '" + host + ":" + port
                    + "' is not host:port with a port from 1 to 65535; left out");
            return null;
        }
        if (!ImportedConfig.isHost(host)) {
            report.refuse(at(dev.line()), "host '" + host + "'", ImportedConfig.HOST_RULE, n);
            return null;
        }
        Map<String, Object> tcp = new LinkedHashMap<>();
        tcp.put("host", host);
        tcp.put("port", p);
        tcp.put("telnet", true);
        return new Endpoint("tcp", tcp);
    }

    private Endpoint serial(ConmanDirective d, String n, String device) {
        ConmanSerialOptions o = server.serial;
        Value own = d.values().get("seropts");
        if (own != null) {
            try {
                o = o.with(own.text());
            } catch (IllegalArgumentException e) {
                report.error(at(own.line()), e.getMessage() + "; console " + n + " left out");
                return null;
            }
        }
        String where = at(own != null ? own.line() : d.line());
        if (o.dataBits() < 7) {
            report.refuse(where, o.dataBits() + " data bits", "ctys's serial lines take 7 or 8 data bits", n);
            return null;
        }
        if (o.bps() < SerialSettings.MIN_SPEED || o.bps() > SerialSettings.MAX_SPEED) {
            report.refuse(where, o.bps() + " bits/s", "ctys's serial lines take " + SerialSettings.SPEED_FORM, n);
            return null;
        }
        if (!SerialSettings.isDevicePath(device)) {
            report.error(at(d.values().get("dev").line()), "dev= of console " + n + ": '" + device + "' is not "
                    + SerialSettings.DEVICE_FORM + "; left out");
            return null;
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("device", device);
        s.put("speed", o.bps());
        s.put("parity", o.parityWord());
        s.put("bits", o.dataBits());
        s.put("stop", o.stopBits());
        s.put("flow", "none");
        return new Endpoint("serial", s);
    }

    private Endpoint sol(ConmanDirective d, String n, String target, ConmanIpmiOptions base, List<String> notes) {
        ConmanIpmiOptions o = base;
        Value own = d.values().get("ipmiopts");
        if (own != null) {
            try {
                o = o.with(own.text(), own.line());
            } catch (IllegalArgumentException e) {
                report.error(at(own.line()), e.getMessage() + "; console " + n + " left out");
                return null;
            }
        }
        Map<String, Object> sol = new LinkedHashMap<>();
        if (!address(sol, target)) {
            report.error(at(d.values().get("dev").line()), "dev= of console " + n + " names no BMC after ipmi:; left out");
            return null;
        }
        if (!ImportedConfig.isHost((String) sol.get("address"))) {
            report.refuse(at(d.values().get("dev").line()), "BMC address '" + sol.get("address") + "'", ImportedConfig.HOST_RULE, n);
            return null;
        }
        if (o.user() != null) sol.put("user", o.user().value());
        if (o.password() != null) {
            String f = "secrets/" + n + ".pw";
            sol.put("password-file", f);
            config.needFile(f, "the BMC password of console " + n + " (ipmiopts P: at " + at(o.password().line())
                    + (o.password().hex() ? "; written there in hexadecimal after 0x: put the bytes it stands for" : "") + ")");
        }
        if (o.kg() != null) {
            String f = "secrets/" + n + ".kg";
            sol.put("kg-file", f);
            config.needFile(f, "the BMC key K_g of console " + n + " (ipmiopts K: at " + at(o.kg().line())
                    + (o.kg().hex() ? "; written there in hexadecimal after 0x: put the bytes it stands for" : "") + ")");
        }
        cipher(n, o, sol, notes);
        if (o.privilege() != null) {
            notes.add("ipmiopts L:" + o.privilege().value() + " (" + at(o.privilege().line())
                    + "): ctys opens Serial-over-LAN sessions at user privilege, which SOL needs on most BMCs");
        }
        for (ConmanIpmiOptions.Option w : o.workarounds()) {
            report.refuse(at(w.line()), "ipmiopts W:" + w.value(), "ctys's Serial-over-LAN has no FreeIPMI workaround"
                    + " flags; the console is opened without it", n);
        }
        return new Endpoint("sol", sol);
    }

    /** address (and port) of a BMC written as host or host:port. */
    private static boolean address(Map<String, Object> sol, String target) {
        if (target.isBlank()) return false;
        Matcher m = HOST_PORT.matcher(target);
        if (m.matches() && !m.group(1).contains(":") && Integer.parseInt(m.group(2)) >= 1 && Integer.parseInt(m.group(2)) <= 65535) {
            sol.put("address", m.group(1));
            sol.put("port", Integer.parseInt(m.group(2)));
        } else {
            sol.put("address", target);
        }
        return true;
    }

    private void cipher(String n, ConmanIpmiOptions o, Map<String, Object> sol, List<String> notes) {
        if (o.cipher() == null) return;
        int c = Integer.parseInt(o.cipher().value());
        if (c == 0) {
            sol.put("cipher-suite", 0);
            sol.put("allow-cipher-suite-0", true);
            notes.add("ipmiopts C:0 (" + at(o.cipher().line()) + "): cipher suite 0 sends no authentication; allowed as conman did");
        } else if (org.ctys.inventory.BmcSettings.SPOKEN_CIPHER_SUITES.contains(c)) {
            sol.put("cipher-suite", c);
        } else {
            report.refuse(at(o.cipher().line()), "ipmiopts C:" + c, "ctys speaks cipher suites 3 (its default), 17, 2,"
                    + " 16 and 0; the console uses suite 3", n);
        }
    }

    private Endpoint command(ConmanDirective d, String n, List<String> words, List<String> notes) {
        List<String> args = new ArrayList<>(words);
        String program = resolve(args.get(0), notes);
        args.set(0, program);
        String script = program.substring(program.lastIndexOf('/') + 1);
        if (SOL_SCRIPTS.contains(script)) return solScript(d, n, script, args, notes);
        // the script is conmand's program: its password argument can be left out (another program running it keeps it)
        Integer pswd = CommandSecrets.SCRIPT_PASSWORD.get(script);
        boolean fromDb = pswd != null && args.size() > pswd;
        if (fromDb) args.subList(pswd, args.size()).clear();
        String secret = CommandSecrets.passwordOption(args);
        if (secret != null) {
            report.refuse(at(d.values().get("dev").line()), "dev= with a secret on its command line (" + secret + ")",
                    CommandSecrets.why(secret), n);
            return null;
        }
        if (fromDb) {
            passwordDbConsoles.add(n);
            notes.add(script + "'s password argument is left out (ctys never copies a password into a command line);"
                    + " the script then reads it from " + PASSWORD_DB);
        }
        return new Endpoint("cmd", ShellWords.join(args));
    }

    /**
     * conmand found a program without '/' in its execpath; written with that path when it is there. The
     * execpath's directories are looked at once (those that exist, each once), and each program once.
     */
    private String resolve(String program, List<String> notes) {
        if (program.contains("/") || server.execPath == null) return program;
        if (!server.execPath.equals(searched)) {
            searched = server.execPath;
            found.clear();
            Set<Path> dirs = new LinkedHashSet<>();
            for (String dir : server.execPath.split(":")) {
                try {
                    if (!dir.isEmpty() && Files.isDirectory(Path.of(dir))) dirs.add(Path.of(dir));
                } catch (InvalidPathException e) {
                    // a NUL: no directory of that name
                }
            }
            execDirs = List.copyOf(dirs);
        }
        if (!found.containsKey(program)) found.put(program, search(program));
        String path = found.get(program);
        if (path != null) return path;
        notes.add(program + " is not in the execpath (server execpath, " + server.execPathAt + ") here; /bin/sh searches its PATH");
        return program;
    }

    /** The program's path in the first execpath directory that has it as an executable file, or null. */
    private String search(String program) {
        try {
            for (Path dir : execDirs) {
                Path p = dir.resolve(program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
            }
        } catch (InvalidPathException e) {
            // a NUL in the program: no file of that name (the command is refused for it)
        }
        return null;
    }

    /** ipmitool.exp / ipmiconsole.exp HOST USER [PSWD [KEYG]]: the BMC's SOL, with the secrets in files. */
    private Endpoint solScript(ConmanDirective d, String n, String script, List<String> args, List<String> notes) {
        int line = d.values().get("dev").line();
        if (args.size() < 2) {
            report.error(at(line), "dev= of console " + n + ": " + script + " needs HOST USER [PSWD [KEYG]]; left out");
            return null;
        }
        ConmanIpmiOptions o = ConmanIpmiOptions.DEFAULT;
        Endpoint e = sol(new ConmanDirective("console", d.line(), Map.of("dev", d.values().get("dev"))), n, args.get(1), o, notes);
        if (e == null) return null;
        @SuppressWarnings("unchecked")
        Map<String, Object> sol = (Map<String, Object>) e.value();
        if (args.size() > 2) sol.put("user", args.get(2));
        String pw = "secrets/" + n + ".pw";
        sol.put("password-file", pw);
        config.needFile(pw, "the BMC password of console " + n + (args.size() > 3
                ? " (the PSWD argument of " + script + " at " + at(line) + ")"
                : " (" + script + " at " + at(line) + " took it from " + PASSWORD_DB + ")"));
        if (args.size() > 4) {
            String kg = "secrets/" + n + ".kg";
            sol.put("kg-file", kg);
            config.needFile(kg, "the BMC key K_g of console " + n + " (the KEYG argument of " + script + " at " + at(line) + ")");
        }
        notes.add(script + " (conman's expect script for IPMI SOL) becomes ctys's own Serial-over-LAN");
        return e;
    }

    private void logs(ConmanDirective d, String n, String device) {
        Value own = d.values().get("log");
        Value log = own != null ? own : server.globalLog;
        String path = null;
        if (log != null && !log.text().isEmpty()) {
            path = ConmanDev.logName(log.text(), n, device);
            if (!path.startsWith("/") && server.logDir != null) path = server.logDir + "/" + path;
        }
        conmanLogs.put(n, path);
        Value opts = d.values().get("logopts");
        if (opts != null && !ConmanLogOptions.check(opts, file, report)) opts = null;
        if (opts == null) opts = server.globalLogopts;
        if (opts != null && ConmanLogOptions.sanitizes(opts)) {
            report.refuse(at(opts.line()), "logopts sanitize", "the log keeps the bytes as the console sent them", n);
        }
        Value test = d.values().get("testopts");
        if (test != null) config.note("testopts of console " + n + " (" + at(test.line()) + "): conman's test consoles only");
    }

    /** After the last directive: where the logs go, the notes about names that change, who may attach. */
    void finish() {
        ImportedConfig.Setting dir = config.setting("log-dir");
        String logDir = dir != null ? (String) dir.value() : commonLogDir();
        if (dir == null && logDir != null) {
            config.set("log-dir", logDir, "the directory of conman's console logs");
        }
        String target = logDir != null ? logDir : ImportedConfig.DEFAULT_LOG_DIR;
        conmanLogs.forEach((n, path) -> {
            ImportedConfig.Console c = config.consoles().get(n);
            if (c == null) return;
            String mine = target + "/" + n + ".log";
            if (path == null) {
                c.notes().add("conman did not log it; ctys-consoled logs it to " + mine);
            } else if (!path.equals(mine)) {
                c.notes().add("conman logged it to " + path + "; ctys-consoled logs it to " + mine);
            }
        });
        if (!passwordDbConsoles.isEmpty()) {
            config.needFile(PASSWORD_DB, "a line '<host-regex> : <user> : <password>' for the consoles "
                    + String.join(", ", passwordDbConsoles) + ", whose scripts had the password on their command line");
        }
        if (!config.consoles().isEmpty()) {
            config.rule(new ImportedConfig.Rule(List.of("*"), List.of("*"), List.of(),
                    "conman let every client that reached its port write to every console; ctys-consoled admits only"
                            + " the users you add under users: (name: {keys: FILE}), then this rule lets each write"));
        }
    }

    /** The directory most console logs were in, when conman.conf set no logdir; null if none is absolute and plain. */
    private String commonLogDir() {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (String p : conmanLogs.values()) {
            if (p == null || !p.startsWith("/")) continue;
            String parent = p.substring(0, p.lastIndexOf('/'));
            if (parent.isEmpty() || parent.contains("%") || !ImportedConfig.isPath(parent)) continue;
            count.merge(parent, 1, Integer::sum);
        }
        return count.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }
}
