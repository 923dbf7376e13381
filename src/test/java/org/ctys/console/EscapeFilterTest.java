package org.ctys.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EscapeFilterTest {
    private final EscapeFilter filter = new EscapeFilter();

    private EscapeFilter.Result type(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return filter.filter(b, b.length);
    }

    private static String sent(EscapeFilter.Result r) { return new String(r.send(), StandardCharsets.ISO_8859_1); }

    @Test
    void tildeDotAtTheStartLeaves() {
        EscapeFilter.Result r = type("~.");
        assertThat(r.command()).isEqualTo(EscapeFilter.Command.LEAVE);
        assertThat(r.send()).isEmpty();
    }

    @Test
    void tildeDotAfterANewlineLeavesAndWhatCameBeforeIsSent() {
        EscapeFilter.Result r = type("ls\r~.rest");
        assertThat(r.command()).isEqualTo(EscapeFilter.Command.LEAVE);
        assertThat(sent(r)).isEqualTo("ls\r");
    }

    @Test
    void aTildeInsideALineIsText() {
        assertThat(sent(type("cd ~.x"))).isEqualTo("cd ~.x");
    }

    @Test
    void theSequenceMaySpanTwoReads() {
        assertThat(type("echo\n~").send()).asString(StandardCharsets.ISO_8859_1).isEqualTo("echo\n");
        assertThat(type(".").command()).isEqualTo(EscapeFilter.Command.LEAVE);
    }

    @Test
    void twoTildesSendOne() {
        EscapeFilter.Result r = type("~~.");
        assertThat(r.command()).isEqualTo(EscapeFilter.Command.NONE);
        assertThat(sent(r)).isEqualTo("~.");
    }

    @Test
    void tildeQuestionMarkAsksForHelpAndSendsNothing() {
        EscapeFilter.Result r = type("~?");
        assertThat(r.command()).isEqualTo(EscapeFilter.Command.HELP);
        assertThat(r.send()).isEmpty();
        assertThat(type("~.").command()).as("still at the start of a line").isEqualTo(EscapeFilter.Command.LEAVE);
    }

    @Test
    void aTildeFollowedByAnythingElseIsSentAsTyped() {
        assertThat(sent(type("~x"))).isEqualTo("~x");
        assertThat(type("~.").command()).as("after ~x the line has begun").isEqualTo(EscapeFilter.Command.NONE);
    }

    @Test
    void controlCharactersPassThrough() {
        assertThat(type("\u0003\u0004").send()).containsExactly(3, 4);
    }
}
