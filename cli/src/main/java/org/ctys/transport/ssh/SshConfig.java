package org.ctys.transport.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ctys.grammar.JumpSpec;
import org.ctys.os.UnixFiles;
import org.ctys.transport.ssh.SshConfigFile.Directive;
import org.ctys.transport.ssh.SshConfigFile.Included;
import org.ctys.transport.ssh.SshConfigFile.Node;

/**
 * The part of ssh_config(5) ctys honours, applied as OpenSSH applies it: Host and Match blocks
 * (Match with {@code all}, {@code host}, {@code originalhost}, {@code user}, {@code localuser}),
 * Include, and the first value obtained for each keyword wins (IdentityFile accumulates). Honoured:
 * HostName, User, Port, IdentityFile, ProxyJump, ProxyCommand, UserKnownHostsFile,
 * GlobalKnownHostsFile, HostKeyAlias, and StrictHostKeyChecking where it says what ctys does.
 * Keywords that would change where or how ssh connects and that ctys does not honour are warned
 * about once per run, so that ctys never quietly connects another way than the config says.
 * Explicit user and port win over the config; {@code ~} means {@link SshOptions#home()}. Without
 * -F, /etc/ssh/ssh_config is read after the user's file, as ssh does.
 */
final class SshConfig {

    private static final List<String> DEFAULT_IDENTITIES = List.of("id_ed25519", "id_ecdsa", "id_rsa");
    /** Read after the user's own config when no -F is given, as ssh reads it. */
    static final Path SYSTEM_CONFIG = Path.of("/etc/ssh/ssh_config");
    static final List<Path> DEFAULT_GLOBAL_KNOWN_HOSTS = List.of(Path.of("/etc/ssh/ssh_known_hosts"),
            Path.of("/etc/ssh/ssh_known_hosts2"));

    /**
     * Keywords ctys does not honour that change where or how ssh connects, each with the values
     * that mean what ctys does anyway (no warning for those).
     */
    private static final Map<String, Set<String>> NOT_HONOURED = Map.ofEntries(
            Map.entry("addressfamily", Set.of("any")),
            Map.entry("bindaddress", Set.of()),
            Map.entry("bindinterface", Set.of()),
            Map.entry("canonicalizehostname", Set.of("no", "false")),
            Map.entry("certificatefile", Set.of()),
            Map.entry("checkhostip", Set.of("no", "false")),
            Map.entry("ciphers", Set.of()),
            Map.entry("macs", Set.of()),
            Map.entry("kexalgorithms", Set.of()),
            Map.entry("hostkeyalgorithms", Set.of()),
            Map.entry("pubkeyacceptedalgorithms", Set.of()),
            Map.entry("pubkeyacceptedkeytypes", Set.of()),
            Map.entry("casignaturealgorithms", Set.of()),
            Map.entry("hostbasedauthentication", Set.of("no", "false")),
            Map.entry("identityagent", Set.of("ssh_auth_sock")),
            Map.entry("knownhostscommand", Set.of("none")),
            Map.entry("pkcs11provider", Set.of("none")),
            Map.entry("pubkeyauthentication", Set.of("yes", "true", "unbound", "host-bound")),
            Map.entry("proxyusefdpass", Set.of("no", "false")),
            Map.entry("verifyhostkeydns", Set.of("no", "false")),
            Map.entry("tunnel", Set.of("no", "false")));

    private final Path home;
    private final String localUser;
    /** The files read, in order: each starts with every line applying, as each file does in OpenSSH. */
    private final List<List<Node>> files;
    private final boolean acceptNew;
    private final Warnings warnings;

    private SshConfig(Path home, String localUser, List<List<Node>> files, boolean acceptNew, Warnings warnings) {
        this.home = home;
        this.localUser = localUser;
        this.files = files;
        this.acceptNew = acceptNew;
        this.warnings = warnings;
    }

    static SshConfig load(SshOptions options) throws SshFailure {
        return load(options, new Warnings(options.warnings()));
    }

    static SshConfig load(SshOptions options, Warnings warnings) throws SshFailure {
        return load(options, warnings, SYSTEM_CONFIG);
    }

    /** @param system the system-wide config read after the user's when no -F is given (ssh's /etc/ssh/ssh_config) */
    static SshConfig load(SshOptions options, Warnings warnings, Path system) throws SshFailure {
        Path file = options.effectiveConfigFile();
        List<List<Node>> files = new ArrayList<>();
        if (Files.exists(file)) {
            // ~/.ssh/config is checked as ssh checks it (owner, mode); a file given with -F is not, as in ssh
            files.add(options.configFile() == null ? SshConfigFile.loadChecked(file, options.home(), options.home().resolve(".ssh"))
                    : SshConfigFile.load(file, options.home(), options.home().resolve(".ssh")));
        } else if (options.configFile() != null) {
            // A file named explicitly must exist; the user's default one is optional like in OpenSSH.
            throw new SshFailure(SshFailure.Kind.CONFIG, "SSH config " + file + " does not exist");
        }
        if (options.configFile() == null && system != null && Files.exists(system)) {
            files.add(SshConfigFile.load(system, options.home(), system.getParent()));
        }
        return new SshConfig(options.home(), System.getProperty("user.name"), List.copyOf(files),
                options.acceptNewHostKeys(), warnings);
    }

    /** What the directives that apply to one host say; the first value wins. */
    private static final class Found {
        Directive hostName;
        String user;
        Integer port;
        final List<Directive> identities = new ArrayList<>();
        Directive userKnownHosts;
        Directive globalKnownHosts;
        String hostKeyAlias;
        Directive proxy; // ProxyJump or ProxyCommand, whichever came first, as in OpenSSH
        boolean revokedHostKeys; // the first RevokedHostKeys line was seen (it alone counts)
        java.time.Duration connectTimeout;
        boolean connectTimeoutSet; // the first ConnectTimeout line was seen ("none" sets no bound of its own)
        Boolean identitiesOnly;
        Boolean hashKnownHosts;
    }

    /** Resolves a name; explicit user and port (null when not given) win over the config. */
    Hop resolve(String name, String user, Integer port) throws SshFailure {
        Found f = new Found();
        // Targets resolve in parallel; one walk at a time keeps the run's warnings in file order
        // (each walk says them in order). A walk is in memory and takes microseconds.
        synchronized (warnings) {
            for (List<Node> nodes : files) {
                walk(nodes, name, user, f, true, false);
            }
        }
        String effectiveUser = user != null ? user : f.user != null ? f.user : localUser;
        int effectivePort = port != null ? port : f.port != null ? f.port : 22;
        String effectiveHost = f.hostName == null ? name
                : new Tokens(name, name, effectivePort, effectiveUser).expand(f.hostName.value(), f.hostName, "h");
        Tokens tokens = new Tokens(name, effectiveHost, effectivePort, effectiveUser);

        List<Path> ids = new ArrayList<>();
        if (f.identities.isEmpty()) {
            for (String d : DEFAULT_IDENTITIES) {
                ids.add(home.resolve(".ssh").resolve(d));
            }
        } else {
            for (Directive d : f.identities) {
                Path p = path(tokens.expand(d.value(), d, "dhilLnpru"));
                if (!ids.contains(p)) {
                    ids.add(p);
                }
            }
        }
        List<Path> userKnown = f.userKnownHosts == null
                ? List.of(home.resolve(".ssh/known_hosts"), home.resolve(".ssh/known_hosts2"))
                : files(f.userKnownHosts, tokens);
        List<Path> globalKnown = f.globalKnownHosts == null ? DEFAULT_GLOBAL_KNOWN_HOSTS : files(f.globalKnownHosts, tokens);

        String proxyJump = null;
        Hop.ProxyCommand proxyCommand = null;
        if (f.proxy != null && f.proxy.keyword().equals("proxyjump") && !f.proxy.value().equalsIgnoreCase("none")) {
            proxyJump = f.proxy.value();
            for (String spec : splitJumps(proxyJump)) {
                jump(spec, f.proxy.where() + ": ProxyJump"); // a bad one is an error now, not when dialled
            }
        } else if (f.proxy != null && f.proxy.keyword().equals("proxycommand") && !f.proxy.rest().equals("none")) {
            proxyCommand = new Hop.ProxyCommand(tokens.expand(f.proxy.rest(), f.proxy, "hnpr"), f.proxy.where());
        }
        return new Hop(name, effectiveHost, effectivePort, effectiveUser, ids, userKnown, globalKnown,
                f.hostKeyAlias, proxyJump, proxyCommand, f.connectTimeout, Boolean.TRUE.equals(f.identitiesOnly),
                Boolean.TRUE.equals(f.hashKnownHosts));
    }

    /** Resolves a jump host written {@code [user@]host[:port]}, IPv6 literals in brackets. */
    Hop resolveJump(String spec) throws SshFailure {
        JumpSpec j = jump(spec, null);
        return resolve(j.host(), j.user(), j.port());
    }

    /** @param where names the place in the message ("FILE:LINE: ProxyJump"), or null */
    private static JumpSpec jump(String spec, String where) throws SshFailure {
        JumpSpec j = JumpSpec.parseOrNull(spec);
        if (j == null) {
            throw new SshFailure(SshFailure.Kind.CONFIG, (where == null ? "" : where + ": ") + "bad jump host '" + spec
                    + "': expected " + JumpSpec.FORM_TEXT);
        }
        return j;
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

    /**
     * Walks the directives in order, as readconf.c does: Host and Match set whether what follows
     * applies; an Include applies where it stands and the state after it is the one before it.
     *
     * @param never an Include inside a block that does not apply: nothing in it applies (SSHCONF_NEVERMATCH)
     * @return whether the block open at the end applies
     */
    private boolean walk(List<Node> list, String name, String explicitUser, Found f, boolean active, boolean never)
            throws SshFailure {
        for (Node n : list) {
            if (n instanceof Included inc) {
                walk(inc.nodes(), name, explicitUser, f, active, never || !active);
                continue;
            }
            Directive d = (Directive) n;
            switch (d.keyword()) {
                case "host" -> active = !never && HostPatterns.matchList(name, d.args()) == HostPatterns.Verdict.MATCH;
                case "match" -> active = !never && match(d, name, explicitUser, f);
                default -> {
                    if (active) {
                        apply(d, f);
                    }
                }
            }
        }
        return active;
    }

    private void apply(Directive d, Found f) throws SshFailure {
        switch (d.keyword()) {
            case "hostname" -> f.hostName = f.hostName == null ? d : f.hostName;
            case "user" -> f.user = f.user == null ? d.value() : f.user;
            case "port" -> f.port = f.port == null ? SshConfigFile.port(d) : f.port;
            case "identityfile" -> f.identities.add(d);
            case "userknownhostsfile" -> f.userKnownHosts = f.userKnownHosts == null ? d : f.userKnownHosts;
            case "globalknownhostsfile" -> f.globalKnownHosts = f.globalKnownHosts == null ? d : f.globalKnownHosts;
            case "hostkeyalias" -> f.hostKeyAlias = f.hostKeyAlias == null ? d.value() : f.hostKeyAlias;
            case "proxyjump", "proxycommand" -> f.proxy = f.proxy == null ? d : f.proxy;
            case "stricthostkeychecking" -> strictHostKeyChecking(d);
            case "hashknownhosts" -> {
                if (f.hashKnownHosts == null) f.hashKnownHosts = SshConfigFile.yesNo(d, "HashKnownHosts");
            }
            case "identitiesonly" -> {
                if (f.identitiesOnly == null) f.identitiesOnly = SshConfigFile.yesNo(d, "IdentitiesOnly");
            }
            case "connecttimeout" -> {
                if (!f.connectTimeoutSet) f.connectTimeout = SshConfigFile.connectTimeout(d);
                f.connectTimeoutSet = true;
            }
            case "revokedhostkeys" -> {
                // a line not honoured must never make ctys trust a key the user revoked
                if (!f.revokedHostKeys && !d.value().equalsIgnoreCase("none")) {
                    throw new SshFailure(SshFailure.Kind.CONFIG, d.where() + ": RevokedHostKeys " + d.rest() + " is not read by"
                            + " ctys, which would then accept the keys it revokes; mark them @revoked in known_hosts instead");
                }
                f.revokedHostKeys = true;
            }
            default -> notHonoured(d);
        }
    }

    private void strictHostKeyChecking(Directive d) {
        String v = d.value().toLowerCase(Locale.ROOT);
        String said = switch (v) {
            case "yes", "true" -> "yes";
            case "no", "false", "off" -> "no";
            default -> v;
        };
        String ours = acceptNew ? "accept-new" : "yes";
        if (!said.equals(ours)) {
            warnings.once("stricthostkeychecking", d.where() + ": StrictHostKeyChecking " + d.value()
                    + " is not honoured: ctys checks host keys as StrictHostKeyChecking=" + ours
                    + (acceptNew ? "" : " (accept-new with --accept-new-host-keys)"));
        }
    }

    private void notHonoured(Directive d) {
        Set<String> harmless = NOT_HONOURED.get(d.keyword());
        if (harmless != null && !harmless.contains(d.args().isEmpty() ? "" : d.value().toLowerCase(Locale.ROOT))) {
            warnings.once(d.keyword(), d.where() + ": " + d.keyword() + " " + d.rest()
                    + " is not honoured by ctys; it connects as if the line were not there");
        }
    }

    /**
     * A Match line's criteria, each possibly negated with {@code !}. Criteria ctys cannot evaluate
     * (exec, canonical, final, localnetwork, tagged, ...) make the block not apply, with a warning.
     */
    private boolean match(Directive d, String name, String explicitUser, Found f) {
        List<String> a = d.args();
        for (int i = 0; i < a.size(); i++) {
            String raw = a.get(i);
            boolean negate = raw.startsWith("!");
            String criterion = (negate ? raw.substring(1) : raw).toLowerCase(Locale.ROOT);
            boolean result;
            if (criterion.equals("all")) {
                result = true;
            } else if (Set.of("host", "originalhost", "user", "localuser").contains(criterion) && i + 1 < a.size()) {
                String subject = switch (criterion) {
                    case "host" -> f.hostName != null ? f.hostName.value().replace("%h", name) : name;
                    case "originalhost" -> name;
                    case "user" -> explicitUser != null ? explicitUser : f.user != null ? f.user : localUser;
                    default -> localUser;
                };
                result = HostPatterns.matchCommaList(subject, a.get(++i)) == HostPatterns.Verdict.MATCH;
            } else {
                warnings.once("match " + criterion, d.where() + ": Match " + d.rest() + " is not evaluated by ctys ("
                        + criterion + " is not supported); the settings under it are not applied");
                return false;
            }
            if (result == negate) {
                return false;
            }
        }
        return true;
    }

    private List<Path> files(Directive d, Tokens tokens) throws SshFailure {
        List<Path> out = new ArrayList<>();
        for (String v : d.args()) {
            if (!v.equalsIgnoreCase("none")) {
                Path p = path(tokens.expand(v, d, "dhilLnpru"));
                if (!out.contains(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private Path path(String value) {
        String v = value.startsWith("~/") || value.equals("~") ? home + value.substring(1) : value;
        Path p = Path.of(v);
        // ssh_config(5): relative paths are taken from the user's .ssh directory.
        return p.isAbsolute() ? p : home.resolve(".ssh").resolve(p);
    }

    /** The {@code %} tokens of ssh_config(5) ctys knows; any other is an error, as in OpenSSH. */
    private final class Tokens {
        private final String original;
        private final String host;
        private final int port;
        private final String user;

        Tokens(String original, String host, int port, String user) {
            this.original = original;
            this.host = host;
            this.port = port;
            this.user = user;
        }

        String expand(String value, Directive d, String allowed) throws SshFailure {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c != '%') {
                    out.append(c);
                    continue;
                }
                char t = i + 1 < value.length() ? value.charAt(++i) : ' ';
                if (t != '%' && allowed.indexOf(t) < 0) {
                    throw new SshFailure(SshFailure.Kind.CONFIG, d.where() + ": " + d.keyword() + ": unknown token %" + t
                            + " (ctys knows %%" + allowed.chars().mapToObj(x -> ", %" + (char) x).reduce("", String::concat) + ")");
                }
                out.append(switch (t) {
                    case '%' -> "%";
                    case 'd' -> home.toString();
                    case 'h' -> host;
                    case 'i' -> uid();
                    case 'l', 'L' -> localHostName(t == 'L');
                    case 'n' -> original;
                    case 'p' -> Integer.toString(port);
                    case 'r' -> user;
                    default -> localUser; // 'u'
                });
            }
            return out.toString();
        }
    }

    private static String uid() {
        return Integer.toString(UnixFiles.currentUid());
    }

    private static String localHostName(boolean shortName) {
        String n = LocalHost.NAME;
        return shortName && n.indexOf('.') > 0 ? n.substring(0, n.indexOf('.')) : n;
    }

    /** This host's name, looked up once, when %l or %L is first expanded (the lookup may ask DNS). */
    private static final class LocalHost {
        static final String NAME = lookup();

        private static String lookup() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                return "localhost";
            }
        }
    }
}
