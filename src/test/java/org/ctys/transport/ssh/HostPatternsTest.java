package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostPatternsTest {

    @Test
    void wildcardsMatchAsOpenSshsMatchPattern() {
        assertThat(HostPatterns.matches("[127.0.0.2]:2223", "*")).isTrue();
        assertThat(HostPatterns.matches("[127.0.0.2]:2223", "[127.0.0.*]:2223")).isTrue();
        assertThat(HostPatterns.matches("[127.0.0.2]:2223", "127.0.0.2")).isFalse();
        assertThat(HostPatterns.matches("lab01", "lab??")).isTrue();
        assertThat(HostPatterns.matches("lab1", "lab??")).isFalse();
        assertThat(HostPatterns.matches("a.example.org", "*.example.org")).isTrue();
        assertThat(HostPatterns.matches("", "*")).isTrue();
        assertThat(HostPatterns.matches("a".repeat(5000) + "b", "*a*a*a*a*a*a*c")).isFalse(); // no exponential backtracking
    }

    @Test
    void aNegatedMatchWinsAndCaseIsIgnored() {
        assertThat(HostPatterns.matchList("LAB1", List.of("lab*"))).isEqualTo(HostPatterns.Verdict.MATCH);
        assertThat(HostPatterns.matchList("lab1", List.of("lab*", "!LAB1"))).isEqualTo(HostPatterns.Verdict.NEGATED);
        assertThat(HostPatterns.matchList("lab1", List.of("!lab2"))).isEqualTo(HostPatterns.Verdict.NO_MATCH);
        assertThat(HostPatterns.matchCommaList("x", "a,,x")).isEqualTo(HostPatterns.Verdict.MATCH);
    }
}
