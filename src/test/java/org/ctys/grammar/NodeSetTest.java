package org.ctys.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ctys.grammar.UsageErrors.assertUsage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeSetTest {

    @Test
    void plainNameIsItself() {
        assertThat(NodeSet.expand("lab01")).containsExactly("lab01");
    }

    @Test
    void rangeAndListKeepPadding() {
        List<String> names = NodeSet.expand("node[01-16,20]");
        assertThat(names).hasSize(17).startsWith("node01", "node02").endsWith("node16", "node20");
        assertThat(names).contains("node09", "node10");
    }

    @Test
    void unpaddedRange() {
        assertThat(NodeSet.expand("n[1-3]")).containsExactly("n1", "n2", "n3");
        assertThat(NodeSet.expand("n[9-11]")).containsExactly("n9", "n10", "n11");
    }

    @Test
    void paddingIsTheWidthOfThePaddedBound() {
        List<String> names = NodeSet.expand("n[001-100]");
        assertThat(names).hasSize(100).startsWith("n001").endsWith("n099", "n100");
        assertThat(NodeSet.expand("n[08-10]")).containsExactly("n08", "n09", "n10");
        assertThat(NodeSet.expand("n[0-2]")).containsExactly("n0", "n1", "n2");
        assertThat(NodeSet.expand("n[00-02]")).containsExactly("n00", "n01", "n02");
    }

    @Test
    void singleNumbersAreKeptAsWritten() {
        assertThat(NodeSet.expand("n[007,8]")).containsExactly("n007", "n8");
    }

    @Test
    void severalBracketsGiveTheCartesianProductInOrder() {
        assertThat(NodeSet.expand("r[1-2]n[1-4]"))
                .containsExactly("r1n1", "r1n2", "r1n3", "r1n4", "r2n1", "r2n2", "r2n3", "r2n4");
    }

    @Test
    void textAfterBracketsIsKept() {
        assertThat(NodeSet.expand("lab[1-2].example.org")).containsExactly("lab1.example.org", "lab2.example.org");
    }

    @Test
    void bracketAloneOrFirst() {
        assertThat(NodeSet.expand("[1-2]x")).containsExactly("1x", "2x");
    }

    @Test
    void topLevelCommasJoinElements() {
        assertThat(NodeSet.expand("a[1-2],b3")).containsExactly("a1", "a2", "b3");
        assertThat(NodeSet.expand("lab01,lab02")).containsExactly("lab01", "lab02");
    }

    @Test
    void namesAppearOnceInFirstOrder() {
        assertThat(NodeSet.expand("a[1-3],a2,a[1-2]")).containsExactly("a1", "a2", "a3");
    }

    @Test
    void exactlyTheLimitIsAllowed() {
        assertThat(NodeSet.expand("n[1-100000]")).hasSize(NodeSet.MAX_NAMES);
    }

    @Test
    void emptyBracketsAreAUsageError() {
        assertUsage(() -> NodeSet.expand("node[]"), "'node[]'", "empty brackets", "node[01-16,20]");
    }

    @Test
    void backwardsRangeIsAUsageError() {
        assertUsage(() -> NodeSet.expand("n[5-1]"), "'n[5-1]'", "'5-1'", "runs backwards", "1-5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"n[a-3]", "n[1-b]", "n[x]", "n[1-2,z]", "n[ 1]"})
    void nonNumericBoundIsAUsageError(String text) {
        assertUsage(() -> NodeSet.expand(text), "'" + text + "'", "not a number");
    }

    @Test
    void unbalancedBracketsAreAUsageError() {
        assertUsage(() -> NodeSet.expand("n[1-2"), "'n[1-2'", "never closed");
        assertUsage(() -> NodeSet.expand("n1-2]"), "'n1-2]'", "no matching '['");
        assertUsage(() -> NodeSet.expand("n[[1]]"), "'n[[1]]'", "inside another");
        assertUsage(() -> NodeSet.expand("a[1,2],b[3"), "'a[1,2],b[3'", "never closed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"n[1,,2]", "n[,1]", "n[1,]"})
    void emptyListElementIsAUsageError(String text) {
        assertUsage(() -> NodeSet.expand(text), "'" + text + "'", "empty element");
    }

    @ParameterizedTest
    @ValueSource(strings = {"n[1-]", "n[-5]", "n[-]"})
    void missingBoundIsAUsageError(String text) {
        assertUsage(() -> NodeSet.expand(text), "'" + text + "'", "missing a bound");
    }

    @Test
    void doubleDashIsAUsageError() {
        assertUsage(() -> NodeSet.expand("n[1-2-3]"), "'n[1-2-3]'", "'1-2-3'", "LOW-HIGH");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,,b", "a,", ",a", ","})
    void emptyTopLevelElementIsAUsageError(String text) {
        assertUsage(() -> NodeSet.expand(text), "'" + text + "'", "empty element");
    }

    @Test
    void emptyTextIsAUsageError() {
        assertUsage(() -> NodeSet.expand(""), "empty");
        assertUsage(() -> NodeSet.expand(null), "empty");
    }

    @Test
    void tooManyNamesIsAUsageError() {
        assertUsage(() -> NodeSet.expand("n[1-100001]"), "'n[1-100001]'", "more than 100000");
        assertUsage(() -> NodeSet.expand("r[1-1000]n[1-1000]"), "more than 100000");
        assertUsage(() -> NodeSet.expand("a[1-60000],b[1-60000]"), "more than 100000");
        assertUsage(() -> NodeSet.expand("n[0-999999999999999999]"), "more than 100000");
    }

    @Test
    void thousandsOfBracketGroupsAreAUsageErrorAndNoStackOverflow() {
        // 18 KB, each group one name long: it once recursed once per group
        String text = "a" + "[1]".repeat(6000);
        assertUsage(() -> NodeSet.expand(text), "longer than 253 characters");
        assertUsage(() -> TargetParser.parse(List.of(text)), "longer than 253 characters");
    }

    @Test
    void manyBracketGroupsWithinTheLimitsExpandInOrder() {
        String text = "n" + "[0-1]".repeat(16);
        List<String> names = NodeSet.expand(text);
        assertThat(names).hasSize(65_536).startsWith("n" + "0".repeat(16), "n" + "0".repeat(15) + "1")
                .endsWith("n" + "1".repeat(16));
    }

    @Test
    void tooLongATextIsAUsageErrorNamingTheLimit() {
        String text = "n1" + ",n1".repeat(30_000);
        assertUsage(() -> NodeSet.expand(text), "longer than 65536 characters", "(90002 characters)");
        assertUsage(() -> TargetParser.parse(List.of(text)), "longer than 65536 characters");
    }

    @Test
    void namesLongerThanAHostNameMayBeAreAUsageError() {
        assertUsage(() -> NodeSet.expand("x".repeat(251) + "[100-101]"), "longer than 253 characters");
        assertThat(NodeSet.expand("x".repeat(250) + "[1-2]y")).hasSize(2);
    }

    @Test
    void hugeNumberIsAUsageError() {
        assertUsage(() -> NodeSet.expand("n[1234567890123456789]"), "too large");
    }

    @Test
    void foldGroupsByTheLastNumber() {
        assertThat(NodeSet.fold(NodeSet.expand("node[01-16,20]"))).isEqualTo("node[01-16,20]");
        assertThat(NodeSet.fold(List.of("n3", "n1", "n2", "n7"))).isEqualTo("n[1-3,7]");
    }

    @Test
    void foldKeepsDistinctPaddings() {
        assertThat(NodeSet.fold(List.of("node01", "node02", "node3"))).isEqualTo("node[01-02,3]");
        assertThat(NodeSet.fold(List.of("n09", "n10", "n11"))).isEqualTo("n[09-11]");
        assertThat(NodeSet.fold(List.of("n1", "n01", "n001"))).isEqualTo("n[1,01,001]");
    }

    @Test
    void foldKeepsSingleNamesAndNamesWithoutDigits() {
        assertThat(NodeSet.fold(List.of("web", "db1", "lab5"))).isEqualTo("db1,lab5,web");
    }

    @Test
    void foldVariesOnlyTheLastNumber() {
        assertThat(NodeSet.fold(NodeSet.expand("r[1-2]n[1-4]"))).isEqualTo("r1n[1-4],r2n[1-4]");
        assertThat(NodeSet.fold(NodeSet.expand("lab[1-3].example.org"))).isEqualTo("lab[1-3].example.org");
    }

    @Test
    void foldIgnoresDuplicatesAndIsSorted() {
        assertThat(NodeSet.fold(List.of("b2", "a1", "b1", "a1"))).isEqualTo("a1,b[1-2]");
        assertThat(NodeSet.fold(List.of())).isEmpty();
    }

    @Test
    void foldExpandsBackToTheSameSet() {
        for (String text : List.of("node[01-16,20]", "n[8-12],n[08-12]", "a[1-3]b,a[5-7]b,c", "x[0-2]y[00-03]", "z1[0-9]")) {
            List<String> names = NodeSet.expand(text);
            assertThat(new HashSet<>(NodeSet.expand(NodeSet.fold(names)))).as(text).isEqualTo(new HashSet<>(names));
        }
    }

    @Test
    void foldOfVeryLongDigitRunsKeepsTheName() {
        String name = "n" + "9".repeat(30);
        assertThat(NodeSet.fold(new ArrayList<>(List.of(name, "n1")))).isEqualTo("n1," + name);
    }
}
