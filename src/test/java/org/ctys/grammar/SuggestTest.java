package org.ctys.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
    private static final List<String> ACTIONS = List.of("CREATE", "CANCEL", "LIST", "ENUMERATE", "INFO", "SHOW");

    @Test
    void typoIsCorrectedIgnoringCase() {
        assertThat(Suggest.closest("crate", ACTIONS)).contains("CREATE");
        assertThat(Suggest.closest("lsit", ACTIONS)).contains("LIST");
        assertThat(Suggest.closest("enumrate", ACTIONS)).contains("ENUMERATE");
    }

    @Test
    void adjacentSwapCountsOnce() {
        assertThat(Suggest.distance("lsit", "list")).isEqualTo(1);
        assertThat(Suggest.distance("abc", "abc")).isZero();
        assertThat(Suggest.distance("", "abc")).isEqualTo(3);
        assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void prefixOfTwoOrMoreCharacters() {
        assertThat(Suggest.closest("enu", ACTIONS)).contains("ENUMERATE");
        assertThat(Suggest.closest("SH", ACTIONS)).contains("SHOW");
    }

    @Test
    void shortestPrefixMatchWins() {
        assertThat(Suggest.closest("cons", List.of("CONSOLE-SERVER", "CONSOLE"))).contains("CONSOLE");
    }

    @Test
    void farWordsGetNoSuggestion() {
        assertThat(Suggest.closest("reboot", ACTIONS)).isEmpty();
        assertThat(Suggest.closest("xyzzy", ACTIONS)).isEmpty();
    }

    @Test
    void thresholdGrowsWithLength() {
        // length 3 allows 1 edit, length 6 allows 2.
        assertThat(Suggest.closest("lxst", List.of("LIST"))).contains("LIST");
        assertThat(Suggest.closest("lxxt", List.of("LIST"))).isEmpty();
        assertThat(Suggest.closest("cxnxel", List.of("CANCEL"))).contains("CANCEL");
        assertThat(Suggest.closest("cxxxel", List.of("CANCEL"))).isEmpty();
    }

    @Test
    void singleCharacterNeedsACloseCandidate() {
        assertThat(Suggest.closest("m", List.of("M", "MAC"))).contains("M");
        assertThat(Suggest.closest("q", List.of("MAC"))).isEmpty();
    }

    @Test
    void emptyInputsGiveNothing() {
        assertThat(Suggest.closest("", ACTIONS)).isEmpty();
        assertThat(Suggest.closest(null, ACTIONS)).isEmpty();
        assertThat(Suggest.closest("list", List.of())).isEmpty();
    }

    @Test
    void didYouMeanPhrase() {
        assertThat(Suggest.didYouMean("crate", ACTIONS)).isEqualTo("; did you mean 'CREATE'?");
        assertThat(Suggest.didYouMean("xyzzy", ACTIONS)).isEmpty();
    }
}
