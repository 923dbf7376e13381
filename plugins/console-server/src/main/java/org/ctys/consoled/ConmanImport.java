package org.ctys.consoled;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.ctys.consoled.ConmanLexer.Kind;
import org.ctys.consoled.ConmanLexer.Token;

/**
 * {@code ctys-consoled --import-conman FILE}: prints the consoled.yaml equivalent of a conman.conf.
 * Directives take effect in file order, as in conmand: a GLOBAL setting applies to the consoles
 * after it, SERVER logdir to the log names after it.
 */
public final class ConmanImport {

    private final String file;
    private final ImportReport report = new ImportReport();
    private final ImportedConfig config;
    private final ConmanServer server;
    private final ConmanConsoles consoles;

    private ConmanImport(String file) {
        this.file = file;
        this.config = new ImportedConfig(file, "conman");
        this.server = new ConmanServer(file, config, report);
        this.consoles = new ConmanConsoles(file, config, report, server);
    }

    /**
     * @return 0 when everything converted; 3 when anything was refused, malformed, or the file cannot be read
     */
    public static int run(Path in, PrintStream out, PrintStream err) {
        String text = ImportFiles.read(in, err);
        if (text == null) return ImportReport.REFUSED;
        ConmanImport imp = new ConmanImport(in.toString());
        imp.parse(text);
        imp.consoles.finish();
        imp.config.write(out);
        imp.report.print(err);
        return imp.report.exitStatus();
    }

    private void parse(String text) {
        ConmanLexer lex = new ConmanLexer(text);
        while (true) {
            Token t = lex.next();
            if (t.is(Kind.EOF)) return;
            if (t.is(Kind.EOL)) continue;
            String kind = t.kind() == Kind.WORD ? t.text().toLowerCase(Locale.ROOT) : null;
            boolean openQuote = lex.followsOpenQuote(t.line());
            if (kind == null || !ConmanDirective.KINDS.contains(kind)) {
                report.error(ImportReport.at(file, t.line()), t.is(Kind.UNTERMINATED) ? "unterminated quote"
                        : "unknown directive " + (openQuote ? ConmanDirective.AFTER_OPEN_QUOTE : "'" + t.text() + "'")
                        + "; conman.conf has SERVER, GLOBAL and CONSOLE directives");
                skipLine(lex, t);
                continue;
            }
            try {
                apply(ConmanDirective.read(kind, t.line(), lex, openQuote));
            } catch (ConmanDirective.Malformed e) {
                report.error(ImportReport.at(file, e.line), e.getMessage() + "; the " + kind.toUpperCase(Locale.ROOT)
                        + " directive is left out");
                skipLine(lex, null);
            }
        }
    }

    private static void skipLine(ConmanLexer lex, Token current) {
        if (current != null && (current.is(Kind.EOL) || current.is(Kind.EOF))) return;
        Token t;
        do {
            t = lex.next();
        } while (!t.is(Kind.EOL) && !t.is(Kind.EOF));
    }

    private void apply(ConmanDirective d) {
        switch (d.kind()) {
            case "server" -> d.values().forEach((k, v) -> server.server(k, v));
            case "global" -> d.values().forEach((k, v) -> server.global(k, v));
            default -> consoles.console(d);
        }
    }
}
