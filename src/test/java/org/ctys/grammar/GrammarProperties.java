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
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.SuboptionValidator;

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

    /** Long text: random syntax, or a small piece repeated thousands of times (the shape that once overflowed the stack). */
    @Provide
    Arbitrary<String> hugeText() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("[1]", "[1-9]", "[0-1]", "a,", "[1,2]", "x", "[01-99]", "::", "[::1]", "%", ",,", "\\"),
                Arbitraries.strings().withChars(SYNTAX).ofMinLength(1).ofMaxLength(6));
        Arbitrary<String> repeated = Combinators.combine(Arbitraries.strings().withChars("ab").ofMaxLength(2), piece,
                Arbitraries.integers().between(1, 40_000)).as((head, p, n) -> head + p.repeat(n));
        return Arbitraries.oneOf(repeated, Arbitraries.strings().withChars(SYNTAX).ofMinLength(1_000).ofMaxLength(140_000));
    }

    @Property(tries = 30)
    void hugeInputFailsOnlyAsUsage(@ForAll("hugeText") String text) {
        onlyUsageErrors(() -> NodeSet.expand(text));
        onlyUsageErrors(() -> TargetParser.parse(List.of(text)));
        onlyUsageErrors(() -> TargetParser.parse(List.of("root@" + text)));
        onlyUsageErrors(() -> validate(ActionArgument.parse("create=" + text)));
        onlyUsageErrors(() -> validate(ActionArgument.parse("create=t:" + text)));
    }

    // every kind of value a suboption can have, as the plugins declare them
    private static final org.ctys.spi.ActionSpec EVERY_KIND = new org.ctys.spi.ActionSpec("CREATE", "test",
            List.of(org.ctys.spi.SuboptionSpec.of("TIMEOUT", "<d>", "", org.ctys.spi.ValueKind.TIMEOUT).build(),
                    org.ctys.spi.SuboptionSpec.of("WOL", "<d>", "", org.ctys.spi.ValueKind.DURATION).optional().build(),
                    org.ctys.spi.SuboptionSpec.of("PING", "<n>%<s>", "", org.ctys.spi.ValueKind.COUNT,
                            org.ctys.spi.ValueKind.DURATION).keywords("OFF").build(),
                    org.ctys.spi.SuboptionSpec.of("T", "<addr>", "", org.ctys.spi.ValueKind.HOST).build(),
                    org.ctys.spi.SuboptionSpec.of("B", "<ip>", "", org.ctys.spi.ValueKind.IPV4).build(),
                    org.ctys.spi.SuboptionSpec.of("P", "<port>", "", org.ctys.spi.ValueKind.PORT).build(),
                    org.ctys.spi.SuboptionSpec.of("M", "<mac>", "", org.ctys.spi.ValueKind.MAC).build(),
                    org.ctys.spi.SuboptionSpec.of("IF", "<if>", "", org.ctys.spi.ValueKind.INTERFACE).build(),
                    org.ctys.spi.SuboptionSpec.of("L", "<text>", "", org.ctys.spi.ValueKind.TEXT).build(),
                    org.ctys.spi.SuboptionSpec.of("C", "", "", org.ctys.spi.ValueKind.CHOICE).choices("A", "B").build()),
            List.of(), java.util.Map.of(), "targets");

    private static void validate(ActionArgument a) {
        SuboptionValidator.validate("TEST", EVERY_KIND, a.suboptions());
    }

    @Provide
    Arbitrary<String> suboptionText() {
        Arbitrary<String> key = Arbitraries.of("timeout", "wol", "ping", "t", "b", "p", "m", "if", "l", "c", "x");
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().between(0, 99_999_999_999L).map(String::valueOf),
                Arbitraries.of("0", "1", "100000", "100001", "8760", "31536000", "999999999"));
        Arbitrary<String> value = Arbitraries.oneOf(
                Combinators.combine(number, Arbitraries.of("", "ms", "s", "m", "h", "H", "d")).as((n, u) -> n + u),
                Combinators.combine(number, number, Arbitraries.of("", "ms", "h")).as((n, d, u) -> n + "%" + d + u),
                Arbitraries.of("[::1]", "::1", "ff02::1", "[fe80::1%v0]", "fe80::1%v0", "[1.2.3.4]", "[::1", "[]", "[x]",
                        "1.2.3.256", "aa:bb:cc:dd:ee:ff", "off"),
                Arbitraries.strings().withChars(SYNTAX).ofMaxLength(12));
        Arbitrary<String> sub = Combinators.combine(key, value).as((k, v) -> k + ":" + v);
        return sub.list().ofMinSize(1).ofMaxSize(4).map(l -> "create=" + String.join(",", l));
    }

    @Property(tries = 1000)
    void suboptionValuesOfEveryKindFailOnlyAsUsage(@ForAll("suboptionText") String text) {
        onlyUsageErrors(() -> validate(ActionArgument.parse(text)));
    }

    @Property(tries = 500)
    void durationsAreNeverLongerThanAYear(@ForAll("suboptionText") String text) {
        try {
            var subs = SuboptionValidator.validate("TEST", EVERY_KIND, ActionArgument.parse(text).suboptions());
            subs.duration("TIMEOUT").ifPresent(d -> assertThat(d).isPositive().isLessThanOrEqualTo(Durations.MAX));
            subs.duration("WOL").ifPresent(d -> assertThat(d).isLessThanOrEqualTo(Durations.MAX));
        } catch (CtysException e) {
            assertThat(e.status()).isEqualTo(ExitStatus.USAGE);
        }
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
