package org.ctys.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A far end with escapes of its own (a console server): only ~. is ctys's, every other ~x reaches it as typed. */
class EscapeFilterLeaveOnlyTest {

    private static List<EscapeFilter.Result> filter(EscapeFilter f, String typed) {
        byte[] b = typed.getBytes(StandardCharsets.ISO_8859_1);
        return f.filter(b, b.length);
    }

    private static String sent(List<EscapeFilter.Result> pieces) {
        StringBuilder s = new StringBuilder();
        for (EscapeFilter.Result r : pieces) s.append(new String(r.send(), StandardCharsets.ISO_8859_1));
        return s.toString();
    }

    @Test
    void everyEscapeButLeaveIsSentAsTyped() {
        EscapeFilter f = EscapeFilter.leaveOnly();
        List<EscapeFilter.Result> r = filter(f, "~w\r~f\r~s\r~r\r~B\r~~\r~x");
        assertThat(sent(r)).isEqualTo("~w\r~f\r~s\r~r\r~B\r~~\r~x");
        assertThat(r).extracting(EscapeFilter.Result::command).containsOnly(EscapeFilter.Command.NONE);
    }

    @Test
    void afterOneOfTheServersEscapesAnotherMayFollowAtOnceLeaveToo() {
        List<EscapeFilter.Result> r = filter(EscapeFilter.leaveOnly(), "~w~r~.");
        assertThat(sent(r)).isEqualTo("~w~r");
        assertThat(r).extracting(EscapeFilter.Result::command).endsWith(EscapeFilter.Command.LEAVE);
        assertThat(sent(filter(EscapeFilter.leaveOnly(), "~~~."))).as("~~ is one ~ typed, no escape").isEqualTo("~~~.");
    }

    @Test
    void leaveIsOursAndWhatFollowsIsDropped() {
        List<EscapeFilter.Result> r = filter(EscapeFilter.leaveOnly(), "ls\r~.more");
        assertThat(r).extracting(EscapeFilter.Result::command).containsExactly(EscapeFilter.Command.LEAVE);
        assertThat(sent(r)).isEqualTo("ls\r");
    }

    @Test
    void helpShowsOurLineFirstThenGoesToTheFarEnd() {
        List<EscapeFilter.Result> r = filter(EscapeFilter.leaveOnly(), "a\r~?b");
        assertThat(r).extracting(EscapeFilter.Result::command).containsExactly(EscapeFilter.Command.HELP, EscapeFilter.Command.NONE);
        assertThat(new String(r.get(0).send(), StandardCharsets.ISO_8859_1)).isEqualTo("a\r");
        assertThat(new String(r.get(1).send(), StandardCharsets.ISO_8859_1)).isEqualTo("~?b");
    }

    @Test
    void aTildeSplitAcrossReadsIsStillSentWithItsByte() {
        EscapeFilter f = EscapeFilter.leaveOnly();
        assertThat(sent(filter(f, "~"))).isEmpty();
        assertThat(sent(filter(f, "w"))).isEqualTo("~w");
        assertThat(sent(filter(f, "x~w"))).as("not after a newline: typed").isEqualTo("x~w");
    }

    @Test
    void theUsualFilterStillKeepsItsOwnEscapes() {
        List<EscapeFilter.Result> r = filter(new EscapeFilter(), "~~\r~B");
        assertThat(sent(r)).isEqualTo("~\r");
        assertThat(r).extracting(EscapeFilter.Result::command).contains(EscapeFilter.Command.BREAK);
    }
}
