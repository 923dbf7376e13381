package org.ctys.transport.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.client.config.hosts.HostConfigEntry;

/**
 * The subset of ssh_config(5) ctys honours: Host patterns with HostName, User, Port, IdentityFile,
 * ProxyJump and UserKnownHostsFile. Values merge like OpenSSH: the first match that sets a value
 * wins, IdentityFile accumulates. MINA parses the file; the merge is ours so that explicit
 * user and port win and {@code ~} means {@link SshOptions#home()}, not the JVM's user.home.
 */
final class SshConfig {

    private static final List<String> DEFAULT_IDENTITIES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private final Path home;
    private final String localUser;
    private final List<HostConfigEntry> entries;

    private SshConfig(Path home, String localUser, List<HostConfigEntry> entries) {
        this.home = home;
        this.localUser = localUser;
        this.entries = entries;
    }

    static SshConfig load(SshOptions options) throws SshFailure {
        Path file = options.effectiveConfigFile();
        List<HostConfigEntry> entries = List.of();
        if (Files.exists(file)) {
            try {
                entries = HostConfigEntry.readHostConfigEntries(file);
            } catch (IOException | RuntimeException e) {
                throw new SshFailure(SshFailure.Kind.CONFIG, "cannot read SSH config " + file + ": " + e.getMessage(), e);
            }
        } else if (options.configFile() != null) {
            // A file named explicitly must exist; the user's default one is optional like in OpenSSH.
            throw new SshFailure(SshFailure.Kind.CONFIG, "SSH config " + file + " does not exist");
        }
        return new SshConfig(options.home(), System.getProperty("user.name"), entries);
    }

    /** Resolves a name; explicit user and port (null when not given) win over the config. */
    Hop resolve(String name, String user, Integer port) throws SshFailure {
        String hostName = null;
        String cfgUser = null;
        String proxyJump = null;
        int cfgPort = -1;
        List<String> identities = new ArrayList<>();
        List<String> knownHosts = new ArrayList<>();
        for (HostConfigEntry e : HostConfigEntry.findMatchingEntries(name, entries)) {
            if (hostName == null) {
                hostName = value(e, "HostName");
            }
            if (cfgUser == null) {
                cfgUser = value(e, "User");
            }
            if (proxyJump == null) {
                proxyJump = value(e, "ProxyJump");
            }
            if (cfgPort < 0) {
                String p = value(e, "Port");
                if (p != null) {
                    cfgPort = parsePort(p, name);
                }
            }
            addAll(identities, e, "IdentityFile");
            if (knownHosts.isEmpty()) {
                addAll(knownHosts, e, "UserKnownHostsFile");
            }
        }
        String effectiveUser = user != null ? user : cfgUser != null ? cfgUser : localUser;
        int effectivePort = port != null ? port : cfgPort > 0 ? cfgPort : 22;
        String effectiveHost = hostName == null ? name : hostName.replace("%h", name);
        if ("none".equalsIgnoreCase(proxyJump)) {
            proxyJump = null;
        }

        List<Path> ids = new ArrayList<>();
        if (identities.isEmpty()) {
            for (String d : DEFAULT_IDENTITIES) {
                ids.add(home.resolve(".ssh").resolve(d));
            }
        } else {
            for (String i : identities) {
                ids.add(expand(i, effectiveHost, effectiveUser, effectivePort));
            }
        }
        List<Path> kh = new ArrayList<>();
        kh.add(home.resolve(".ssh").resolve("known_hosts"));
        for (String k : knownHosts) {
            if (!"none".equalsIgnoreCase(k)) {
                Path p = expand(k, effectiveHost, effectiveUser, effectivePort);
                if (!kh.contains(p)) {
                    kh.add(p);
                }
            }
        }
        return new Hop(name, effectiveHost, effectivePort, effectiveUser, List.copyOf(ids), List.copyOf(kh), proxyJump);
    }

    /** Splits {@code [user@]host[:port]} as OpenSSH's -J does; {@code [v6addr]:port} keeps its colons. */
    Hop resolveJump(String spec) throws SshFailure {
        String rest = spec.strip();
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        Integer port = null;
        String host = rest;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new SshFailure(SshFailure.Kind.CONFIG, "bad jump host '" + spec + "': missing ]");
            }
            host = rest.substring(1, close);
            if (rest.length() > close + 1) {
                if (rest.charAt(close + 1) != ':') {
                    throw new SshFailure(SshFailure.Kind.CONFIG, "bad jump host '" + spec + "'");
                }
                port = parsePort(rest.substring(close + 2), spec);
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && rest.indexOf(':') == colon) {
                host = rest.substring(0, colon);
                port = parsePort(rest.substring(colon + 1), spec);
            }
        }
        if (host.isEmpty() || (user != null && user.isEmpty())) {
            throw new SshFailure(SshFailure.Kind.CONFIG, "bad jump host '" + spec + "'");
        }
        return resolve(host, user, port);
    }

    /** Splits a ProxyJump value ({@code a,b,c}) into its hops, first hop first like OpenSSH. */
    static List<String> splitJumps(String proxyJump) {
        List<String> out = new ArrayList<>();
        if (proxyJump != null) {
            for (String s : proxyJump.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }

    private Path expand(String value, String host, String user, int port) {
        String v = value;
        if (v.startsWith("~/") || v.equals("~")) {
            v = home + v.substring(1);
        }
        v = v.replace("%d", home.toString()).replace("%h", host).replace("%r", user)
                .replace("%u", localUser).replace("%p", Integer.toString(port)).replace("%%", "%");
        Path p = Path.of(v);
        // ssh_config(5): relative paths are taken from the user's .ssh directory.
        return p.isAbsolute() ? p : home.resolve(".ssh").resolve(p);
    }

    private static String value(HostConfigEntry e, String key) {
        String v = e.getProperty(key);
        if (v == null) {
            v = e.getProperty(key.toLowerCase(Locale.ROOT));
        }
        if (v == null) {
            return null;
        }
        v = v.strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return v.isEmpty() ? null : v;
    }

    private static void addAll(List<String> into, HostConfigEntry e, String key) {
        String v = value(e, key);
        if (v != null) {
            for (String s : HostConfigEntry.parseConfigValue(v)) {
                if (!s.isBlank() && !into.contains(s.strip())) {
                    into.add(s.strip());
                }
            }
        }
    }

    private static int parsePort(String text, String where) throws SshFailure {
        try {
            int p = Integer.parseInt(text.strip());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below with the same message as an out-of-range port
        }
        throw new SshFailure(SshFailure.Kind.CONFIG, "bad port '" + text + "' for " + where);
    }
}
