package org.ctys.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ctys.grammar.UsageErrors.assertUsage;

import java.util.List;
import org.ctys.grammar.TargetSpec.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetParserTest {

    private static List<TargetSpec> parse(String... words) {
        return TargetParser.parse(List.of(words));
    }

    private static TargetSpec one(String word) {
        List<TargetSpec> specs = parse(word);
        assertThat(specs).hasSize(1);
        return specs.get(0);
    }

    @Test
    void noWordsNoTargets() {
        assertThat(TargetParser.parse(List.of())).isEmpty();
    }

    @Test
    void plainHost() {
        TargetSpec t = one("lab01");
        assertThat(t.original()).isEqualTo("lab01");
        assertThat(t.user()).isNull();
        assertThat(t.kind()).isEqualTo(Kind.HOST);
        assertThat(t.name()).isEqualTo("lab01");
        assertThat(t.stack()).isEmpty();
        assertThat(t.options()).isEmpty();
    }

    @Test
    void hostNamesMayBeDnsNamesOrIpv4() {
        assertThat(one("lab-01.example_x.org").name()).isEqualTo("lab-01.example_x.org");
        assertThat(one("192.168.3.10").name()).isEqualTo("192.168.3.10");
    }

    @Test
    void userAtHost() {
        TargetSpec t = one("root@lab01");
        assertThat(t.user()).isEqualTo("root");
        assertThat(t.name()).isEqualTo("lab01");
        assertThat(t.kind()).isEqualTo(Kind.HOST);
    }

    @Test
    void group() {
        TargetSpec t = one("@rack3");
        assertThat(t.kind()).isEqualTo(Kind.GROUP);
        assertThat(t.name()).isEqualTo("rack3");
        assertThat(t.user()).isNull();
    }

    @Test
    void groupWithOptions() {
        TargetSpec t = one("@rack3(-l root)");
        assertThat(t.kind()).isEqualTo(Kind.GROUP);
        assertThat(t.options()).containsExactly("-l", "root");
    }

    @Test
    void ownOptionsAreSplitLikeAShell() {
        TargetSpec t = one("lab01(-l root --timeout 30s)");
        assertThat(t.name()).isEqualTo("lab01");
        assertThat(t.options()).containsExactly("-l", "root", "--timeout", "30s");
    }

    @Test
    void quotesInOptionsAreHonoured() {
        TargetSpec t = one("lab01(-o 'a b' --x \"c d\" e\\ f '' \"q\\\"x\")");
        assertThat(t.options()).containsExactly("-o", "a b", "--x", "c d", "e f", "", "q\"x");
    }

    @Test
    void parenthesesInsideQuotesDoNotClose() {
        TargetSpec t = one("lab01(-c 'echo (x)' \"a)b\")");
        assertThat(t.options()).containsExactly("-c", "echo (x)", "a)b");
    }

    @Test
    void emptyParenthesesGiveNoOptions() {
        assertThat(one("lab01()").options()).isEmpty();
    }

    @Test
    void sharedOptionsApplyToLaterTargetsOnly() {
        List<TargetSpec> specs = parse("lab00", "(-l root)", "lab01", "lab02(-l admin)", "(--timeout 5s)", "lab03");
        assertThat(specs.get(0).options()).isEmpty();
        assertThat(specs.get(1).options()).containsExactly("-l", "root");
        assertThat(specs.get(2).options()).containsExactly("-l", "root", "-l", "admin");
        assertThat(specs.get(3).options()).containsExactly("-l", "root", "--timeout", "5s");
    }

    @Test
    void sharedOptionsWordGivesNoTargetItself() {
        assertThat(parse("(-l root)")).isEmpty();
    }

    @Test
    void nodesetExpandsIntoOneTargetEach() {
        List<TargetSpec> specs = parse("root@lab[01-03](-p 22)");
        assertThat(specs).extracting(TargetSpec::name).containsExactly("lab01", "lab02", "lab03");
        assertThat(specs).allSatisfy(t -> {
            assertThat(t.user()).isEqualTo("root");
            assertThat(t.kind()).isEqualTo(Kind.HOST);
            assertThat(t.options()).containsExactly("-p", "22");
            assertThat(t.original()).isEqualTo("root@lab[01-03](-p 22)");
        });
    }

    @Test
    void nodesetWithSuffixAndProduct() {
        assertThat(parse("r[1-2]n[1-2].lan")).extracting(TargetSpec::name)
                .containsExactly("r1n1.lan", "r1n2.lan", "r2n1.lan", "r2n2.lan");
        assertThat(parse("10.0.0.[1-3]")).extracting(TargetSpec::name)
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
    }

    @Test
    void commaOutsideBracketsSeparatesTargets() {
        List<TargetSpec> specs = parse("lab01,root@lab02,@g1,lab[1,3]");
        assertThat(specs).extracting(TargetSpec::name).containsExactly("lab01", "lab02", "g1", "lab1", "lab3");
        assertThat(specs).extracting(TargetSpec::user).containsExactly(null, "root", null, null, null);
        assertThat(specs).extracting(TargetSpec::original).containsOnly("lab01,root@lab02,@g1,lab[1,3]");
    }

    @Test
    void commaInsideOptionsDoesNotSeparate() {
        List<TargetSpec> specs = parse("lab01(-o a,b),lab02");
        assertThat(specs).extracting(TargetSpec::name).containsExactly("lab01", "lab02");
        assertThat(specs.get(0).options()).containsExactly("-o", "a,b");
        assertThat(specs.get(1).options()).isEmpty();
    }

    @Test
    void stackOneLevelPerBracketOuterFirst() {
        TargetSpec t = one("root@pm1[web1][db](-l x)");
        assertThat(t.kind()).isEqualTo(Kind.STACK);
        assertThat(t.name()).isEqualTo("pm1");
        assertThat(t.user()).isEqualTo("root");
        assertThat(t.stack()).containsExactly("web1", "db");
        assertThat(t.options()).containsExactly("-l", "x");
    }

    @Test
    void nodesetBracketThenStackLevels() {
        List<TargetSpec> specs = parse("pm[01-02][web1][db]");
        assertThat(specs).extracting(TargetSpec::name).containsExactly("pm01", "pm02");
        assertThat(specs).allSatisfy(t -> {
            assertThat(t.kind()).isEqualTo(Kind.STACK);
            assertThat(t.stack()).containsExactly("web1", "db");
        });
    }

    @Test
    void bracketWithAnyLetterIsAStackLevel() {
        assertThat(one("pm[1a]").stack()).containsExactly("1a");
        assertThat(one("pm[vm-1.x]").stack()).containsExactly("vm-1.x");
    }

    @Test
    void stackLevelFollowedByTextIsAUsageError() {
        assertUsage(() -> parse("pm[web1]x"), "'pm[web1]x'", "'x'", "PM[VM][VM]");
        assertUsage(() -> parse("pm[web1]x[db]"), "'pm[web1]x[db]'", "'x'", "PM[VM][VM]");
    }

    @Test
    void nodeRangeAfterStackLevelIsAUsageError() {
        assertUsage(() -> parse("pm[web][1-2]"), "'pm[web][1-2]'", "'[1-2]'", "follows a stack level");
    }

    @Test
    void emptyStackLevelIsAUsageError() {
        assertUsage(() -> parse("pm[]"), "'pm[]'", "empty brackets");
        assertUsage(() -> parse("pm[web][]"), "'pm[web][]'", "empty brackets");
    }

    @Test
    void badCharactersInAStackLevelAreAUsageError() {
        assertUsage(() -> parse("pm[web 1]"), "'pm[web 1]'", "'web 1'", "letters, digits");
        assertUsage(() -> parse("pm[web,db]"), "'pm[web,db]'", "'web,db'");
    }

    @Test
    void stackWithoutMachineIsAUsageError() {
        // a leading bracket is an IPv6 address; guests and node ranges follow a name
        assertUsage(() -> parse("[web]"), "'[web]'", "not an IPv6 address", "pm01[vm1]");
        assertUsage(() -> parse("[01-05]"), "not an IPv6 address", "lab[01-05]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "[::1]", "fe80::1%v0", "[fe80::1%v0]", "2001:db8::ff00:42:8329", "::ffff:192.0.2.1",
            "[1:2:3:4:5:6:7:8]", "::"})
    void ipv6AddressesAreTargetsCarriedWithoutBrackets(String word) {
        TargetSpec t = one(word);
        assertThat(t.kind()).isEqualTo(Kind.HOST);
        assertThat(t.name()).isEqualTo(word.replace("[", "").replace("]", ""));
        assertThat(t.user()).isNull();
        TargetSpec u = one("root@" + word + "(-l x)");
        assertThat(u.user()).isEqualTo("root");
        assertThat(u.name()).isEqualTo(t.name());
        assertThat(u.options()).containsExactly("-l", "x");
    }

    @Test
    void anIpv6AddressInBracketsMayCarryGuests() {
        TargetSpec t = one("root@[fe80::1%v0][web1][db]");
        assertThat(t.kind()).isEqualTo(Kind.STACK);
        assertThat(t.name()).isEqualTo("fe80::1%v0");
        assertThat(t.stack()).containsExactly("web1", "db");
        assertThat(parse("lab[01-02],[::1],::2")).extracting(TargetSpec::name).containsExactly("lab01", "lab02", "::1", "::2");
    }

    @Test
    void malformedIpv6IsAUsageErrorThatSaysWhatIsValid() {
        assertUsage(() -> parse("[::1"), "'[::1'", "never closed");
        assertUsage(() -> parse("[:::1]"), "'[:::1]' is not an IPv6 address");
        assertUsage(() -> parse("root@[1::2::3]"), "not an IPv6 address");
        assertUsage(() -> parse("1:2:3:4:5:6:7"), "'1:2:3:4:5:6:7' is not an IPv6 address", "host name holds no ':'");
        assertUsage(() -> parse("fe80::1%"), "not an IPv6 address");
        assertUsage(() -> parse("lab01:22"), "'lab01:22' is not an IPv6 address");
        assertUsage(() -> parse("[::1]x"), "'x' follows the IPv6 address");
        assertUsage(() -> parse("[::1][01-02]"), "not a guest name");
        assertUsage(() -> parse("fe80::1[vm1]"), "in brackets: [fe80::1][vm1]");
        assertUsage(() -> parse("::1[1-2]"), "no node range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lab01(-l root", "lab01((x)", "(-l root"})
    void unclosedParenthesisIsAUsageError(String word) {
        assertUsage(() -> parse(word), "'" + word + "'", "'(' is never closed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lab01)", "lab01(x))", "a)(b"})
    void strayClosingParenthesisIsAUsageError(String word) {
        assertUsage(() -> parse(word), "'" + word + "'", "')'");
    }

    @Test
    void unclosedBracketIsAUsageError() {
        assertUsage(() -> parse("lab[01-03"), "'lab[01-03'", "never closed");
        assertUsage(() -> parse("pm[web"), "'pm[web'", "never closed");
        assertUsage(() -> parse("pm[[web]]"), "'pm[[web]]'", "inside another");
    }

    @Test
    void strayClosingBracketIsAUsageError() {
        assertUsage(() -> parse("lab01]"), "'lab01]'", "no matching '['");
    }

    @Test
    void unclosedQuoteIsAUsageError() {
        assertUsage(() -> parse("lab01(-o 'x)"), "'lab01(-o 'x)'", "single quote");
        assertUsage(() -> parse("lab01(-o \"x)"), "double quote");
    }

    @Test
    void parenthesisInsideBracketsIsAUsageError() {
        assertUsage(() -> parse("lab[1(x)]"), "'lab[1(x)]'", "'(' inside brackets");
    }

    @Test
    void textAfterOptionsIsAUsageError() {
        assertUsage(() -> parse("lab01(-l root)x"), "'lab01(-l root)x'", "'x'", "follows the closing ')'");
        assertUsage(() -> parse("lab01(a)(b)"), "'(b)'", "follows the closing ')'");
        assertUsage(() -> parse("(-l root)lab01"), "'lab01'", "follows the closing ')'");
    }

    @Test
    void emptyUserIsAUsageError() {
        assertUsage(() -> parse("@"), "'@'", "nothing follows '@'");
        assertUsage(() -> parse("@@x"), "'@@x'", "empty user");
    }

    @Test
    void emptyHostIsAUsageError() {
        assertUsage(() -> parse("root@"), "'root@'", "no host after 'root@'");
        assertUsage(() -> parse("(x)", "(-l root)lab"), "'(-l root)lab'");
        assertUsage(() -> parse("root@(-p 2)"), "'root@(-p 2)'", "no host");
        assertUsage(() -> parse("(-p 2)x", "lab"), "'(-p 2)x'");
    }

    @Test
    void emptyWordIsAUsageError() {
        assertUsage(() -> parse(""), "empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lab01,,lab02", "lab01,", ",lab01", ","})
    void emptyTargetBetweenCommasIsAUsageError(String word) {
        assertUsage(() -> parse(word), "'" + word + "'", "empty target");
    }

    @Test
    void emptyGroupNameIsAUsageError() {
        assertUsage(() -> parse("@(-l root)"), "'@(-l root)'", "nothing follows '@'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lab 01", "lab/01", "a@b@c", "lab*"})
    void badCharactersInAHostAreAUsageError(String word) {
        assertUsage(() -> parse(word), "'" + word + "'", "letters, digits");
    }

    @Test
    void hostStartingWithDashIsAUsageError() {
        assertUsage(() -> parse("-oProxyCommand=x"), "'-oProxyCommand=x'");
        assertUsage(() -> parse("-lab01"), "'-lab01'", "starts with '-'");
    }

    @Test
    void badUserIsAUsageError() {
        assertUsage(() -> parse("-x@lab01"), "'-x@lab01'", "user '-x'");
        assertUsage(() -> parse("r o@lab01"), "user 'r o'");
    }

    @Test
    void badGroupNameIsAUsageError() {
        assertUsage(() -> parse("@rack[1-2]"), "'@rack[1-2]'", "group name 'rack[1-2]'");
    }

    @Test
    void badNodesetIsAUsageErrorNamingTheWord() {
        assertUsage(() -> parse("root@lab[5-1]"), "'root@lab[5-1]'", "runs backwards");
        assertUsage(() -> parse("lab[1,,2]"), "'lab[1,,2]'", "empty element");
        assertUsage(() -> parse("lab[1-]"), "'lab[1-]'", "missing a bound");
        assertUsage(() -> parse("n[1-200000]"), "more than 100000");
    }

    @Test
    void firstBadWordStopsTheParse() {
        assertUsage(() -> parse("lab01", "lab 02", "lab[03"), "'lab 02'");
    }
}
