package org.ctys.consoled;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;

/**
 * ctys-consoled, the console server: {@code main} of {@code bin/ctys-consoled}. Runs in the
 * foreground (for systemd); its own messages are one line each on standard error.
 */
public final class Consoled {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int CONFIG = 3;

    static final String SYNOPSIS = "ctys-consoled [--config FILE] [--check] [--reload] [--import-conman FILE | --import-conserver FILE]"
            + " [--help] [--version]";

    /** The options as --help lists them; the man page ctys-consoled(8) is checked against this table. */
    static final String[][] OPTIONS = {
        {"--config FILE", "the configuration (default: consoled.yaml beside the inventory: $CTYS_INVENTORY's directory, else"
                + " ~/.config/ctys/ when it holds one, else /etc/ctys/)"},
        {"--check", "read and check the configuration (and every user's keys), print the consoles it would open, exit"},
        {"--reload", "make the running daemon reread its configuration: SIGHUP to the pid in its pid file"},
        {"--import-conman FILE", "print the consoled.yaml equivalent of a conman.conf; what has none, one line each on stderr"},
        {"--import-conserver FILE", "print the consoled.yaml equivalent of a conserver.cf; what has none, one line each on stderr"},
        {"--help", "this text"},
        {"--version", "the version"},
    };

    /** Exit statuses as --help lists them. */
    static final String[][] STATUSES = {
        {"0", "stopped by SIGTERM or SIGINT; --check, --reload or an import went through"},
        {"1", "--reload found no running daemon"},
        {"2", "usage error: nothing was started"},
        {"3", "the configuration (or a key file, or the host key) is invalid, or the address cannot be listened on;"
                + " an import refused something"},
    };

    private Consoled() {}

    public static void main(String[] args) {
        // before anything reads a key: MINA's INFO lines are no messages of the daemon
        org.ctys.transport.ssh.SshTransport.quietMina();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        String home = System.getProperty("user.home");
        System.exit(run(args, out, err, System.getenv(), home == null ? null : Path.of(home)));
    }

    static String help() {
        StringBuilder b = new StringBuilder("usage: " + SYNOPSIS + "\n\n"
                + "The console server of ctys: holds every configured console open (serial lines, IPMI Serial-over-LAN,\n"
                + "hypervisor consoles, commands, terminal server ports), logs each to its own file, and lets users\n"
                + "attach over SSH with their keys (ssh -p 7022 -t HOST CONSOLE, or ctys -t console). SIGHUP rereads\n"
                + "the configuration; SIGTERM or SIGINT stops.\n\noptions:\n");
        for (String[] o : OPTIONS) b.append(String.format("  %-24s %s%n", o[0], o[1]));
        b.append("\nexit status:\n");
        for (String[] s : STATUSES) b.append(String.format("  %-3s %s%n", s[0], s[1]));
        return b.toString();
    }

    static String version() {
        String v = Consoled.class.getPackage().getImplementationVersion();
        return "ctys-consoled " + (v != null ? v : "0.1.0");
    }

    /** The command line, checked whole before anything is read or started. */
    record Args(Path config, boolean check, boolean reload, Path importConman, Path importConserver, boolean help,
                boolean version) {}

    static Args parse(String[] args) {
        Path config = null;
        Path conman = null;
        Path conserver = null;
        boolean check = false;
        boolean reload = false;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--config", "--import-conman", "--import-conserver" -> {
                    if (value == null) {
                        if (i + 1 == args.length) throw CtysException.usage(a + " needs a file");
                        value = args[++i];
                    }
                    if (value.isEmpty()) throw CtysException.usage(a + " '' names no file");
                    Path p = Path.of(value);
                    if (a.equals("--config")) {
                        if (config != null) throw CtysException.usage("--config is given twice");
                        config = p;
                    } else if (a.equals("--import-conman")) {
                        if (conman != null) throw CtysException.usage("--import-conman is given twice");
                        conman = p;
                    } else {
                        if (conserver != null) throw CtysException.usage("--import-conserver is given twice");
                        conserver = p;
                    }
                }
                case "--check", "--reload", "--help", "-h", "--version" -> {
                    if (value != null) throw CtysException.usage(a + " takes no value");
                    switch (a) {
                        case "--check" -> check = true;
                        case "--reload" -> reload = true;
                        case "--version" -> version = true;
                        default -> help = true;
                    }
                }
                default -> throw CtysException.usage((a.startsWith("-") ? "unknown option '" : "unexpected word '") + args[i]
                        + "' (valid: --config FILE, --check, --reload, --import-conman FILE, --import-conserver FILE, --help, --version)");
            }
        }
        List<String> modes = new ArrayList<>();
        if (check) modes.add("--check");
        if (reload) modes.add("--reload");
        if (conman != null) modes.add("--import-conman");
        if (conserver != null) modes.add("--import-conserver");
        if (modes.size() > 1) throw CtysException.usage(String.join(" and ", modes) + " exclude each other");
        if (config != null && (conman != null || conserver != null)) {
            throw CtysException.usage("--config and " + modes.get(0) + " exclude each other: an import reads no configuration");
        }
        return new Args(config, check, reload, conman, conserver, help, version);
    }

    static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env, Path home) {
        Args args;
        try {
            args = parse(argv);
        } catch (CtysException e) {
            err.println("ctys-consoled: " + e.getMessage());
            err.println("usage: " + SYNOPSIS);
            err.println("Try 'ctys-consoled --help'");
            return USAGE;
        }
        if (args.help()) {
            out.print(help());
            return OK;
        }
        if (args.version()) {
            out.println(version());
            return OK;
        }
        if (args.importConman() != null) return ConmanImport.run(args.importConman(), out, err);
        if (args.importConserver() != null) return ConserverImport.run(args.importConserver(), out, err);
        Say say = new Say(err);
        Path file = args.config() != null ? args.config() : ConfigReader.defaultFile(env, home);
        DaemonConfig config;
        Logins logins;
        try {
            config = ConfigReader.read(file, env, home);
            if (args.reload()) return reload(config, say);
            logins = Logins.read(config);
        } catch (CtysException e) {
            say.line(e.getMessage());
            return CONFIG;
        }
        if (args.check()) {
            out.print(check(config));
            return OK;
        }
        return Daemon.run(config, logins, () -> ConfigReader.read(file, env, home), say);
    }

    /** What --check prints: the listen address, the log directory and each console it would open. */
    static String check(DaemonConfig c) {
        StringBuilder b = new StringBuilder();
        b.append(c.file()).append(": valid; listen ").append(c.listenHost().contains(":") ? "[" + c.listenHost() + "]" : c.listenHost())
                .append(':').append(c.listenPort()).append(", logs in ").append(c.logDir()).append(", ")
                .append(c.consoles().size()).append(c.consoles().size() == 1 ? " console" : " consoles").append(", ")
                .append(c.userKeys().size()).append(c.userKeys().size() == 1 ? " user" : " users").append('\n');
        int width = 4;
        for (ConsoleDef d : c.consoles()) width = Math.max(width, d.name().length());
        for (ConsoleDef d : c.consoles()) {
            b.append(String.format("%-" + width + "s  %-6s  %s%n", d.name(), d.kind(), d.endpoint().detail()));
        }
        return b.toString();
    }

    /** --reload: SIGHUP to the pid in the pid file. */
    private static int reload(DaemonConfig config, Say say) {
        Path pidFile = config.pidFile();
        long pid;
        try {
            String text = Files.readString(pidFile).strip();
            if (!text.matches("\\d{1,10}")) {
                say.line("pid file " + pidFile + " holds '" + text + "', not a process id");
                return CONFIG;
            }
            pid = Long.parseLong(text);
        } catch (java.nio.file.NoSuchFileException e) {
            say.line("no daemon runs: its pid file " + pidFile + " does not exist");
            return FAILED;
        } catch (IOException e) {
            say.line("cannot read the pid file " + pidFile + ": " + e.getMessage());
            return CONFIG;
        }
        if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
            say.line("no daemon runs as pid " + pid + " (from " + pidFile + ")");
            return FAILED;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).redirectErrorStream(true).start();
            String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (kill.waitFor() != 0) {
                say.line("cannot signal pid " + pid + ": " + said);
                return FAILED;
            }
        } catch (IOException e) {
            say.line("cannot run kill: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
        say.line("asked pid " + pid + " to reload " + config.file());
        return OK;
    }
}
