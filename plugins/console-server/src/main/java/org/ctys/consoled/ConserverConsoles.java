package org.ctys.consoled;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.consoled.ConserverSettings.Value;
import org.ctys.inventory.SerialSettings;

/** conserver's console blocks, each converted by its type; the settings every type shares are in {@link ConserverCommon}. */
final class ConserverConsoles {

    private static final Pattern NUMBER = Pattern.compile("0*\\d{1,9}");

    private final ImportedConfig config;
    private final ImportReport report;
    private final ConserverCommon common;
    private final ConserverAccess access;

    ConserverConsoles(ImportedConfig config, ImportReport report, Map<String, String> breaks) {
        this.config = config;
        this.report = report;
        this.common = new ConserverCommon(config, report, breaks);
        this.access = new ConserverAccess(config, report);
    }

    ConserverAccess access() { return access; }

    ConserverCommon common() { return common; }

    void console(String name, String at, ConserverSettings s) {
        if (config.hasConsole(name)) {
            report.error(at, "console " + name + " is defined again; this definition replaces the first, as in conserver");
            access.forget(name);
        }
        if (!ImportedConfig.isConsoleName(name)) {
            report.refuse(at, "console name '" + name + "'", ImportedConfig.CONSOLE_NAME_RULE, null);
            return;
        }
        String twin = config.caseTwin(name);
        if (twin != null) {
            report.refuse(at, "console name '" + name + "'", ImportedConfig.caseRule(twin), null);
            return;
        }
        Value master = s.get("master");
        if (master == null) {
            report.error(at, "console " + name + " has no master (conserver leaves it out)");
            return;
        }
        if (!ConserverCommon.isLocal(master.text())) {
            report.refuse(master.at(), "master " + master.text(), "ctys-consoled serves the consoles of the host it runs on;"
                    + " import this file on " + master.text() + " for its consoles", name);
            return;
        }
        Value type = s.get("type");
        if (type == null) {
            report.error(at, "console " + name + " has no type (conserver leaves it out)");
            return;
        }
        Value aliases = s.get("aliases");
        if (aliases != null) {
            report.refuse(aliases.at(), "aliases " + aliases.text(), "a console has one name; attach with " + name, name);
        }
        List<String> notes = new ArrayList<>();
        NetPort netPort = port(name, s);
        if (netPort == null) return;
        Object[] endpoint = switch (type.text().toLowerCase(Locale.ROOT)) {
            case "device" -> device(name, at, s, netPort);
            case "host" -> host(name, at, s, netPort);
            case "exec" -> exec(name, s, netPort, notes);
            case "uds" -> uds(name, at, s, netPort, notes);
            case "ipmi" -> ipmi(name, at, s, notes);
            case "noop" -> {
                report.refuse(type.at(), "type noop", "a placeholder without a connection; ctys-consoled has none", name);
                yield null;
            }
            default -> {
                report.error(type.at(), "type " + type.text() + " of console " + name
                        + " is not device, ipmi, exec, host, noop or uds; left out");
                yield null;
            }
        };
        if (endpoint == null) return;
        if (endpoint[0].equals("cmd") && !ConfigReader.isCommand((String) endpoint[1])) {
            Value v = s.get(type.text().equalsIgnoreCase("uds") ? "uds" : "exec");
            report.refuse(v == null ? at : v.at(), "a control character in the command", ImportedConfig.COMMAND_RULE, name);
            return;
        }
        common.console(name, at, s, notes);
        access.console(name, s);
        config.console(new ImportedConfig.Console(name, at + ": console " + name, (String) endpoint[0], endpoint[1], notes));
    }

    /**
     * conserver's port formula, portbase + portinc * port (defaults 0 and 1; ConserverSettings keeps only
     * valid values), worked out without overflow; null after refusing a port name.
     */
    private NetPort port(String name, ConserverSettings s) {
        Value base = s.get("portbase");
        Value inc = s.get("portinc");
        long b = base == null ? 0 : Long.parseLong(base.text());
        Value p = s.get("port");
        if (p == null) return new NetPort(b, null, null);     // conserver's port 0: what %P gives
        if (!NUMBER.matcher(p.text()).matches()) {
            report.refuse(p.at(), "port name " + p.text(), "conserver looked it up in its host's services; write the number", name);
            return null;
        }
        long i = inc == null ? 1 : Long.parseLong(inc.text());
        long n = Long.parseLong(p.text());
        // at most 9 digits each: the product and the sum stay far inside a long
        long sum = Math.addExact(b, Math.multiplyExact(i, n));
        return new NetPort(sum, "portbase " + b + " + portinc " + i + " * port " + n + " = " + sum, p.at());
    }

    /**
     * A console's calculated port: its exact value, the formula with its numbers, where the port is
     * written (formula null: no port is set). conserver keeps the sum in 16 bits (wrapping it); a %P
     * substitution uses those bits too.
     */
    private record NetPort(long value, String formula, String at) {

        boolean isSet() { return formula != null; }

        /** What conserver works with: the sum's low 16 bits. */
        int bits() { return (int) (value & 0xffff); }
    }

    private ConserverSubst.Values substValues(String name, ConserverSettings s, NetPort netPort) {
        Value port = s.get("port");
        return new ConserverSubst.Values(name, text(s, "host"), text(s, "replstring"), text(s, "baud"),
                port != null && NUMBER.matcher(port.text()).matches() ? Integer.parseInt(port.text()) : 0,
                netPort.bits());
    }

    private static String text(ConserverSettings s, String key) {
        Value v = s.get(key);
        return v == null ? "" : v.text();
    }

    /** The value with its substitution applied; null after reporting a malformed specification. */
    private String substituted(String name, ConserverSettings s, String key, String substKey, NetPort netPort) {
        Value v = s.get(key);
        Value spec = s.get(substKey);
        if (v == null || spec == null) return v == null ? null : v.text();
        try {
            return ConserverSubst.apply(spec.text(), v.text(), substValues(name, s, netPort));
        } catch (IllegalArgumentException e) {
            report.error(spec.at(), substKey + " of console " + name + ": " + e.getMessage() + "; left out");
            return null;
        }
    }

    private Object[] device(String name, String at, ConserverSettings s, NetPort netPort) {
        String device = substituted(name, s, "device", "devicesubst", netPort);
        if (device == null && s.get("device") != null) return null;
        Value baud = s.get("baud");
        Value parity = s.get("parity");
        if (device == null || baud == null || parity == null) {
            report.error(at, "console " + name + " of type device needs device, baud and parity (conserver leaves it out)");
            return null;
        }
        if (!SerialSettings.isDevicePath(device)) {
            report.error(at, "device of console " + name + ": '" + device + "' is not " + SerialSettings.DEVICE_FORM);
            return null;
        }
        Integer speed = SerialSettings.speed(baud.text()).orElse(null);
        if (speed == null) {
            report.refuse(baud.at(), "baud " + baud.text(), "ctys's serial lines take " + SerialSettings.SPEED_FORM, name);
            return null;
        }
        String p = parity.text().toLowerCase(Locale.ROOT);
        if (!List.of("none", "even", "odd").contains(p)) {
            report.refuse(parity.at(), "parity " + parity.text(), "ctys's serial lines have none, even or odd parity", name);
            return null;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("device", device);
        line.put("speed", speed);
        line.put("parity", p);
        line.put("bits", p.equals("none") ? 8 : 7);     // conserver: none is 8 data bits, even and odd 7
        line.put("stop", s.option("cstopb", false) ? 2 : 1);
        line.put("flow", flow(name, at, s));
        return new Object[] {"serial", line};
    }

    /** conserver's defaults for a device: ixon and ixoff on, crtscts off. */
    private String flow(String name, String at, ConserverSettings s) {
        boolean xon = s.option("ixon", true) || s.option("ixoff", true);
        boolean rts = s.option("crtscts", false);
        if (rts && xon) {
            Value v = s.options.get("crtscts");
            report.refuse(v == null ? at : v.at(), "XON/XOFF together with RTS/CTS flow control (conserver's ixon/ixoff"
                    + " are on unless turned off)", "a ctys serial line has one flow control; rtscts is written", name);
        }
        return rts ? "rtscts" : xon ? "xonxoff" : "none";
    }

    private Object[] host(String name, String at, ConserverSettings s, NetPort netPort) {
        Value host = s.get("host");
        if (host == null || !netPort.isSet()) {
            report.error(at, "console " + name + " of type host needs host and port (conserver leaves it out)");
            return null;
        }
        if (!ImportedConfig.isHost(host.text())) {
            report.refuse(host.at(), "host '" + host.text() + "'", ImportedConfig.HOST_RULE, name);
            return null;
        }
        if (netPort.value() < 1 || netPort.value() > 65535) {
            report.refuse(netPort.at(), netPort.formula(), "a TCP port is 1 to 65535 (conserver kept the sum's low 16 bits: "
                    + netPort.bits() + ")", name);
            return null;
        }
        Value protocol = s.get("protocol");
        boolean raw = protocol != null && protocol.text().equalsIgnoreCase("raw");
        if (protocol != null && !raw && !protocol.text().equalsIgnoreCase("telnet")) {
            report.error(protocol.at(), "protocol " + protocol.text() + " is not telnet or raw; telnet taken");
        }
        Map<String, Object> tcp = new LinkedHashMap<>();
        tcp.put("host", host.text());
        tcp.put("port", (int) netPort.value());
        tcp.put("telnet", !raw);
        return new Object[] {"tcp", tcp};
    }

    private Object[] exec(String name, ConserverSettings s, NetPort netPort, List<String> notes) {
        String cmd = substituted(name, s, "exec", "execsubst", netPort);
        if (cmd == null && s.get("exec") != null) return null;
        if (cmd == null) {
            cmd = "/bin/sh -i";
            notes.add("no exec: conserver ran an interactive /bin/sh -i, and so does this console");
        }
        Value runas = s.get("execrunas");
        if (runas != null) {
            report.refuse(runas.at(), "execrunas " + runas.text(), "commands run as ctys-consoled's user", name);
        }
        String secret = CommandSecrets.passwordOption(cmd);
        if (secret != null) {
            Value exec = s.get("exec");
            report.refuse(exec != null ? exec.at() : null, "exec with a secret on its command line (" + secret + ")",
                    CommandSecrets.why(secret), name);
            return null;
        }
        return new Object[] {"cmd", cmd};
    }

    private Object[] uds(String name, String at, ConserverSettings s, NetPort netPort, List<String> notes) {
        String path = substituted(name, s, "uds", "udssubst", netPort);
        if (path == null) {
            if (s.get("uds") == null) report.error(at, "console " + name + " of type uds needs uds (conserver leaves it out)");
            return null;
        }
        notes.add("conserver's unix-socket console, reached through socat (Debian package socat)");
        return new Object[] {"cmd", ShellWords.join(List.of("socat", "STDIO,raw,echo=0", "UNIX-CONNECT:" + path))};
    }

    private Object[] ipmi(String name, String at, ConserverSettings s, List<String> notes) {
        Value host = s.get("host");
        if (host == null) {
            report.error(at, "console " + name + " of type ipmi needs host (conserver leaves it out)");
            return null;
        }
        if (!ImportedConfig.isHost(host.text())) {
            report.refuse(host.at(), "BMC address '" + host.text() + "'", ImportedConfig.HOST_RULE, name);
            return null;
        }
        Map<String, Object> sol = new LinkedHashMap<>();
        sol.put("address", host.text());
        Value user = s.get("username");
        if (user != null) sol.put("user", user.text());
        secret(name, s.get("password"), "secrets/" + name + ".pw", "password-file", "the BMC password", sol);
        secret(name, s.get("ipmikg"), "secrets/" + name + ".kg", "kg-file", "the BMC key K_g (conserver's \\ escapes resolved)", sol);
        Value suite = s.get("ipmiciphersuite");
        if (suite != null && !suite.text().equals("-1")) {
            Matcher m = NUMBER.matcher(suite.text());
            int c = m.matches() ? Integer.parseInt(suite.text()) : -2;
            if (c == 0) {
                sol.put("cipher-suite", 0);
                sol.put("allow-cipher-suite-0", true);
                notes.add("ipmiciphersuite 0 (" + suite.at() + "): sends no authentication; allowed as conserver did");
            } else if (org.ctys.inventory.BmcSettings.SPOKEN_CIPHER_SUITES.contains(c)) {
                sol.put("cipher-suite", c);
            } else {
                report.refuse(suite.at(), "ipmiciphersuite " + suite.text(), "ctys speaks cipher suites 3 (its default),"
                        + " 17, 2, 16 and 0; the console uses suite 3", name);
            }
        }
        Value level = s.get("ipmiprivlevel");
        if (level != null) {
            notes.add("ipmiprivlevel " + level.text() + " (" + level.at() + "): ctys opens Serial-over-LAN sessions at"
                    + " user privilege, which SOL needs on most BMCs");
        }
        Value work = s.get("ipmiworkaround");
        if (work != null && !work.text().equalsIgnoreCase("default")) {
            report.refuse(work.at(), "ipmiworkaround " + work.text(), "ctys's Serial-over-LAN has no FreeIPMI workaround"
                    + " flags; the console is opened without them", name);
        }
        return new Object[] {"sol", sol};
    }

    /** A secret of conserver.cf becomes a file reference; the file is listed for the administrator, the secret never. */
    private void secret(String name, Value v, String file, String key, String what, Map<String, Object> sol) {
        if (v == null) return;
        sol.put(key, file);
        config.needFile(file, what + " of console " + name + " (written at " + v.at() + ")");
    }
}
