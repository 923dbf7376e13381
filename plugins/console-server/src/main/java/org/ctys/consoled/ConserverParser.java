package org.ctys.consoled;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.ctys.consoled.ConserverLexer.Kind;
import org.ctys.consoled.ConserverLexer.Token;

/**
 * Reads conserver.cf's blocks ({@code type name { key value; ... }}) with conserver's state machine
 * (ParseFile in cutil.c) and hands each complete block on in file order. A malformed block is
 * reported and dropped, as conserver does; {@code #include} files are read in place (up to 10 deep),
 * a relative name taken from the including file's directory. A file that includes itself (directly
 * or not) is refused, and one import reads at most {@value #MAX_FILES} files and
 * {@link ImportFiles#MAX_BYTES} of text in all: a file included many times over could otherwise be
 * read a number of times that grows with the power of the depth.
 */
final class ConserverParser {

    /** One {@code key value;} of a block, and where it is written. */
    record Item(String key, String value, String at) {}

    record Block(String type, String name, String at, List<Item> items) {}

    private static final int MAX_DEPTH = 10;
    static final int MAX_FILES = 1000;
    /** Values that are secrets: never quoted, nor a word right after them. */
    private static final Set<String> SECRET_KEYS = Set.of("password", "ipmikg");

    static final Map<String, Set<String>> KEYS = Map.of(
            "task", Set.of("cmd", "confirm", "description", "runas", "subst"),
            "break", Set.of("confirm", "delay", "string"),
            "group", Set.of("users"),
            "default", ConserverSettings.KEYS,
            "console", ConserverSettings.CONSOLE_KEYS,
            "access", Set.of("admin", "allowed", "include", "limited", "rejected", "trusted"),
            "config", Set.of("autocomplete", "defaultaccess", "daemonmode", "initdelay", "logfile", "loghostnames",
                    "passwdfile", "primaryport", "redirect", "reinitcheck", "secondaryport", "setproctitle",
                    "sslcredentials", "sslcacertificatefile", "sslrequired", "sslreqclientcert", "unifiedlog"));

    private enum State { START, NAME, LEFT, KEY, VALUE, SEMI, SKIP, SKIP_BLOCK }

    private final ImportReport report;
    private final Consumer<Block> sink;
    /** The files being read, the outermost first: each file's identity and its name for messages. */
    private final Map<Path, String> including = new LinkedHashMap<>();
    private int filesRead;
    private long charsRead;
    /** MAX_FILES or MAX_BYTES is reached and reported: further includes are left out without a word. */
    private boolean overReported;
    private State state = State.START;
    private String type;
    private String name;
    private String blockAt;
    private String key;
    private String keyAt;
    private List<Item> items;
    /** The block's missing '{' is reported: the words up to its '{' or '}' are passed over without a word. */
    private boolean leftReported;
    /**
     * The last value read may hold a secret (a password, an ipmikg, a command line with a password
     * option or a program that takes one) and no keyword or block has been read since: a word there may be the rest of the
     * secret cut at a ';' or '}', and is never quoted.
     */
    private boolean afterSecret;

    ConserverParser(ImportReport report, Consumer<Block> sink) {
        this.report = report;
        this.sink = sink;
    }

    /** Reads the top file, whose text the caller has read, and the files it includes. */
    void parse(Path file, String text) {
        filesRead = 1;
        charsRead = text.length();
        including.put(identity(file), file.toString());
        read(file.toString(), text, 0);
    }

    /** A file as the system finds it (through links, without . and ..), to know it again under another name. */
    private static Path identity(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException | SecurityException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private void read(String file, String text, int depth) {
        ConserverLexer lex = new ConserverLexer(text);
        while (true) {
            Token t = lex.next(state == State.NAME || state == State.VALUE || state == State.SKIP || state == State.SKIP_BLOCK);
            if (t.kind() == Kind.END) break;
            String at = ImportReport.at(file, t.line());
            if (t.kind() == Kind.INCLUDE) {
                include(file, t.text(), at, depth);
                continue;
            }
            step(t, at);
        }
        if (lex.unterminatedQuote() > 0) {
            report.error(ImportReport.at(file, lex.unterminatedQuote()), "unterminated quote (\" without its closing \")");
        }
        if (depth == 0 && state != State.START && state != State.SKIP_BLOCK) {
            String block = state == State.NAME ? "the " + type + " block" : state == State.LEFT ? unopened() : type + " " + name;
            report.error(blockAt, block + ": the file ends inside the block (no '}'); left out");
        }
    }

    private void include(String file, String name, String at, int depth) {
        if (depth + 1 >= MAX_DEPTH) {
            report.error(at, "#include " + name + ": includes nest deeper than " + MAX_DEPTH);
            return;
        }
        Path p;
        try {
            p = Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            report.error(at, "#include " + name + ": not a valid file name");
            return;
        }
        if (!p.isAbsolute() && Path.of(file).getParent() != null) p = Path.of(file).getParent().resolve(p);
        Path id = identity(p);
        if (including.containsKey(id)) {
            List<String> chain = new ArrayList<>(including.values());
            chain.add(p.toString());
            report.error(at, "#include " + name + ": an include cycle (" + String.join(" -> ", chain) + "); not read again");
            return;
        }
        if (overReported) return;
        if (filesRead >= MAX_FILES) {
            over(at, name);
            return;
        }
        java.io.ByteArrayOutputStream why = new java.io.ByteArrayOutputStream();
        String text = ImportFiles.read(p, new java.io.PrintStream(why, true, java.nio.charset.StandardCharsets.UTF_8));
        if (text == null) {
            report.error(at, "#include: " + why.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
            return;
        }
        filesRead++;
        charsRead += text.length();
        if (charsRead > ImportFiles.MAX_BYTES) {
            over(at, name);
            return;
        }
        including.put(id, p.toString());
        read(p.toString(), text, depth + 1);
        including.remove(id);
    }

    private void over(String at, String name) {
        overReported = true;
        report.error(at, "#include " + name + ": one import reads at most " + MAX_FILES + " files and "
                + org.ctys.grammar.Sizes.format(ImportFiles.MAX_BYTES) + " in all; this include and those after it are left out");
    }

    private void step(Token t, String at) {
        switch (state) {
            case START -> {
                String w = t.kind() == Kind.WORD ? t.text().toLowerCase(Locale.ROOT) : null;
                if (w != null && KEYS.containsKey(w)) {
                    type = w;
                    blockAt = at;
                    state = State.NAME;
                    afterSecret = false;
                } else {
                    report.error(at, "unknown block type " + shown(t) + "; conserver.cf has access, break, config,"
                            + " console, default, group and task blocks");
                    if (t.kind() != Kind.CLOSE) state = State.SKIP_BLOCK;
                }
            }
            case SKIP_BLOCK -> {
                if (t.kind() == Kind.CLOSE) state = State.START;
            }
            case NAME -> {
                if (t.kind() == Kind.WORD) {
                    name = t.text();
                    items = new ArrayList<>();
                    state = State.LEFT;
                    leftReported = false;
                } else {
                    report.error(at, type + " block without a name before '" + t.text() + "'");
                    if (t.kind() == Kind.CLOSE) state = State.START;
                }
            }
            case LEFT -> {
                if (t.kind() == Kind.OPEN) {
                    state = State.KEY;
                } else {
                    // the name runs to the first '{', ';' or '}': without its '{' it may have taken the block's values
                    if (!leftReported) {
                        report.error(at, "expected '{' after " + unopened() + ", not "
                                + (t.kind() == Kind.WORD ? "a word" : "'" + t.text() + "'"));
                    }
                    leftReported = true;
                    if (t.kind() == Kind.CLOSE) state = State.START;
                }
            }
            case KEY -> key(t, at);
            case SKIP -> {
                if (t.kind() == Kind.SEMI) state = State.KEY;
                if (t.kind() == Kind.CLOSE) key(t, at);
            }
            case VALUE -> {
                if (t.kind() == Kind.WORD) {
                    items.add(new Item(key, t.text(), keyAt));
                    afterSecret = SECRET_KEYS.contains(key) || CommandSecrets.mayHoldSecret(t.text());
                    state = State.SEMI;
                } else {
                    report.error(at, key + " in " + type + " " + name + " has no value");
                    // a ';' or '}' at the start of a password: all of it may come next
                    afterSecret = SECRET_KEYS.contains(key);
                    abortOrKey(t);
                }
            }
            case SEMI -> {
                if (t.kind() == Kind.SEMI) {
                    state = State.KEY;
                } else {
                    report.error(at, "expected ';' after the value of " + key + " in " + type + " " + name
                            + (t.kind() == Kind.CLOSE ? "; the block is left out, as conserver does" : ""));
                    abortOrKey(t);
                }
            }
        }
    }

    private void key(Token t, String at) {
        switch (t.kind()) {
            case CLOSE -> {
                sink.accept(new Block(type, name, blockAt, List.copyOf(items)));
                state = State.START;
            }
            case WORD -> {
                String k = t.text().toLowerCase(Locale.ROOT);
                if (KEYS.get(type).contains(k)) {
                    key = k;
                    keyAt = at;
                    state = State.VALUE;
                    afterSecret = false;
                } else {
                    report.error(at, "unknown keyword " + shown(t) + " in " + type + " " + name);
                    state = State.SKIP;
                }
            }
            default -> {
                if (t.kind() == Kind.OPEN) report.error(at, "unexpected '{' in " + type + " " + name);
            }
        }
    }

    /** The block for a message before its '{': a name of several words may have taken the block's values, and is not shown. */
    private String unopened() {
        return name.matches("\\S+") ? type + " " + name
                : "the " + type + " block (its name of several words not shown: without a '{' it may hold the block's values)";
    }

    /** A word for a message: quoted, unless it follows a value that may hold a secret. */
    private String shown(Token t) {
        return afterSecret ? "(not shown: it follows the value of " + key + ", and may be part of it)" : "'" + t.text() + "'";
    }

    /** After an error in a value: a '}' drops the block (conserver aborts it), a ';' goes on with the next key. */
    private void abortOrKey(Token t) {
        if (t.kind() == Kind.CLOSE) state = State.START;
        else if (t.kind() == Kind.SEMI) state = State.KEY;
    }
}
