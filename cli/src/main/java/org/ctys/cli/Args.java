package org.ctys.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Suggest;

/**
 * Splits argv into generic options and target words, as getopt does: {@code -t pm},
 * {@code -tpm}, {@code --output json}, {@code --output=json}, clustered flags {@code -nq},
 * and {@code --} ending the options. Words that do not start with '-' are targets wherever they stand.
 */
final class Args {
    private final Map<Opt, List<String>> values = new EnumMap<>(Opt.class);
    private final List<String> targets = new ArrayList<>();

    static Args parse(String... argv) {
        Args a = new Args();
        boolean optionsEnded = false;
        for (int i = 0; i < argv.length; i++) {
            String w = argv[i];
            if (optionsEnded || w.equals("-") || !w.startsWith("-")) {
                a.targets.add(w);
            } else if (w.equals("--")) {
                optionsEnded = true;
            } else if (w.startsWith("--")) {
                int eq = w.indexOf('=');
                String name = eq < 0 ? w : w.substring(0, eq);
                Opt o = known(name);
                if (!o.takesValue()) {
                    if (eq >= 0) throw CtysException.usage("option '" + name + "' takes no value, got '" + w + "'");
                    a.add(o, "");
                } else if (eq >= 0) {
                    a.add(o, w.substring(eq + 1));
                } else {
                    if (i + 1 >= argv.length) throw missing(o, name);
                    a.add(o, argv[++i]);
                }
            } else {
                // one or more short options: flags cluster, the first one taking a value ends the word
                for (int j = 1; j < w.length(); j++) {
                    String name = "-" + w.charAt(j);
                    Opt o = known(name);
                    if (!o.takesValue()) {
                        a.add(o, "");
                        continue;
                    }
                    if (j + 1 < w.length()) a.add(o, w.substring(j + 1));
                    else if (i + 1 < argv.length) a.add(o, argv[++i]);
                    else throw missing(o, name);
                    break;
                }
            }
        }
        return a;
    }

    private static Opt known(String name) {
        Opt o = Opt.byName(name);
        if (o != null) return o;
        List<String> all = new ArrayList<>();
        for (Opt x : Opt.values()) all.addAll(x.names());
        throw CtysException.usage("unknown option '" + name + "'" + Suggest.didYouMean(name, all));
    }

    private static CtysException missing(Opt o, String name) {
        return CtysException.usage("option '" + name + "' needs a value: " + o.label());
    }

    private void add(Opt o, String value) {
        List<String> list = values.computeIfAbsent(o, k -> new ArrayList<>());
        // Options that name one thing must not be given twice with different meanings.
        if (!list.isEmpty() && o.takesValue() && o != Opt.BATCH && !list.get(0).equals(value)) {
            throw CtysException.usage("option '" + o.names().get(0) + "' given twice: '" + list.get(0) + "' and '" + value + "'");
        }
        list.add(value);
    }

    boolean has(Opt o) { return values.containsKey(o); }

    /** The value of an option, or null when it was not given. */
    String value(Opt o) {
        List<String> v = values.get(o);
        return v == null ? null : v.get(0);
    }

    List<String> all(Opt o) { return values.getOrDefault(o, List.of()); }

    int count(Opt o) { return all(o).size(); }

    List<String> targets() { return targets; }
}
