package org.ctys.consoled;

import java.util.Locale;
import org.ctys.consoled.ConmanDirective.Value;

/**
 * conman's SERVER and GLOBAL directives: what becomes a top-level key of consoled.yaml, what is
 * refused, what is left as a note, and the GLOBAL defaults the consoles after them start from.
 */
final class ConmanServer {

    /** conmand's client port when the file sets none. */
    static final int CONMAN_PORT = 7890;
    static final int CONSOLED_PORT = 7022;

    private final String file;
    private final ImportedConfig config;
    private final ImportReport report;

    private String port;
    private String portOrigin;
    private boolean loopback;
    private String loopbackOrigin;
    String logDir;
    String execPath;
    /** Where execPath is set. */
    String execPathAt;
    Value globalLog;
    Value globalLogopts;
    ConmanSerialOptions serial = ConmanSerialOptions.DEFAULT;
    ConmanIpmiOptions ipmi = ConmanIpmiOptions.DEFAULT;

    ConmanServer(String file, ImportedConfig config, ImportReport report) {
        this.file = file;
        this.config = config;
        this.report = report;
    }

    private String at(Value v) { return ImportReport.at(file, v.line()); }

    void server(String key, Value v) {
        String at = at(v);
        switch (key) {
            case "port" -> {
                String p = ImportedConfig.digits(v.text());
                if (ConfigReader.listenParts("0.0.0.0:" + p) == null) {
                    report.refuse(at, "server port=" + v.text(), "ctys-consoled listens on a port up to "
                            + ConfigReader.MAX_PORT + "; the listen: address is left at its default", null);
                    return;
                }
                port = p;
                portOrigin = at + ": server port=" + port + " (users reach the consoles with ssh -p " + port + ")";
                listen();
            }
            case "loopback" -> {
                loopback = v.text().equals("on");
                loopbackOrigin = at + ": server loopback=" + v.text();
                listen();
            }
            case "logdir" -> {
                if (!ImportedConfig.isPath(v.text())) {
                    report.refuse(at, "server logdir", ImportedConfig.PATH_RULE, null);
                    return;
                }
                logDir = v.text().isEmpty() ? null : v.text();
                if (logDir == null) {
                    config.note("server logdir=\"\" (" + at + "): conmand's working directory; ctys-consoled's log-dir default applies");
                } else {
                    config.set("log-dir", logDir, at + ": server logdir" + (logDir.startsWith("/") ? ""
                            : "; relative: ctys-consoled takes it from this file's directory, conmand from its working directory"));
                }
            }
            case "pidfile" -> {
                if (ImportedConfig.isPath(v.text())) config.set("pid-file", v.text(), at + ": server pidfile");
                else report.refuse(at, "server pidfile", ImportedConfig.PATH_RULE, null);
            }
            case "timestamp" -> {
                if (TimeWords.duration(v.text()).isEmpty()) {
                    report.refuse(at, "server timestamp=" + v.text(), ImportedConfig.MARK_RULE, null);
                } else {
                    config.set("mark", v.text(), at + ": server timestamp (a mark line in quiet console logs)");
                }
            }
            case "resetcmd" -> report.refuse(at, "server resetcmd", "there is no reset escape running a command;"
                    + " power a machine with ctys -t pm or -t sol instead", null);
            case "tcpwrappers" -> {
                if (v.text().equals("on")) {
                    report.refuse(at, "server tcpwrappers=on", "access by client host address (hosts.allow);"
                            + " ctys-consoled admits users by their SSH keys only", null);
                }
            }
            case "execpath" -> {
                execPath = v.text().isEmpty() ? null : v.text();
                execPathAt = at;
                config.note("server execpath (" + at + "): command consoles run through /bin/sh with its PATH;"
                        + " commands found there are written with their full path");
            }
            case "keepalive" -> config.note("server keepalive=" + v.text() + " (" + at
                    + "): TCP keep-alives of conman's clients; ctys-consoled's users come over SSH");
            case "logfile", "syslog" -> config.note("server " + key + " (" + at
                    + "): conmand's own messages; ctys-consoled writes its messages to stderr (the journal under systemd)");
            default -> config.note("server " + key + " (" + at + "): a setting of conmand's process, not needed");
        }
    }

    /** The SSH front door where conmand listened: the same port, the loopback address if conmand kept to it. */
    private void listen() {
        String address = (loopback ? "127.0.0.1" : "0.0.0.0") + ":" + (port == null ? CONSOLED_PORT : port);
        String origin = portOrigin == null ? loopbackOrigin
                : loopbackOrigin == null ? portOrigin : portOrigin + "; " + loopbackOrigin.substring(loopbackOrigin.indexOf(": ") + 2);
        config.set("listen", address, origin);
    }

    void global(String key, Value v) {
        String at = at(v);
        switch (key) {
            case "log" -> {
                if (v.text().isEmpty()) {
                    globalLog = null;
                } else if (!v.text().contains("%N") && !v.text().contains("%D")) {
                    report.error(at, "global log \"" + v.text() + "\" must contain %N or %D (conmand ignores it)");
                } else {
                    globalLog = v;
                }
            }
            case "logopts" -> {
                if (ConmanLogOptions.check(v, file, report)) globalLogopts = v;
            }
            case "seropts" -> {
                try {
                    serial = serial.with(v.text());
                } catch (IllegalArgumentException e) {
                    report.error(at, e.getMessage());
                }
            }
            case "ipmiopts" -> {
                try {
                    ipmi = ipmi.with(v.text(), v.line());
                } catch (IllegalArgumentException e) {
                    report.error(at, e.getMessage());
                }
            }
            default -> config.note("global " + key.toLowerCase(Locale.ROOT) + " (" + at + "): conman's test consoles, not needed");
        }
    }
}
