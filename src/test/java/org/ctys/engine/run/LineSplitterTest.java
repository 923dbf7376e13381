package org.ctys.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    @Test
    void linesAreHandedOnAtTheirEndsAndAnOverlongOneCutToTheCap() {
        List<String> lines = new ArrayList<>();
        LineSplitter l = new LineSplitter(8, lines::add);
        write(l, "one\r\ntw");
        write(l, "o\n");
        write(l, "0123456789abc\nthree\nunfin");
        write(l, "über\n");
        write(l, "last");
        l.end();

        assertThat(lines).containsExactly("one", "two", "01234567", "three", "unfinüb", "last");
    }

    private static void write(LineSplitter l, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        l.write(b, 0, b.length);
    }
}
