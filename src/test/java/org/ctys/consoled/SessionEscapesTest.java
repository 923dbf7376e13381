package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionEscapesTest {

    private static List<SessionEscapes.Piece> filter(SessionEscapes e, String typed) {
        byte[] b = typed.getBytes(StandardCharsets.ISO_8859_1);
        return e.filter(b, b.length);
    }

    private static String sent(List<SessionEscapes.Piece> pieces) {
        StringBuilder b = new StringBuilder();
        for (SessionEscapes.Piece p : pieces) b.append(new String(p.send(), StandardCharsets.ISO_8859_1));
        return b.toString();
    }

    @Test
    void eachEscapeAtALineStartIsACommandAndNeverSent() {
        SessionEscapes e = new SessionEscapes();
        List<SessionEscapes.Piece> p = filter(e, "~w~f~s~r~B~?ls\r~~x~z");
        assertThat(p).extracting(SessionEscapes.Piece::command).containsExactly(SessionEscapes.Command.WHO,
                SessionEscapes.Command.FORCE, SessionEscapes.Command.SPY, SessionEscapes.Command.REPLAY,
                SessionEscapes.Command.BREAK, SessionEscapes.Command.HELP, SessionEscapes.Command.NONE);
        assertThat(sent(p)).isEqualTo("ls\r~x~z");
    }

    @Test
    void aTildeInsideALineIsTypingAndNothingAfterLeaveIsKept() {
        SessionEscapes e = new SessionEscapes();
        assertThat(sent(filter(e, "echo ~.\n"))).isEqualTo("echo ~.\n");
        List<SessionEscapes.Piece> p = filter(e, "x\r~.rest");
        assertThat(p).extracting(SessionEscapes.Piece::command).containsExactly(SessionEscapes.Command.LEAVE);
        assertThat(sent(p)).isEqualTo("x\r");
    }

    @Test
    void anEscapeSplitAcrossReadsAndAfterATerminalReportStillCounts() {
        SessionEscapes e = new SessionEscapes();
        assertThat(filter(e, "\r~")).extracting(SessionEscapes.Piece::command).containsExactly(SessionEscapes.Command.NONE);
        assertThat(filter(e, ".")).extracting(SessionEscapes.Piece::command).containsExactly(SessionEscapes.Command.LEAVE);
        SessionEscapes after = new SessionEscapes();
        // Enter, then the terminal's answer to busybox's cursor position request, then ~.
        assertThat(filter(after, "\r\u001b[24;1R~.")).extracting(SessionEscapes.Piece::command)
                .containsExactly(SessionEscapes.Command.LEAVE);
        SessionEscapes arrow = new SessionEscapes();
        assertThat(sent(filter(arrow, "\r\u001b[A~."))).as("an arrow key is typing").isEqualTo("\r\u001b[A~.");
    }
}
