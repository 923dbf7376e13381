package org.ctys.cli;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Suggest;
import picocli.CommandLine;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Splits argv into generic options and target words, as getopt does: {@code -t pm}, {@code -tpm},
 * {@code --output json}, {@code --output=json}, clustered flags {@code -nq}, and {@code --} ending the
 * options. Words that do not start with '-' are targets wherever they stand.
 *
 * <p>picocli parses, through its programmatic API: the {@link CommandSpec} is built here from the
 * {@link Opt} table (annotations would cost tens of milliseconds of reflection at every start). It has
 * no subcommands (a target may be named like a type) and no @-files ({@code @rack2} is a group, not a
 * file to read). Each option's preprocessor takes its value itself, so that values are taken as getopt
 * takes them ({@code -l -q} gives the user "-q", {@code -t=pm} gives "=pm") and every error is ctys's
 * own line; picocli finds the options, splits clusters and {@code --output=json}, ends the options at
 * {@code --} and collects the targets.
 */
final class Args {
    /**
     * picocli's regular expressions naming the built-in type converters it should not register. It
     * registers those of java.sql and java.time by reflection for every CommandLine made, which loads
     * and links a few hundred classes; ctys's options are strings, read by ctys.
     */
    private static final String CONVERTERS_EXCLUDED = "picocli.converters.excludes";
    /**
     * Whether picocli looks for Groovy's Closure class when it makes its factory: a class that is not
     * there, searched for on the class path, which opens ctys's jar for --version alone.
     */
    private static final String CLOSURES_DISABLED = "picocli.disable.closures";

    private final String[] argv;
    private final Map<Opt, List<String>> values = new EnumMap<>(Opt.class);
    /** Indexes in argv of the words taken as an option's value: a "--" there does not end the options. */
    private final BitSet valueWords = new BitSet();
    private final PositionalParamSpec targetSpec;
    private final CommandSpec spec;

    private Args(String[] argv) {
        this.argv = argv.clone();
        spec = CommandSpec.create().name("ctys").interpolateVariables(false);
        spec.parser().expandAtFiles(false).trimQuotes(false).splitQuotedStrings(false)
                .posixClusteredShortOptionsAllowed(true).abbreviatedOptionsAllowed(false)
                .separator("=").endOfOptionsDelimiter("--")
                // the first word that is no option ends the parse; it is reported as ctys reports it
                .unmatchedArgumentsAllowed(true).stopAtUnmatched(true).unmatchedOptionsArePositionalParams(false);
        for (Opt o : Opt.values()) {
            List<String> names = o.names();
            spec.addOption(OptionSpec.builder(names.toArray(new String[0]))
                    .arity(o.takesValue() ? "1" : "0")
                    .paramLabel(o.takesValue() ? o.label() : "")
                    .type(o.takesValue() ? String.class : boolean.class)
                    .description(o.description())
                    .preprocessor(new Reader(o))
                    .build());
        }
        targetSpec = PositionalParamSpec.builder().index("0..*").arity("1").paramLabel("TARGET").type(List.class)
                .auxiliaryTypes(String.class).initialValue(new ArrayList<String>())
                .preprocessor(new Reader(null)).build();
        spec.addPositional(targetSpec);
    }

    static Args parse(String... argv) {
        if (System.getProperty(CONVERTERS_EXCLUDED) == null) System.setProperty(CONVERTERS_EXCLUDED, ".*");
        if (System.getProperty(CLOSURES_DISABLED) == null) System.setProperty(CLOSURES_DISABLED, "true");
        Args a = new Args(argv);
        ParseResult result;
        try {
            result = new CommandLine(a.spec).parseArgs(a.argv);
        } catch (ParameterException e) {
            // the preprocessors' usage errors come back wrapped
            if (e.getCause() instanceof CtysException c) throw c;
            throw CtysException.usage(e.getMessage());
        }
        if (!result.unmatched().isEmpty()) throw a.unmatched(result.unmatched());
        return a;
    }

    /** The model picocli parsed with, built from {@link Opt}. */
    CommandSpec spec() { return spec; }

    /**
     * Reads the words of one option, or a target (opt null). A class rather than a lambda: the first
     * lambda of a run costs milliseconds of method-handle set-up, which --version would pay for these alone.
     */
    private final class Reader implements IParameterPreprocessor {
        private final Opt opt;

        Reader(Opt opt) { this.opt = opt; }

        @Override
        public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec arg, Map<String, Object> info) {
            if (opt == null) return target(args);
            String separator = (String) info.get("separator");
            return opt.takesValue() ? takeValue(opt, args, separator) : flag(opt, args, separator);
        }
    }

    private boolean takeValue(Opt o, Stack<String> args, String separator) {
        String name = o.names().get(0);
        if ("=".equals(separator) && !name.startsWith("--")) {
            // getopt keeps what follows a short option, '=' included; picocli would drop the '='
            add(o, "=" + (attachedValueFollows(args) ? args.pop() : ""));
        } else {
            if (args.isEmpty()) throw missing(o, name);
            if (" ".equals(separator)) valueWords.set(argv.length - args.size());
            add(o, args.pop());
        }
        return true;
    }

    private boolean flag(Opt o, Stack<String> args, String separator) {
        if ("=".equals(separator)) {
            String word = attachedValueFollows(args) ? argv[argv.length - args.size()] : "";
            if (word.startsWith("--")) {
                throw CtysException.usage("option '" + word.substring(0, word.indexOf('=')) + "' takes no value, got '" + word + "'");
            }
            // a short flag followed by '=': getopt reads '=' as the next option of the cluster
            throw unknownName("-=");
        }
        add(o, "");
        return true;
    }

    /**
     * Whether picocli pushed a value attached to the current word ({@code -t=pm}, {@code -nt=pm}). It
     * pushes none for a cluster that ends in '=' ({@code -nt=}); the top of the stack is then the next
     * word of argv, which a pushed value (a strict suffix of the current word) never equals.
     */
    private boolean attachedValueFollows(Stack<String> args) {
        return !args.isEmpty() && !args.peek().equals(argv[argv.length - args.size()]);
    }

    /**
     * picocli takes a word that starts with '-' for a target when it reads as a number ({@code -5},
     * {@code -1e3}, {@code -NaN}); before "--", ctys calls it an unknown option, as getopt does.
     */
    private boolean target(Stack<String> args) {
        String word = args.peek();
        if (word.length() > 1 && word.startsWith("-") && !optionsEnded(argv.length - args.size())) throw unknown(word);
        return false;
    }

    /** Whether a "--" that is no option's value stands before argv[index]. */
    private boolean optionsEnded(int index) {
        for (int i = 0; i < index; i++) if (argv[i].equals("--") && !valueWords.get(i)) return true;
        return false;
    }

    /**
     * The first word picocli could not match, and every word after it (it stops there). A word of a
     * cluster comes back rewritten ("-k (while processing option: '-nk')"): its first two characters
     * name the unknown option, as getopt names it.
     */
    private CtysException unmatched(List<String> words) {
        String word = words.get(0);
        String whole = argv[argv.length - words.size()];
        return word.equals(whole) ? unknown(word) : unknownName(word.substring(0, 2));
    }

    /** The option named in an unknown word: all of a long one up to '=', the first letter of a short one. */
    private static CtysException unknown(String word) {
        if (word.startsWith("--")) return unknownName(word.indexOf('=') < 0 ? word : word.substring(0, word.indexOf('=')));
        return unknownName(word.substring(0, 2));
    }

    private static CtysException unknownName(String name) {
        List<String> all = new ArrayList<>();
        for (Opt x : Opt.values()) all.addAll(x.names());
        return CtysException.usage("unknown option '" + name + "'" + Suggest.didYouMean(name, all));
    }

    private static CtysException missing(Opt o, String name) {
        return CtysException.usage("option '" + name + "' needs a value: " + o.label());
    }

    private void add(Opt o, String value) {
        List<String> list = values.get(o);
        if (list == null) values.put(o, list = new ArrayList<>());
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

    List<String> targets() {
        List<String> t = targetSpec.getValue();
        return t == null ? List.of() : t;
    }
}
