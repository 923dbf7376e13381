package org.ctys.transport.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ctys.os.UnixFiles;

/**
 * An ssh_config(5) file read as OpenSSH's readconf.c reads it: one directive a line, keyword and
 * arguments split by whitespace or one {@code =}, quotes and backslashes as in its argv_split,
 * {@code #} comments, and {@code Include} files read in place. Every directive keeps its file and
 * line, so that an error or a warning can say where it comes from. Which directives apply to a
 * host is decided by {@link SshConfig}.
 */
final class SshConfigFile {

    /** OpenSSH's READCONF_MAX_DEPTH. */
    static final int MAX_INCLUDE_DEPTH = 16;

    /**
     * One line of a config.
     *
     * @param keyword lower case
     * @param args    the arguments, unquoted
     * @param rest    everything after the keyword and its separator, as written (ProxyCommand takes it whole)
     */
    record Directive(String keyword, List<String> args, String rest, Path file, int line) implements Node {
        String where() {
            return file + ":" + line;
        }

        /** The first argument; {@link #load} made sure there is one. */
        String value() {
            return args.get(0);
        }
    }

    /** Either a directive or the content of an Include, which applies where the Include stands. */
    sealed interface Node permits Directive, Included {
    }

    /** The files an Include line names, in the order OpenSSH reads them. */
    record Included(Directive include, List<Node> nodes) implements Node {
    }

    private SshConfigFile() {
    }

    /**
     * Reads a config and everything it includes.
     *
     * @param sshDir where relative Include paths start, as for a user's config: ~/.ssh
     */
    static List<Node> load(Path file, Path home, Path sshDir) throws SshFailure {
        return load(file, home, sshDir, false, 0);
    }

    /**
     * As {@link #load(Path, Path, Path)}, refusing as OpenSSH does for the user's ~/.ssh/config
     * (and what it includes) a file that belongs to someone other than this user or root, or that
     * its group or others can write: such a file chooses ProxyCommands ctys runs and the known_hosts
     * it checks keys against. Run as root with a user's $HOME (sudo -E), the user's file is refused.
     */
    static List<Node> loadChecked(Path file, Path home, Path sshDir) throws SshFailure {
        return load(file, home, sshDir, true, 0);
    }

    private static void checkOwner(Path file) throws SshFailure {
        UnixFiles.Stat st;
        try {
            st = UnixFiles.stat(file);
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.CONFIG, "cannot read SSH config " + file + ": " + Durations.reason(e), e);
        }
        if (!st.ownedByUserOrRoot() || st.writableByOthers()) {
            throw new SshFailure(SshFailure.Kind.CONFIG, "Bad owner or permissions on " + file + " (as ssh says: it must"
                    + " belong to you or root, and only its owner may write it; chmod go-w)");
        }
    }

    private static List<Node> load(Path file, Path home, Path sshDir, boolean checked, int depth) throws SshFailure {
        if (checked) checkOwner(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.CONFIG, "cannot read SSH config " + file + ": " + Durations.reason(e), e);
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Directive d = parse(lines.get(i), file, i + 1);
            if (d == null) {
                continue;
            }
            check(d);
            if (d.keyword().equals("include")) {
                if (depth + 1 > MAX_INCLUDE_DEPTH) {
                    throw new SshFailure(SshFailure.Kind.CONFIG, d.where() + ": Include nested more than "
                            + MAX_INCLUDE_DEPTH + " levels deep (an Include that includes itself?)");
                }
                List<Node> included = new ArrayList<>();
                for (String pattern : d.args()) {
                    for (Path p : glob(pattern, home, sshDir, d)) {
                        included.addAll(load(p, home, sshDir, checked, depth + 1));
                    }
                }
                nodes.add(new Included(d, List.copyOf(included)));
            } else {
                nodes.add(d);
            }
        }
        return List.copyOf(nodes);
    }

    /** Splits one line; null for a blank or comment line. */
    static Directive parse(String text, Path file, int line) throws SshFailure {
        String s = text.strip();
        if (s.isEmpty() || s.startsWith("#")) {
            return null;
        }
        int end = 0;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && s.charAt(end) != '=') {
            end++;
        }
        String keyword = s.substring(0, end).toLowerCase(Locale.ROOT);
        int at = end;
        while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
            at++;
        }
        if (at < s.length() && s.charAt(at) == '=') {
            at++;
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }
        String rest = s.substring(at);
        if (keyword.isEmpty()) {
            throw new SshFailure(SshFailure.Kind.CONFIG, file + ":" + line + ": no keyword before '='");
        }
        return new Directive(keyword, split(rest, file, line), rest, file, line);
    }

    /** OpenSSH's argv_split: whitespace separates, quotes group, a backslash escapes a quote, itself or a space. */
    static List<String> split(String s, Path file, int line) throws SshFailure {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= s.length() || s.charAt(i) == '#') {
                break; // a comment starts where a word would
            }
            StringBuilder arg = new StringBuilder();
            char quote = 0;
            for (; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote == 0 && Character.isWhitespace(c)) {
                    break;
                }
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(i + 1);
                    if (n == '\'' || n == '"' || n == '\\' || (quote == 0 && n == ' ')) {
                        arg.append(n);
                        i++;
                        continue;
                    }
                    arg.append(c);
                } else if ((c == '"' || c == '\'') && (quote == 0 || quote == c)) {
                    quote = quote == 0 ? c : 0;
                } else {
                    arg.append(c);
                }
            }
            if (quote != 0) {
                throw new SshFailure(SshFailure.Kind.CONFIG, file + ":" + line + ": unterminated quote in '" + s + "'");
            }
            out.add(arg.toString());
        }
        return List.copyOf(out);
    }

    /** Keywords that take a value, checked on every line whether or not it applies, as OpenSSH does. */
    private static void check(Directive d) throws SshFailure {
        boolean needsValue = switch (d.keyword()) {
            case "host", "match", "include", "hostname", "user", "port", "identityfile", "proxyjump", "proxycommand",
                 "userknownhostsfile", "globalknownhostsfile", "hostkeyalias", "stricthostkeychecking", "connecttimeout",
                 "identitiesonly", "hashknownhosts", "revokedhostkeys" -> true;
            default -> false;
        };
        if (needsValue && d.args().isEmpty()) {
            throw new SshFailure(SshFailure.Kind.CONFIG, d.where() + ": " + d.keyword() + " needs a value");
        }
        if (d.keyword().equals("port")) {
            port(d);
        }
    }

    /**
     * ConnectTimeout as OpenSSH reads it (misc.c convtime): seconds, or a time with units
     * ({@code 30}, {@code 30s}, {@code 1m30s}, {@code 2h}); {@code none} or 0 set no bound of its own (null).
     */
    static java.time.Duration connectTimeout(Directive d) throws SshFailure {
        String v = d.value().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("none")) return null;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smhdw]?)").matcher(v);
        long seconds = 0;
        int at = 0;
        while (at < v.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            seconds += n * switch (m.group(2)) {
                case "m" -> 60L;
                case "h" -> 3_600L;
                case "d" -> 86_400L;
                case "w" -> 604_800L;
                default -> 1L;
            };
            at = m.end();
        }
        if (at == 0 || at != v.length() || seconds > Integer.MAX_VALUE) {
            throw new SshFailure(SshFailure.Kind.CONFIG, d.where() + ": bad ConnectTimeout '" + d.value()
                    + "': expected seconds or a time such as 30s, 1m30s");
        }
        return seconds == 0 ? null : java.time.Duration.ofSeconds(seconds);
    }

    /** A yes/no keyword as OpenSSH reads it (yes, true; no, false). */
    static boolean yesNo(Directive d, String keyword) throws SshFailure {
        return switch (d.value().toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new SshFailure(SshFailure.Kind.CONFIG, d.where() + ": bad " + keyword + " '" + d.value()
                    + "': expected yes or no");
        };
    }

    /** A Port value: a number 1-65535, else a config error naming the line. */
    static int port(Directive d) throws SshFailure {
        String v = d.value();
        if (v.matches("\\d{1,5}")) {
            int p = Integer.parseInt(v);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        }
        throw new SshFailure(SshFailure.Kind.CONFIG, d.where() + ": bad Port '" + v + "': expected a number 1-65535");
    }

    /**
     * The files an Include pattern names, sorted as glob(3) returns them; none when nothing matches,
     * as with OpenSSH. Wildcards are honoured in the file name, not in directories.
     */
    private static List<Path> glob(String pattern, Path home, Path sshDir, Directive d) throws SshFailure {
        String p = pattern.startsWith("~/") ? home + pattern.substring(1) : pattern;
        Path path = Path.of(p);
        if (!path.isAbsolute()) {
            path = sshDir.resolve(path);
        }
        Path dir = path.getParent();
        String name = path.getFileName().toString();
        if (dir.toString().matches(".*[*?\\[].*")) {
            throw new SshFailure(SshFailure.Kind.CONFIG, d.where() + ": Include " + pattern
                    + ": wildcards are supported in the file name only");
        }
        if (!name.matches(".*[*?\\[].*")) {
            return Files.isRegularFile(path) ? List.of(path) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (matcher.matches(f.getFileName()) && Files.isRegularFile(f)) {
                    out.add(f);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.CONFIG, d.where() + ": cannot read Include " + pattern + ": "
                    + Durations.reason(e), e);
        }
        out.sort(null);
        return out;
    }
}
