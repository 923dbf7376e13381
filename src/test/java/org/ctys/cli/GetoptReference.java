package org.ctys.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Suggest;

/**
 * The grammar of ctys's generic options as it was before picocli parsed them: a getopt-style loop, kept
 * here only as the reference that {@link Args} must agree with word for word (ArgsProperties).
 */
final class GetoptReference {
    final Map<Opt, List<String>> values = new EnumMap<>(Opt.class);
    final List<String> targets = new ArrayList<>();

    static GetoptReference parse(String... argv) {
        GetoptReference a = new GetoptReference();
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
        if (!list.isEmpty() && o.takesValue() && o != Opt.BATCH && !list.get(0).equals(value)) {
            throw CtysException.usage("option '" + o.names().get(0) + "' given twice: '" + list.get(0) + "' and '" + value + "'");
        }
        list.add(value);
    }
}
