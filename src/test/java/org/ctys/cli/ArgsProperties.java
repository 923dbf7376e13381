package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ctys.exit.CtysException;

/**
 * picocli, configured from the Opt table, reads every command line as the getopt-style parser before it
 * did ({@link GetoptReference}): the same values in the same order, the same targets, or the same
 * usage error. The words are biased to the corners: clusters, '=', "--" as a value and as the end of
 * the options, words that read as numbers, @words.
 */
class ArgsProperties {

    @Property(tries = 1000)
    void picocliReadsEveryCommandLineAsGetoptDid(@ForAll("argv") List<String> argv) {
        String[] words = argv.toArray(new String[0]);
        assertThat(ours(words)).as(String.join(" ", argv)).isEqualTo(reference(words));
    }

    @Example
    void corners() {
        for (String line : List.of("-t=pm", "-nt=pm", "-nt= x", "-nt=", "-t= x", "-n=x", "-qn=", "--dry-run=x",
                "--dry-run=", "-l -q x", "-l -- x", "-a -- -- -5", "-5", "x -5", "-- -5", "-1e3", "-NaN", "-n5",
                "-n-x", "--foo=bar", "---", "-", "--output=", "--output= x", "-b par -b 4", "-t pm -t cli", "-d",
                "-n -d", "-qX", "@rack2", "-- @rack2 -n", "-nq -- --version", "-x", "-=", "--=x", "-J a -- -1")) {
            String[] words = line.split(" ", -1);
            assertThat(ours(words)).as(line).isEqualTo(reference(words));
        }
    }

    private static String ours(String[] argv) {
        try {
            Args a = Args.parse(argv);
            Map<Opt, List<String>> values = new EnumMap<>(Opt.class);
            for (Opt o : Opt.values()) if (a.has(o)) values.put(o, a.all(o));
            return values + " targets " + a.targets();
        } catch (CtysException e) {
            return "usage error: " + e.getMessage();
        }
    }

    private static String reference(String[] argv) {
        try {
            GetoptReference r = GetoptReference.parse(argv);
            return r.values + " targets " + r.targets;
        } catch (CtysException e) {
            return "usage error: " + e.getMessage();
        }
    }

    @Provide
    Arbitrary<List<String>> argv() {
        Arbitrary<String> names = Arbitraries.of(Opt.values()).flatMap(o -> Arbitraries.of(o.names()));
        Arbitrary<String> corners = Arbitraries.of("--", "-", "", "=", "-=", "--=", "-5", "-1e3", "-NaN", "-0x1F", "-.5",
                "@rack2", "@@lab01", "lab01", "pm", "cli", "json", "=pm", "-nq", "-nt", "-tpm", "-t=pm", "-nt=", "-nt=pm",
                "--output=json", "--output=", "--dry-run=x", "-n=x", "--dryrun", "--foo=bar", "-x", "-n5", "-n-x", "---",
                "lab01(-l root)", "(-l admin)");
        Arbitrary<String> noise = Arbitraries.strings().withChars("-=nqtlvXTYhd5.@ab").ofMinLength(0).ofMaxLength(6);
        return Arbitraries.oneOf(names, names, corners, corners, noise).list().ofMaxSize(7);
    }
}
