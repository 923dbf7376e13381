package org.ctys.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ctys.grammar.UsageErrors.assertUsage;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActionArgumentTest {

    private static RawSuboption only(String text) {
        List<RawSuboption> subs = ActionArgument.parse(text).suboptions();
        assertThat(subs).hasSize(1);
        return subs.get(0);
    }

    @Test
    void actionAloneHasNoSuboptions() {
        ActionArgument a = ActionArgument.parse("LIST");
        assertThat(a.action()).isEqualTo("LIST");
        assertThat(a.suboptions()).isEmpty();
    }

    @Test
    void actionIsKeptAsTyped() {
        assertThat(ActionArgument.parse("cReAte=wol").action()).isEqualTo("cReAte");
    }

    @Test
    void emptySuboptionTextGivesNoSuboptions() {
        ActionArgument a = ActionArgument.parse("create=");
        assertThat(a.action()).isEqualTo("create");
        assertThat(a.suboptions()).isEmpty();
    }

    @Test
    void emptyActionIsAUsageError() {
        assertUsage(() -> ActionArgument.parse("=wol"), "missing action name", "'-a =wol'");
        assertUsage(() -> ActionArgument.parse(""), "missing action name");
        assertUsage(() -> ActionArgument.parse(null), "missing action name");
    }

    @Test
    void flagHasNoValue() {
        RawSuboption s = only("cancel=REBOOT");
        assertThat(s.key()).isEqualTo("REBOOT");
        assertThat(s.values()).isEmpty();
        assertThat(s.hasValue()).isFalse();
        assertThat(s.token()).isEqualTo("REBOOT");
    }

    @Test
    void keyValue() {
        RawSuboption s = only("cancel=TIMEOUT:30");
        assertThat(s.key()).isEqualTo("TIMEOUT");
        assertThat(s.values()).containsExactly("30");
        assertThat(s.hasValue()).isTrue();
        assertThat(s.token()).isEqualTo("TIMEOUT:30");
    }

    @Test
    void keyCaseIsPreservedAndValueCaseToo() {
        RawSuboption s = only("create=Label:MyHost");
        assertThat(s.key()).isEqualTo("Label");
        assertThat(s.values()).containsExactly("MyHost");
    }

    @Test
    void suboptionsAreCommaSeparatedInOrder() {
        List<RawSuboption> subs = ActionArgument.parse("create=wol,t:hostX,PING:40%3,REUSE").suboptions();
        assertThat(subs).extracting(RawSuboption::key).containsExactly("wol", "t", "PING", "REUSE");
        assertThat(subs).extracting(RawSuboption::token).containsExactly("wol", "t:hostX", "PING:40%3", "REUSE");
    }

    @Test
    void percentJoinsSeveralValues() {
        assertThat(only("a=PING:40%3").values()).containsExactly("40", "3");
        assertThat(only("a=X:1%2%3").values()).containsExactly("1", "2", "3");
    }

    @Test
    void macStaysOneValueDespiteItsColons() {
        RawSuboption s = only("create=M:aa:bb:cc:dd:ee:ff");
        assertThat(s.key()).isEqualTo("M");
        assertThat(s.values()).containsExactly("aa:bb:cc:dd:ee:ff");
        assertThat(Mac.parse(s.values().get(0))).hasToString("aa:bb:cc:dd:ee:ff");
    }

    @Test
    void onlyTheFirstColonEndsTheKey() {
        RawSuboption s = only("a=CMD:echo a:b");
        assertThat(s.key()).isEqualTo("CMD");
        assertThat(s.values()).containsExactly("echo a:b");
    }

    @Test
    void laterEqualsSignsBelongToSuboptions() {
        RawSuboption s = only("create=CMD:x=1");
        assertThat(s.values()).containsExactly("x=1");
    }

    @Test
    void doubledCommaIsALiteralComma() {
        RawSuboption s = only("a=X:a,,b");
        assertThat(s.values()).containsExactly("a,b");
        assertThat(s.token()).isEqualTo("X:a,,b");
    }

    @Test
    void backslashCommaIsALiteralComma() {
        assertThat(only("a=X:a\\,b").values()).containsExactly("a,b");
    }

    @Test
    void doubledColonIsALiteralColon() {
        RawSuboption s = only("a=KEY::PART:v");
        assertThat(s.key()).isEqualTo("KEY:PART");
        assertThat(s.values()).containsExactly("v");
    }

    @Test
    void backslashColonIsALiteralColon() {
        RawSuboption s = only("a=K\\:X:v");
        assertThat(s.key()).isEqualTo("K:X");
        assertThat(s.values()).containsExactly("v");
        assertThat(only("a=T:fe80\\:\\:1").values()).containsExactly("fe80::1");
    }

    @Test
    void anIpv6AddressInBracketsIsTakenAsWritten() {
        assertThat(only("a=t:[::1]").values()).containsExactly("[::1]");
        assertThat(only("a=broadcast:[ff02::1]").values()).containsExactly("[ff02::1]");
        // the zone's '%' is not the join of two values; a bracketed address can still be joined
        assertThat(only("a=t:[fe80::1%v0]").values()).containsExactly("[fe80::1%v0]");
        assertThat(only("a=x:[fe80::1]%3").values()).containsExactly("[fe80::1]", "3");
        // brackets that hold no IPv6 address are plain text as before
        assertThat(only("a=cmd:[ -f /x:y ] && echo a::b").values()).containsExactly("[ -f /x:y ] && echo a:b");
        assertThat(ActionArgument.parse("a=t:[::1],reboot").suboptions()).extracting(RawSuboption::key).containsExactly("t", "reboot");
    }

    @Test
    void aWholeValueThatIsAnIpv6AddressKeepsItsColons() {
        // "::" is otherwise the escaped colon; in a value that is an IPv6 address as typed it is the address's
        assertThat(only("a=broadcast:ff02::1").values()).containsExactly("ff02::1");
        assertThat(only("a=t:fe80::1%v0").values()).containsExactly("fe80::1%v0");
        assertThat(only("a=t:::1").values()).containsExactly("::1");
        assertThat(only("a=t:::1").key()).isEqualTo("t");
        assertThat(ActionArgument.parse("a=t:2001:db8::1,ping:3%1").suboptions()).extracting(RawSuboption::values)
                .containsExactly(List.of("2001:db8::1"), List.of("3", "1"));
        // not an address as a whole: the escapes apply as before
        assertThat(only("a=x:a::b::c").values()).containsExactly("a:b:c");
        assertThat(only("a=x:ff02::1,,2").values()).containsExactly("ff02:1,2");
        assertThat(only("a=M:aa:bb:cc:dd:ee:ff").values()).containsExactly("aa:bb:cc:dd:ee:ff");
    }

    @Test
    void doubledPercentIsALiteralPercent() {
        assertThat(only("a=X:50%%").values()).containsExactly("50%");
        assertThat(only("a=X:1%%2%3").values()).containsExactly("1%2", "3");
        assertThat(only("a=X:a\\%b").values()).containsExactly("a%b");
    }

    @Test
    void doubledBackslashIsABackslash() {
        assertThat(only("a=X:a\\\\b").values()).containsExactly("a\\b");
        List<RawSuboption> subs = ActionArgument.parse("a=X:a\\\\,Y").suboptions();
        assertThat(subs).extracting(RawSuboption::key).containsExactly("X", "Y");
        assertThat(subs.get(0).values()).containsExactly("a\\");
    }

    @Test
    void backslashBeforeAnOrdinaryCharacterStandsForItself() {
        assertThat(only("a=F:C:\\vm\\disk.img").values()).containsExactly("C:\\vm\\disk.img");
    }

    @Test
    void escapedSeparatorsInAFlag() {
        RawSuboption s = only("a=A,,B");
        assertThat(s.key()).isEqualTo("A,B");
        assertThat(s.hasValue()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=REBOOT,", "a=,REBOOT", "a=,REBOOT,"})
    void emptySuboptionsAreIgnored(String text) {
        List<RawSuboption> subs = ActionArgument.parse(text).suboptions();
        assertThat(subs).extracting(RawSuboption::key).containsExactly("REBOOT");
    }

    @Test
    void emptySuboptionBetweenThreeCommas() {
        // ",,," is a literal comma followed by a separator: "A," then "B".
        List<RawSuboption> subs = ActionArgument.parse("a=A,,,B").suboptions();
        assertThat(subs).extracting(RawSuboption::key).containsExactly("A,", "B");
    }

    @Test
    void lonelyCommasGiveNothing() {
        assertThat(ActionArgument.parse("a=,").suboptions()).isEmpty();
    }

    @Test
    void keyWithoutValueIsAUsageError() {
        assertUsage(() -> ActionArgument.parse("a=TIMEOUT:"), "'TIMEOUT:'", "has no value");
        assertUsage(() -> ActionArgument.parse("a=REBOOT,TIMEOUT:,X"), "'TIMEOUT:'", "has no value");
    }

    @Test
    void valueWithoutKeyIsAUsageError() {
        assertUsage(() -> ActionArgument.parse("a=:30"), "':30'", "no key");
    }

    @Test
    void percentInKeyIsAUsageError() {
        assertUsage(() -> ActionArgument.parse("a=PI%NG:3"), "'PI%NG:3'", "'%'");
        assertUsage(() -> ActionArgument.parse("a=FLAG%X"), "'FLAG%X'", "'%'");
    }

    @Test
    void escapedPercentInKeyIsAllowed() {
        assertThat(only("a=A%%B:1").key()).isEqualTo("A%B");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=PING:40%", "a=PING:%3", "a=PING:40%%%", "a=PING:4%%3%"})
    void emptyValuePieceIsAUsageError(String text) {
        String token = text.substring(2);
        assertUsage(() -> ActionArgument.parse(text), "'" + token + "'", "empty value");
    }

    @Test
    void trailingLoneBackslashIsAUsageError() {
        assertUsage(() -> ActionArgument.parse("a=X,CMD:ls\\"), "'CMD:ls\\'", "lone backslash");
        assertUsage(() -> ActionArgument.parse("a=\\"), "'\\'", "lone backslash");
    }

    @Test
    void escapeRoundTripsSpecialCharacters() {
        for (String value : List.of("a,b", "a:b", "50%", "C:\\x", "\\", ",,", "::", "%%", "a\\,b", "aa:bb:cc:dd:ee:ff")) {
            String text = "a=K:" + ActionArgument.escape(value);
            assertThat(only(text).values()).as(text).containsExactly(value);
            String asKey = "a=" + ActionArgument.escape(value);
            assertThat(only(asKey).key()).as(asKey).isEqualTo(value);
        }
    }

    @Test
    void escapeLeavesPlainTextAlone() {
        assertThat(ActionArgument.escape("hostX.example-1")).isEqualTo("hostX.example-1");
        assertThat(ActionArgument.escape("")).isEmpty();
    }

    @Test
    void anEscapedValueStartingWithPercentStaysApartFromTheJoiningPercent() {
        String text = "create=K:" + ActionArgument.escape("x") + "%" + ActionArgument.escape("%y");
        assertThat(ActionArgument.parse(text).suboptions().get(0).values()).containsExactly("x", "%y");
    }
}
