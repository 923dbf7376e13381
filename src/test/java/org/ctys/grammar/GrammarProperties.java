package org.ctys.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.ctys.spi.CtysException;
import org.ctys.spi.ExitStatus;

/** Whatever is typed, the grammar either parses it or says why as a usage error, and never crashes. */
class GrammarProperties {
    // The characters the grammar gives meaning to, plus a few plain ones, so random text hits the rules.
    private static final String SYNTAX = "aZ09.-_,:%\\[]()@'\" =\t";

    @Provide
    Arbitrary<String> commandLineText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars(SYNTAX).ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(20));
    }

    @Provide
    Arbitrary<List<String>> targetWords() {
        return commandLineText().list().ofMaxSize(3);
    }

    @Property
    void actionArgumentFailsOnlyAsUsage(@ForAll("commandLineText") String text) {
        onlyUsageErrors(() -> ActionArgument.parse(text));
    }

    @Property
    void nodeSetFailsOnlyAsUsage(@ForAll("commandLineText") String text) {
        onlyUsageErrors(() -> NodeSet.expand(text));
    }

    @Property
    void targetParserFailsOnlyAsUsage(@ForAll("targetWords") List<String> words) {
        onlyUsageErrors(() -> TargetParser.parse(words));
    }

    @Property
    void foldThenExpandGivesTheSameSet(@ForAll("nodeSets") String nodeSet) {
        List<String> names = NodeSet.expand(nodeSet);
        String folded = NodeSet.fold(names);
        assertThat(new HashSet<>(NodeSet.expand(folded))).as(folded).isEqualTo(new HashSet<>(names));
    }

    @Property
    void escapedValueParsesBackToItself(@ForAll @StringLength(min = 1, max = 20) String value) {
        List<RawSuboption> subs = ActionArgument.parse("create=K:" + ActionArgument.escape(value)).suboptions();
        assertThat(subs).hasSize(1);
        assertThat(subs.get(0).values()).containsExactly(value);
    }

    @Property
    void escapedKeyParsesBackToItself(@ForAll @StringLength(min = 1, max = 20) String key) {
        List<RawSuboption> subs = ActionArgument.parse("create=" + ActionArgument.escape(key)).suboptions();
        assertThat(subs).hasSize(1);
        assertThat(subs.get(0).key()).isEqualTo(key);
        assertThat(subs.get(0).hasValue()).isFalse();
    }

    @Property
    void escapedValuesJoinWithPercent(@ForAll @StringLength(min = 1, max = 10) String a, @ForAll @StringLength(min = 1, max = 10) String b) {
        String text = "create=X,K:" + ActionArgument.escape(a) + "%" + ActionArgument.escape(b) + ",Y";
        List<RawSuboption> subs = ActionArgument.parse(text).suboptions();
        assertThat(subs).extracting(RawSuboption::key).containsExactly("X", "K", "Y");
        assertThat(subs.get(1).values()).containsExactly(a, b);
    }

    @Provide
    Arbitrary<String> nodeSets() {
        Arbitrary<String> literal = Arbitraries.strings().withChars("ab.-_0123").ofMaxLength(3);
        Arbitrary<String> item = Combinators.combine(
                Arbitraries.integers().between(0, 120),
                Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 2),
                Arbitraries.of(true, false))
                .as((lo, length, extraWidth, range) -> {
                    int hi = lo + length;
                    int width = extraWidth == 0 ? 0 : String.valueOf(hi).length() + extraWidth;
                    return range ? pad(lo, width) + "-" + pad(hi, width) : pad(lo, width);
                });
        Arbitrary<String> bracket = item.list().ofMinSize(1).ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> element = Combinators.combine(
                Arbitraries.strings().withChars("abcxyz").ofMinLength(1).ofMaxLength(3),
                Combinators.combine(bracket, literal).as((b, l) -> b + l).list().ofMaxSize(2))
                .as((head, rest) -> head + String.join("", rest));
        return element.list().ofMinSize(1).ofMaxSize(3).map(elements -> String.join(",", elements));
    }

    private static String pad(int n, int width) {
        String s = Integer.toString(n);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    private static void onlyUsageErrors(Runnable call) {
        try {
            call.run();
        } catch (CtysException e) {
            assertThat(e.status()).isEqualTo(ExitStatus.USAGE);
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
