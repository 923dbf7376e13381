package org.ctys.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ctys.console.EscapeFilter.Command;
import org.junit.jupiter.api.Test;

class EscapeFilterTest {
    private final EscapeFilter filter = new EscapeFilter();

    /** The pieces of one read of typed input. */
    private List<EscapeFilter.Result> pieces(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return filter.filter(b, b.length);
    }

    /** One read that holds at most one escape. */
    private EscapeFilter.Result type(String s) {
        List<EscapeFilter.Result> r = pieces(s);
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    private static String sent(EscapeFilter.Result r) { return new String(r.send(), StandardCharsets.ISO_8859_1); }

    @Test
    void tildeDotAtTheStartLeaves() {
        EscapeFilter.Result r = type("~.");
        assertThat(r.command()).isEqualTo(Command.LEAVE);
        assertThat(r.send()).isEmpty();
    }

    @Test
    void tildeDotAfterANewlineLeavesAndWhatCameBeforeIsSent() {
        EscapeFilter.Result r = type("ls\r~.rest");
        assertThat(r.command()).isEqualTo(Command.LEAVE);
        assertThat(sent(r)).isEqualTo("ls\r");
    }

    @Test
    void aTildeInsideALineIsText() {
        assertThat(sent(type("cd ~.x"))).isEqualTo("cd ~.x");
    }

    @Test
    void theSequenceMaySpanTwoReads() {
        assertThat(sent(type("echo\n~"))).isEqualTo("echo\n");
        assertThat(type(".").command()).isEqualTo(Command.LEAVE);
    }

    @Test
    void twoTildesSendOne() {
        EscapeFilter.Result r = type("~~.");
        assertThat(r.command()).isEqualTo(Command.NONE);
        assertThat(sent(r)).isEqualTo("~.");
    }

    @Test
    void twoTildesInsideALineAreTwo() {
        assertThat(sent(type("a~~b"))).isEqualTo("a~~b");
    }

    @Test
    void tildeQuestionMarkAsksForHelpAndSendsNothing() {
        EscapeFilter.Result r = type("~?");
        assertThat(r.command()).isEqualTo(Command.HELP);
        assertThat(r.send()).isEmpty();
        assertThat(type("~.").command()).as("still at the start of a line").isEqualTo(Command.LEAVE);
    }

    @Test
    void tildeCapitalBAsksForABreakAfterWhatCameBefore() {
        List<EscapeFilter.Result> r = pieces("x\r~Bafter");
        assertThat(r).extracting(EscapeFilter.Result::command).containsExactly(Command.BREAK, Command.NONE);
        assertThat(sent(r.get(0))).as("sent before the break").isEqualTo("x\r");
        assertThat(sent(r.get(1))).as("sent after it").isEqualTo("after");
    }

    @Test
    void aLowerCaseBIsText() {
        assertThat(sent(type("~b"))).isEqualTo("~b");
    }

    @Test
    void severalEscapesInOneReadAreEachSeenInOrder() {
        List<EscapeFilter.Result> r = pieces("~?~B~.never");
        assertThat(r).extracting(EscapeFilter.Result::command).containsExactly(Command.HELP, Command.BREAK, Command.LEAVE);
        assertThat(r).allSatisfy(p -> assertThat(p.send()).isEmpty());
    }

    @Test
    void aTildeFollowedByAnythingElseIsSentAsTyped() {
        assertThat(sent(type("~x"))).isEqualTo("~x");
        assertThat(type("~.").command()).as("after ~x the line has begun").isEqualTo(Command.NONE);
    }

    @Test
    void controlCharactersPassThrough() {
        assertThat(type("\u0003\u0004").send()).containsExactly(3, 4);
    }

    @Test
    void theHelpListsTheBreakOnlyWhereTheConsoleHasOne() {
        assertThat(EscapeFilter.help(true)).contains("~B").contains("~.").contains("~?").contains("~~");
        assertThat(EscapeFilter.help(false)).doesNotContain("~B").contains("~.").contains("~?").contains("~~");
    }

    @Test
    void aCursorPositionReportAfterTheEnterKeepsTheLineStart() {
        // busybox ash after its prompt: ESC [ 6 n; the terminal answers as typed input
        assertThat(sent(type("ls\r"))).isEqualTo("ls\r");
        assertThat(sent(type("\u001b[24;1R"))).as("the report goes on to the machine").isEqualTo("\u001b[24;1R");
        assertThat(type("~.").command()).isEqualTo(Command.LEAVE);
    }

    @Test
    void aReportSplitOverReadsAndInTheSameReadAsTheEscapeKeepsTheLineStart() {
        type("\r\u001b[");
        type("12;4");
        List<EscapeFilter.Result> r = pieces("0R~.");
        assertThat(r).extracting(EscapeFilter.Result::command).containsExactly(Command.LEAVE);
        assertThat(sent(r.get(0))).isEqualTo("0R");
    }

    @Test
    void otherTerminalReportsKeepTheLineStart() {
        for (String report : List.of("\u001b[?5;1R", "\u001b[0n", "\u001b[?1;2c", "\u001b[>41;390;0c",
                "\u001b[?2004;1$y", "\u001b[8;24;80t", "\u001b[I", "\u001b[O")) {
            EscapeFilter f = new EscapeFilter();
            byte[] b = ("\r" + report + "~.").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(f.filter(b, b.length)).as(report.substring(1)).extracting(EscapeFilter.Result::command)
                    .containsExactly(Command.LEAVE);
        }
    }

    @Test
    void keysPasteMarkersAndMouseEventsBeginTheLine() {
        for (String typed : List.of("\u001b[A", "\u001b[15~", "\u001b[200~", "\u001b[201~", "\u001bOP", "\u001bx",
                "\u001b[<0;10;5M", "\u001b", "\u001b[6;1H")) {
            EscapeFilter f = new EscapeFilter();
            byte[] b = ("\r" + typed + "~.").getBytes(StandardCharsets.ISO_8859_1);
            List<EscapeFilter.Result> r = f.filter(b, b.length);
            assertThat(r).as(typed.substring(1)).extracting(EscapeFilter.Result::command).containsExactly(Command.NONE);
            assertThat(sent(r.get(0))).as("sent as typed").isEqualTo("\r" + typed + "~.");
        }
    }

    @Test
    void aReportInsideALineDoesNotStartOne() {
        assertThat(sent(type("abc\u001b[3;7R~."))).isEqualTo("abc\u001b[3;7R~.");
    }

    @Test
    void aTildeInsideAnEscapeSequenceIsNoEscape() {
        assertThat(type("\u001b[200~.").command()).isEqualTo(Command.NONE);
    }

    @Test
    void aTildeThenEscapeSendsBoth() {
        EscapeFilter.Result r = type("~\u001b[I~.");
        assertThat(r.command()).isEqualTo(Command.NONE);
        assertThat(sent(r)).isEqualTo("~\u001b[I~.");
    }
}
